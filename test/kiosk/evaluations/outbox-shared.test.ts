import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { createEvaluations, type Evaluations } from '../../../kiosk/evaluations/index.ts';
import { QueueEngine } from '../../../kiosk/queue/engine.ts';
import { openDatabase } from '../../../kiosk/store/database.ts';
import type { Runner } from '../../../kiosk/store/sql.ts';
import { fakeClock, tempDbPath } from '../../helpers/engine.ts';
import { hallStoreForTest } from '../../helpers/hall-store.ts';
import { startPeer, type Peer } from '../../helpers/peer.ts';

/**
 * The outbox of one PostgreSQL hall store run by three daemons at once (issue 17): each engine has
 * its own pool and its own outbox, as daemons on three machines would, against one real HTTP peer.
 */
const N = 40;
const open: { runner: Runner; evaluations: Evaluations; close: () => void }[] = [];
let peer: Peer | undefined;

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.evaluations.outbox.stop();
    await o.runner.close();
    o.close();
  }
  await peer?.close();
});

describe('the outbox on a shared PostgreSQL store', () => {
  it('delivers each evaluation exactly once when three daemons run it together', async () => {
    peer = await startPeer();
    peer.delayMs = 5; // requests overlap across the three daemons
    const clock = fakeClock('2026-11-23T09:00:00');
    const config = loadConfig({
      overlay: {
        evaluation: {
          rateLimits: { perDevicePerMinute: 100_000, perTicketAttempts: 10 },
          upload: { url: peer.url, pollMs: 50, concurrency: 3, batchSize: 6, timeoutMs: 5000 },
        },
      },
    });
    const store = await hallStoreForTest(clock);
    const daemons: { engine: QueueEngine; evaluations: Evaluations }[] = [];
    for (let i = 0; i < 3; i++) {
      const runner = await store.open();
      const engine = new QueueEngine(runner, config, clock);
      await engine.open();
      const db = openDatabase(tempDbPath()); // each daemon's own file (the calendar)
      const evaluations = createEvaluations(db, engine, config, clock);
      await evaluations.open();
      open.push({ runner, evaluations, close: () => db.close() });
      daemons.push({ engine, evaluations });
    }
    const [a] = daemons as [(typeof daemons)[number]];
    await a.engine.openCounter(1);
    const uids: string[] = [];
    for (let i = 0; i < N; i++) {
      const { ticket } = await a.engine.issue({ serviceCode: 'general' });
      await a.engine.callNext(1);
      await a.engine.complete(1);
      const by = daemons[i % 3]!.evaluations;
      uids.push((await by.submitTicket({ ticketId: ticket.id, channel: 'counter-evaluator', device: 'counter:1', level: '满意' })).evaluation.uid);
    }

    const results = await Promise.all(daemons.map((d) => d.evaluations.outbox.drainAll()));
    expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(N);
    expect(results.every((r) => r.failed === 0)).toBe(true);
    // Every evaluation arrived, and none twice: the peer saw N requests for N keys.
    expect(new Set(peer.accepted.keys())).toEqual(new Set(uids));
    expect(peer.arrivals).toHaveLength(N);
    // The work was shared (each daemon delivered some), and nothing is left.
    expect(results.filter((r) => r.delivered > 0).length).toBeGreaterThan(1);
    expect(await daemons[2]!.evaluations.outbox.status()).toMatchObject({ pending: 0, delivered: N });
    expect(await Promise.all(daemons.map((d) => d.evaluations.outbox.drainAll()))).toEqual(daemons.map(() => ({ attempted: 0, delivered: 0, failed: 0 })));
  }, 120_000);
});
