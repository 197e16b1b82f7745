import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { createEvaluations } from '../../../kiosk/evaluations/index.ts';
import { QueueEngine } from '../../../kiosk/queue/engine.ts';
import { openDatabase } from '../../../kiosk/store/database.ts';
import { tempDbPath } from '../../helpers/engine.ts';
import { startPeer, type Peer } from '../../helpers/peer.ts';
import { childOverlay } from './fixtures/child-overlay.ts';

const COUNT = 60;
let peer: Peer;
beforeEach(async () => {
  peer = await startPeer();
});
afterEach(async () => {
  await peer.close();
});

/** Runs the child until the peer accepted `killAfter` records, then SIGKILLs it; returns the acknowledged uids. */
function runAndKill(dbPath: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/kiosk/evaluations/fixtures/outbox-child.ts', dbPath, peer.url, String(COUNT)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ACK (\S+)$/.exec(line);
        if (m) acked.push(m[1] as string);
        if (line === 'START') void peer.waitForAccepted(killAfter).then(() => child.kill('SIGKILL'));
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`outbox child exited early (${code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

describe('outbox crash safety', () => {
  it('delivers every evaluation of a SIGKILLed process after restart, none twice', async () => {
    const dbPath = tempDbPath();
    peer.delayMs = 15; // keep requests in flight when the kill lands
    const acked = await runAndKill(dbPath, 20);
    expect(acked).toHaveLength(COUNT);
    const beforeRestart = peer.accepted.size;
    expect(beforeRestart).toBeGreaterThanOrEqual(20);

    const db = openDatabase(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const pending = (db.prepare("SELECT COUNT(*) AS n FROM evaluation_outbox WHERE state = 'pending'").get() as { n: number }).n;
    expect(pending).toBeGreaterThan(0);
    const delivered = (db.prepare("SELECT idempotency_key AS k FROM evaluation_outbox WHERE state = 'delivered'").all() as { k: string }[]).map((r) => r.k);
    const arrivalsAtKill = peer.arrivals.length;

    const config = loadConfig({ overlay: childOverlay(peer.url) });
    const evaluations = createEvaluations(db, new QueueEngine(db, config), config);
    const r = await evaluations.outbox.drainAll();
    expect(r.failed).toBe(0);
    expect(await evaluations.outbox.status()).toMatchObject({ pending: 0, delivered: COUNT });

    // Every acknowledged evaluation reached the peer.
    expect(new Set(peer.accepted.keys())).toEqual(new Set(acked));
    // Rows marked delivered before the kill were never sent again after the restart.
    const resent = new Set(peer.arrivals.slice(arrivalsAtKill).map((a) => a.key));
    for (const k of delivered) expect(resent.has(k)).toBe(false);
    // Only requests in flight at the kill (answered, but the answer never recorded) may arrive twice.
    const perKey = new Map<string, number>();
    for (const a of peer.arrivals) perKey.set(a.key, (perKey.get(a.key) ?? 0) + 1);
    const repeated = [...perKey.values()].filter((n) => n > 1);
    expect(repeated.every((n) => n === 2)).toBe(true);
    expect(repeated.length).toBeLessThanOrEqual(config.evaluation.upload.concurrency);
    // A further pass sends nothing.
    expect(await evaluations.outbox.drainAll()).toMatchObject({ attempted: 0 });
    db.close();
  }, 60_000);
});
