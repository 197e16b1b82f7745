import { describe, expect, it } from 'vitest';
import { issue, usePgHall } from '../helpers/pg-hall.ts';
import { HALL } from '../helpers/server.ts';
import { collectSse } from '../helpers/sse.ts';

/**
 * A hall on PostgreSQL with a synchronous streaming standby (issue 17), end to end: three real
 * daemons (kiosk/main.ts) on one multi-host URL, issuing at once, an SSE client on one of them,
 * then the primary SIGKILLed and the standby promoted while the daemons keep running.
 */
const hall = usePgHall();

/** What a kiosk does while the store is unavailable: say so (503) and try again. */
async function issueRetrying(base: string, requestId: string): Promise<{ displayNo: string; id: number }> {
  for (;;) {
    const res = await issue(base, requestId);
    const body = (await res.json()) as { ticket: { displayNo: string; id: number }; error: { code: string } };
    if (res.status === 200) return body.ticket;
    expect(res.status).toBe(503);
    expect(body.error.code).toBe('STORE_UNAVAILABLE');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a hall on PostgreSQL with a synchronous standby', () => {
  it('three daemons issue without duplicates, show each other’s events, and keep every acknowledged ticket across a failover', async () => {
    const { primary, standby, url } = await hall.cluster();
    const [a, b, c] = [(await hall.daemon(url)).base, (await hall.daemon(url)).base, (await hall.daemon(url)).base];

    // An SSE client on A sees the tickets B and C issue, in order and without gaps.
    const burst = 24;
    const acknowledged: { displayNo: string; id: number }[] = [];
    let answered = false;
    const events = await collectSse(
      `${a}/api/v1/events`,
      HALL,
      // Device status events of the three daemons share the stream: wait for the tickets.
      (seen) => answered && seen.filter((e) => e.type === 'ticket.issued').length >= burst,
      async () => {
        const answers = await Promise.all(Array.from({ length: burst }, (_, i) => issueRetrying(i % 2 ? b : c, `pg-hall-burst-${i}`)));
        acknowledged.push(...answers);
        answered = true;
      },
    );
    expect(new Set(acknowledged.map((t) => t.displayNo)).size).toBe(burst);
    const issuedEvents = events.filter((e) => e.type === 'ticket.issued');
    expect(issuedEvents).toHaveLength(burst);
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: events.length }, (_, i) => events[0]!.id + i));

    // The machine of the primary is lost; the standby is promoted; nobody restarts a daemon.
    primary.kill();
    const during = issue(a, 'pg-hall-during-failover').then((r) => r.status);
    await standby.promote();
    expect([200, 503]).toContain(await during);
    const after = await issueRetrying(b, 'pg-hall-after-failover');
    acknowledged.push(after);
    acknowledged.push(await issueRetrying(c, 'pg-hall-after-failover-2'));

    // Every acknowledged ticket is on the promoted standby, each number once.
    const rows = await standby.query<{ id: string; display_no: string }>('SELECT id, display_no FROM tickets ORDER BY id', 'hall');
    const stored = new Map(rows.map((r) => [Number(r.id), r.display_no]));
    for (const t of acknowledged) expect(stored.get(t.id)).toBe(t.displayNo);
    expect(new Set(rows.map((r) => r.display_no)).size).toBe(rows.length);
    // A, which never saw the failover itself, issues too and reports the hall's status.
    await issueRetrying(a, 'pg-hall-a-after');
    const status = (await (await fetch(`${a}/api/v1/queue/status`, { headers: HALL })).json()) as { totals: { issued: number } };
    expect(status.totals.issued).toBe(rows.length + 1);
  }, 600_000);
});
