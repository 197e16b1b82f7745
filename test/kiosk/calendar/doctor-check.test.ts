import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { calendarCheck } from '../../../kiosk/calendar/doctor-check.ts';
import { CalendarStore } from '../../../kiosk/calendar/calendar-store.ts';
import { openDatabase } from '../../../kiosk/store/database.ts';

const at = (iso: string) => Date.parse(`${iso}+08:00`);

describe('doctor: working-day calendar', () => {
  it('reports the covered range of the database, warns from 1 November and fails past it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'doctor-cal-'));
    const config = loadConfig({ overlay: { storage: { dataDir } } });
    expect(calendarCheck(config, at('2026-06-01T10:00:00'))).toEqual({ ok: true, detail: expect.stringContaining('内置 chinese-days') });
    const db = openDatabase(join(dataDir, 'kiosk.db'));
    const store = new CalendarStore(db);
    await store.change((now) => store.setCoverageTx({ firstYear: 2004, lastYear: 2026 }, undefined, now));
    db.close();
    expect(calendarCheck(config, at('2026-06-01T10:00:00'))).toEqual({ ok: true, detail: '覆盖 2004–2026 年' });
    const nov = calendarCheck(config, at('2026-11-02T10:00:00'));
    expect(nov.ok).toBe(true);
    expect(nov.detail).toContain('⚠ 工作日历尚未包含 2027 年');
    expect(calendarCheck(config, at('2027-01-04T10:00:00')).ok).toBe(false);
  });
});
