import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { createKiosk, type Kiosk } from '../../../kiosk/compose.ts';
import { buildServer } from '../../../server/app.ts';
import { remoteQueueFactory } from '../../../server/clients/remote-queue.ts';
import { fakeClock, tempDbPath } from '../../helpers/engine.ts';
import { makeServer, type TestServer } from '../../helpers/server.ts';

const DEVICES_OFF = { devices: { idcard: { mode: 'off' }, scanner: { mode: 'off' }, printer: { mode: 'off' }, dispenser: { mode: 'off' } } };

// A terminal without the queue (B) issues through the daemon that holds it (A), over real HTTP.
let a: TestServer;
let b: Kiosk;
let bApp: Awaited<ReturnType<typeof buildServer>>;
beforeAll(async () => {
  a = await makeServer(DEVICES_OFF);
  const url = await a.app.listen({ host: '127.0.0.1', port: 0 });
  const config = loadConfig({ overlay: { ...DEVICES_OFF, queue: { remote: { url, token: 'dev-terminal-token-0001' } } } });
  b = createKiosk(config, { clock: fakeClock(), dbPath: tempDbPath(), remoteQueue: remoteQueueFactory });
  bApp = await buildServer(b);
  await bApp.ready();
});
afterAll(async () => {
  await bApp?.close();
  await b?.close();
  await a?.close();
});

describe('the remote queue client (server/clients/remote-queue.ts)', () => {
  it('is what a terminal without the queue uses; a retry crosses the wire as a replay and prints nothing', async () => {
    expect(b.engine).toBeNull();
    expect(b.queue.kind).toBe('remote');
    const take = () =>
      bApp.inject({
        method: 'POST',
        url: '/api/v1/kiosk/tickets',
        payload: { serviceCode: 'general', priorityReason: 'elderly', useIdentity: false, requestId: 'remote-retry-0001' },
      });
    const first = (await take()).json();
    expect(first.ticket).toMatchObject({ priority: false, printState: 'failed' });
    expect((await a.kiosk.engine!.reader.ticket(first.ticket.id)).displayNo).toBe(first.ticket.displayNo);
    const retry = (await take()).json();
    expect(retry).toMatchObject({ existing: true, ticket: { id: first.ticket.id }, print: { ok: false, code: 'not-printed' } });
    expect((b.db.prepare('SELECT COUNT(*) AS n FROM print_jobs').get() as { n: number }).n).toBe(1);
  });

  it('refuses to compose a remote terminal without a client', async () => {
    const config = loadConfig({ overlay: { ...DEVICES_OFF, queue: { remote: { url: 'http://127.0.0.1:9', token: 'dev-terminal-token-0001' } } } });
    expect(() => createKiosk(config, { dbPath: tempDbPath() })).toThrow(/remote queue client/);
  });
});
