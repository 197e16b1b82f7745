import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function doctor(site: object): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  const file = join(dir, 'site.json');
  writeFileSync(file, JSON.stringify(site));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'kiosk/doctor.ts', '--config', file, '--json'], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout };
}

describe('kiosk doctor', () => {
  it('passes on the simulated devices, with a test read and a test print', () => {
    const r = doctor({});
    expect(r.status).toBe(0);
    const checks = JSON.parse(r.out) as { check: string; ok: boolean }[];
    expect(checks.map((c) => c.check)).toEqual(expect.arrayContaining(['printer test print', 'idcard test read', 'printer (simulator)']));
  });

  it('exits non-zero when a configured hardware port does not exist', () => {
    const r = doctor({ devices: { printer: { mode: 'hardware', path: '/dev/does-not-exist-kiosk' } } });
    expect(r.status).toBe(1);
    const printer = (JSON.parse(r.out) as { check: string; ok: boolean }[]).find((c) => c.check === 'printer (hardware)');
    expect(printer?.ok).toBe(false);
  });
});
