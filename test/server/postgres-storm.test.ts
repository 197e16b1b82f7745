import { describe, expect, it } from 'vitest';
import { issue, type PgDaemon, usePgHall } from '../helpers/pg-hall.ts';

/**
 * The SIGKILL storm on a hall on PostgreSQL (issue 17): three real daemons on one primary with a
 * synchronous standby, kiosk clients issuing over HTTP on all of them at once, while daemons are
 * SIGKILLed and started again one after another; then the standby's WAL receiver is stopped (the
 * standby falls behind), the primary itself is SIGKILLed and the standby promoted, and the same daemon processes go on issuing. Every ticket a client got a 2xx
 * for must be on the promoted standby, once, with the number it was acknowledged with; no number
 * twice per service and day. Every step is triggered by counts of acknowledged tickets, never by
 * elapsed time.
 */
const hall = usePgHall();

const SERVICES = ['general', 'reimburse'] as const;
const CLIENTS_PER_DAEMON = 3;
/** Daemon SIGKILL rounds before the primary goes; each kills the next daemon in turn. */
const DAEMON_KILLS = 3;
/** Acknowledgements between two kills (and before the first). */
const ACKS_PER_ROUND = 20;
/** Tickets each daemon must acknowledge after its last restart, before the primary goes. */
const ACKS_AFTER_RESTART = 5;
/** Tickets each daemon must acknowledge for requests sent after the promotion. */
const AFTER_PROMOTION = 10;

interface Ack {
  readonly id: number;
  readonly displayNo: string;
  readonly requestId: string;
  readonly daemon: number;
  /** Which start of that daemon answered (PgDaemon.starts when the answer came). */
  readonly run: number;
  /** The request was first sent after the standby's promotion had completed. */
  readonly afterPromotion: boolean;
}

