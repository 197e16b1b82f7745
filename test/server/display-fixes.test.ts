import { afterAll, beforeAll, expect, it } from 'vitest';
import { COUNTER, HALL, makeServer, TERMINAL, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await makeServer();
});
afterAll(async () => {
  await s?.close();
});

const post = (url: string, headers: Record<string, string> = {}) =>
  s.app.inject({ method: 'POST', url, headers, payload: url.includes('terminal') ? { serviceCode: 'general' } : {} });
const status = async () => (await s.app.inject({ url: '/api/v1/display/status', headers: HALL })).json() as { recentCalls: { displayNo: string }[] };

it('a suspended number is withdrawn from the call display snapshot; a completed one stays as the last call', async () => {
  await post('/api/v1/terminal/tickets', TERMINAL);
  await post('/api/v1/terminal/tickets', TERMINAL);
  await post('/api/v1/counters/1/open', COUNTER(1));
  await post('/api/v1/counters/1/call-next', COUNTER(1));
  expect((await status()).recentCalls.map((c) => c.displayNo)).toEqual(['A001']);
  await post('/api/v1/counters/1/suspend', COUNTER(1));
  expect((await status()).recentCalls.map((c) => c.displayNo)).toEqual([]);
  await post('/api/v1/counters/1/call-next', COUNTER(1)); // A002
  await post('/api/v1/counters/1/complete', COUNTER(1));
  expect((await status()).recentCalls.map((c) => c.displayNo)).toEqual(['A002']);
  // Resumed and called again, the suspended number is a call once more.
  await post('/api/v1/tickets/1/resume', COUNTER(1));
  await post('/api/v1/counters/1/call-next', COUNTER(1));
  // (The snapshot lists every call; the screen shows one line per number.)
  expect((await status()).recentCalls.map((c) => c.displayNo)).toEqual(['A001', 'A002', 'A001']);
});
