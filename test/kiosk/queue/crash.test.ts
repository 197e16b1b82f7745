import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { QueueEngine } from '../../../kiosk/queue/engine.ts';
import { openDatabase } from '../../../kiosk/store/database.ts';
import { tempDbPath } from '../../helpers/engine.ts';

const ROUNDS = 5;

/** Runs the burst child until it has acknowledged `minAcks` tickets, then waits a random moment and SIGKILLs it. */
function burstAndKill(dbPath: string, minAcks: number, seed: number): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/issue-burst.ts', dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<number, string>();
    let buffer = '';
    let armed = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ACK (\d+) (\S+)$/.exec(line);
        if (m) acked.set(Number(m[1]), m[2] as string);
      }
      if (!armed && acked.size >= minAcks) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), (seed * 37) % 50); // a different moment each round
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`burst child exited early (${code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

describe('crash safety', () => {
  it(`keeps every acknowledged ticket and never duplicates a number across ${ROUNDS} SIGKILLs`, async () => {
    const dbPath = tempDbPath();
    const acknowledged = new Map<number, string>();
    for (let round = 1; round <= ROUNDS; round++) {
      const acked = await burstAndKill(dbPath, 50 + round * 20, round);
      for (const [id, no] of acked) acknowledged.set(id, no);

      // Restart: the database must open cleanly and hold every acknowledged ticket as acknowledged.
      const db = openDatabase(dbPath);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT id, display_no, day FROM tickets').all() as { id: number; display_no: string; day: string }[];
      const byId = new Map(rows.map((r) => [r.id, r.display_no]));
      for (const [id, no] of acknowledged) expect(byId.get(id)).toBe(no);
      const perDay = new Set(rows.map((r) => `${r.day}/${r.display_no}`));
      expect(perDay.size).toBe(rows.length);
      // Issuing continues after the highest number, never reusing one.
      const engine = new QueueEngine(db, loadConfig());
      const next = (await engine.issue({ serviceCode: 'general' })).ticket;
      expect(rows.some((r) => r.day === next.day && r.display_no === next.displayNo)).toBe(false);
      acknowledged.set(next.id, next.displayNo);
      db.close();
    }
    expect(acknowledged.size).toBeGreaterThan(ROUNDS * 50);
  }, 120_000);
});
