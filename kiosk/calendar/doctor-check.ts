/**
 * `npm run doctor`: the working-day calendar's covered range, read from the daemon's database
 * without changing it (read-only; the daemon may be running). Fails when today is not covered;
 * warns (工作日历尚未包含 YYYY 年) from 1 November of the last covered year.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KioskConfig } from '../../config/schema.ts';
import { businessDay } from '../clock.ts';
import { coverageReport } from './coverage.ts';
import { coverageOfRows, seedRowsFromChineseDays, type Coverage, type DayRow } from './day-rows.ts';
import { WorkingDayCalendar } from './working-day-calendar.ts';

export function calendarCheck(config: KioskConfig, now = Date.now()): { ok: boolean; detail: string } {
  const path = join(resolve(config.storage.dataDir), 'kiosk.db');
  let coverage: Coverage | undefined;
  let rows: DayRow[];
  let where: string;
  if (existsSync(path)) {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const c = db.prepare('SELECT first_year, last_year FROM working_calendar_coverage WHERE id = 1').get() as
        { first_year: number; last_year: number } | undefined;
      coverage = c ? { firstYear: c.first_year, lastYear: c.last_year } : undefined;
      rows = db.prepare('SELECT date, kind, name FROM working_calendar_days').all() as DayRow[];
    } catch {
      rows = [];
    } finally {
      db.close();
    }
    where = config.queue.remote ? '（排队主机日历的本机副本）' : '';
  } else {
    rows = seedRowsFromChineseDays();
    coverage = coverageOfRows(rows);
    where = '（数据库尚未创建，内置 chinese-days 数据）';
  }
  if (!coverage) return { ok: false, detail: '工作日历没有覆盖范围' };
  const today = businessDay(now, config.hall.timeZone, config.hall.dailyResetTime);
  const report = coverageReport({ coverage, calendar: new WorkingDayCalendar(rows, coverage), today });
  const range = `覆盖 ${coverage.firstYear}–${coverage.lastYear} 年${where}`;
  const warn = report.warnings.map((w) => `⚠ ${w.message}：${w.reasons.map((r) => r.detail).join('；')}`).join(' ');
  return { ok: Number(today.slice(0, 4)) <= coverage.lastYear, detail: warn ? `${range} ${warn}` : range };
}