describe('the SIGKILL storm on a hall on PostgreSQL', () => {
  it(`keeps every acknowledged ticket once across ${DAEMON_KILLS} daemon SIGKILLs and the primary's SIGKILL with promotion of the standby`, async () => {
    const acks: Ack[] = [];
    const answers = { ok: 0, unavailable: 0, connectionLost: 0 };
    const t0 = Date.now();
    // PG_STORM_LOG=1: when each step happened (to see where a slow machine spends the time).
    const T = (what: string) =>
      void (
        process.env.PG_STORM_LOG === '1' &&
        process.stderr.write(`STORM ${((Date.now() - t0) / 1000).toFixed(1)}s ${what} acks=${acks.length} ${JSON.stringify(answers)}\n`)
      );
    const { primary, standby, url, database } = await hall.cluster();
    T('cluster');
    // The first daemon migrates the fresh store alone, then the other two start at once. (Three at
    // once on a loaded machine sometimes end one with exit 74: kiosk.open() got STORE_UNAVAILABLE
    // while another daemon was opening, and kiosk/main.ts retries only the connection, not open().)
    const first = await hall.daemon(url);
    const daemons: PgDaemon[] = [first, ...(await Promise.all([hall.daemon(url), hall.daemon(url)]))];

    const unexpected: string[] = [];
    let promoted = false;
    let stop = false;
    let waiters: (() => void)[] = [];
    const progress = () => {
      for (const w of waiters) w();
      waiters = [];
    };
    /** Until `done()` holds; re-checked on every answer a client gets (no clock involved). */
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise<void>((r) => waiters.push(r));
    };

    /**
     * A kiosk bound to one daemon: issues one ticket after another. A request that got no answer
     * (its daemon was killed, or is starting again) or a 503 (no primary reachable) is sent again
     * with the same request id, as the kiosk does, until it is acknowledged.
     */
    const client = async (d: number, c: number) => {
      for (let n = 0; !stop; n++) {
        const requestId = `storm-${d}-${c}-${n}`;
        const serviceCode = SERVICES[(c + n) % SERVICES.length]!;
        const afterPromotion = promoted;
        for (;;) {
          const res = await issue(daemons[d]!.base, requestId, serviceCode).catch(() => null);
          if (res === null) {
            answers.connectionLost++;
            progress();
            await new Promise((r) => setTimeout(r, 100));
            continue;
          }
          const body = (await res.json().catch(() => null)) as { ticket?: { id: number; displayNo: string }; error?: { code?: string } } | null;
          if (res.status >= 200 && res.status < 300 && body?.ticket) {
            answers.ok++;
            acks.push({ id: body.ticket.id, displayNo: body.ticket.displayNo, requestId, daemon: d, run: daemons[d]!.starts, afterPromotion });
            progress();
            break;
          }
          if (res.status === 503 && body?.error?.code === 'STORE_UNAVAILABLE') {
            answers.unavailable++;
            progress();
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          unexpected.push(`${requestId}: HTTP ${res.status} ${JSON.stringify(body)}`);
          progress();
          break;
        }
      }
    };
    T('daemons');
    const clients = daemons.flatMap((_, d) => Array.from({ length: CLIENTS_PER_DAEMON }, (_, c) => client(d, c)));

    // Daemons die under load and are started again, each in turn. A start takes long on a loaded
    // machine, so the next kill does not wait for the last victim to answer again: for a while
    // every daemon of the hall may be down at once, and the kiosks only retry.
    const killed = daemons.map(() => 0);
    const restarts: Promise<void>[] = [];
    for (let round = 1; round <= DAEMON_KILLS; round++) {
      await until(() => acks.length >= round * ACKS_PER_ROUND);
      const victim = (round - 1) % daemons.length;
      const d = daemons[victim]!;
      T(`kill ${victim}`);
      // A victim still starting from an earlier round is killed during its start-up.
      const earlier = restarts[victim];
      await d.kill();
      killed[victim]!++;
      restarts[victim] = (async () => {
        await earlier?.catch(() => undefined);
        await d.start();
        T(`started ${victim}`);
      })();
    }
    await Promise.all(restarts);
    expect(daemons.map((d) => d.starts)).toEqual(killed.map((k) => 1 + k));
    // Every daemon issues again on the PostgreSQL store after its restart.
    await until(() => daemons.every((d, i) => acks.filter((a) => a.daemon === i && a.run === d.starts).length >= ACKS_AFTER_RESTART));

    // The standby falls behind first (its WAL receiver stopped, as on a congested link): the
    // primary may now acknowledge only what the standby has, so nothing is acknowledged until the
    // clients have had an answer each (503: the commit waits for the standby). Then the primary's
    // machine is lost and the standby resumes, holding only what it had received.
    const [receiver] = await standby.query<{ pid: number }>('SELECT pid FROM pg_stat_wal_receiver');
    process.kill(receiver!.pid, 'SIGSTOP');
    const answeredBefore = answers.ok + answers.unavailable;
    T(`walreceiver ${receiver!.pid} stopped`);
    await until(() => answers.ok + answers.unavailable >= answeredBefore + daemons.length * CLIENTS_PER_DAEMON);
    T('stall answered');
    // The primary's machine is lost while every client is still issuing.
    const beforeFailover = acks.length;
    T('primary kill');
    primary.kill();
    process.kill(receiver!.pid, 'SIGCONT');
    // Kiosks see the store unavailable (or a lost reply) before anyone promotes the standby.
    const refusedAtKill = answers.unavailable + answers.connectionLost;
    await until(() => answers.unavailable + answers.connectionLost >= refusedAtKill + daemons.length);
    T('promote');
    await standby.promote();
    T('promoted');
    promoted = true;
    // Issuing resumes through the same daemon processes (none restarted).
    await until(() => daemons.every((_, d) => acks.filter((a) => a.daemon === d && a.afterPromotion).length >= AFTER_PROMOTION));
    T('done');
    stop = true;
    await Promise.all(clients);

    expect(unexpected).toEqual([]);
    // The same processes as before the failover: none was started again.
    expect(daemons.map((d) => d.starts)).toEqual(killed.map((k) => 1 + k));

    // Every acknowledged ticket is on the promoted standby, once, as acknowledged.
    const rows = await standby.query<{ id: string; display_no: string; request_id: string | null; day: string; service_code: string; number: string }>(
      'SELECT id, display_no, request_id, day, service_code, number FROM tickets',
      database,
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const missing = acks.filter((a) => byId.get(a.id)?.display_no !== a.displayNo || byId.get(a.id)?.request_id !== a.requestId);
    expect(missing).toEqual([]);
    expect(new Set(acks.map((a) => a.id)).size).toBe(acks.length);
    expect(new Set(acks.map((a) => a.requestId)).size).toBe(acks.length);
    const perRequest = new Map<string, number>();
    for (const r of rows) if (r.request_id) perRequest.set(r.request_id, (perRequest.get(r.request_id) ?? 0) + 1);
    expect(acks.filter((a) => perRequest.get(a.requestId) !== 1)).toEqual([]);
    // Per service and day the numbers run from the first without a repeat or a gap, over every row
    // (acknowledged or not): the counter row is taken in the issuing transaction.
    const perService = new Map<string, number[]>();
    for (const r of rows) perService.set(`${r.day}/${r.service_code}`, [...(perService.get(`${r.day}/${r.service_code}`) ?? []), Number(r.number)]);
    expect([...perService.keys()].sort()).toEqual(SERVICES.map((s) => `${rows[0]!.day}/${s}`).sort());
    for (const numbers of perService.values()) {
      numbers.sort((x, y) => x - y);
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    }
    // The storm really happened: some requests were interrupted, some tickets issued after promotion.
    expect(answers.connectionLost + answers.unavailable).toBeGreaterThan(0);
    expect(acks.length).toBeGreaterThan(beforeFailover);
    expect(acks.filter((a) => a.afterPromotion).length).toBeGreaterThanOrEqual(daemons.length * AFTER_PROMOTION);
  }, 300_000);
});
