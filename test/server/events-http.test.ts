import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSse } from '../helpers/sse.ts';
import { HALL, makeServer, TERMINAL, type TestServer } from '../helpers/server.ts';

// Over real HTTP (not inject): the event stream, resuming with Last-Event-ID, and 304 polling.
let s: TestServer;
let base: string;
beforeAll(async () => {
  s = await makeServer();
  base = await s.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await s?.close();
});

interface HallEventData {
  ticketId: number | null;
  payload: Record<string, unknown>;
}

/** Opens the hall event stream and collects `count` events (see collectSse). */
function collect(count: number, headers: Record<string, string>, onOpen: () => Promise<void>) {
  return collectSse<HallEventData>(`${base}/api/v1/events`, { ...HALL, ...headers }, count, onOpen);
}

const issue = (serviceCode: string) =>
  fetch(`${base}/api/v1/terminal/tickets`, {
    method: 'POST',
    headers: { ...TERMINAL, 'content-type': 'application/json' },
    body: JSON.stringify({ serviceCode }),
  }).then((r) => r.json());

describe('event stream over HTTP', () => {
  it('delivers live events in order and resumes from Last-Event-ID without gaps', async () => {
    const live = await collect(2, {}, async () => {
      await issue('general');
      await issue('enrol');
    });
    expect(live.map((e) => e.type)).toEqual(['ticket.issued', 'ticket.issued']);
    expect(live[1]!.id).toBeGreaterThan(live[0]!.id);
    const lastSeen = live[1]!.id;

    // Events happen while the client is away; it reconnects with the last id it saw.
    await issue('reimburse');
    await issue('remote');
    const resumed = await collect(3, { 'last-event-id': String(lastSeen) }, async () => {
      await issue('general');
    });
    expect(resumed.map((e) => e.data.payload.serviceCode)).toEqual(['reimburse', 'remote', 'general']);
    expect(resumed.every((e, i) => e.id > (i === 0 ? lastSeen : resumed[i - 1]!.id))).toBe(true);
  });

  it('answers 304 to a poll with the current ETag and 200 after a change', async () => {
    const first = await fetch(`${base}/api/v1/queue/status`, { headers: HALL });
    const etag = first.headers.get('etag') as string;
    expect((await fetch(`${base}/api/v1/queue/status`, { headers: { ...HALL, 'if-none-match': etag } })).status).toBe(304);
    await issue('general');
    expect((await fetch(`${base}/api/v1/queue/status`, { headers: { ...HALL, 'if-none-match': etag } })).status).toBe(200);
  });
});
