import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COUNTER, HALL, makeServer, TERMINAL, type TestServer } from '../helpers/server.ts';

// Counters (config/defaults.json): 1 and 2 serve general/enrol/remote, 5 serves employer only.
let s: TestServer;
beforeEach(async () => {
  s = await makeServer();
});
afterEach(async () => {
  await s.close();
});

const post = (url: string, headers: Record<string, string>, payload: object = {}) => s.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload });
const take = async (serviceCode: string) => (await post('/terminal/tickets', TERMINAL, { serviceCode })).json().ticket as { id: number; displayNo: string };
const refused = (res: { statusCode: number; json(): { error: { code: string; message: string } } }) => {
  expect(res.statusCode).toBe(403);
  expect(res.json().error.code).toBe('QUEUE_NOT_THIS_COUNTER');
  expect(res.json().error.message).toMatch(/本窗口/);
};

describe('a counter token acts only on tickets in its scope (kiosk/queue/counter-scope.ts)', () => {
  it('cannot cancel a ticket of a service only another counter serves; that counter and the hall server can', async () => {
    const e1 = await take('employer');
    refused(await post(`/tickets/${e1.id}/cancel`, COUNTER(1)));
    expect((await s.app.inject({ url: `/api/v1/tickets/${e1.id}`, headers: HALL })).json().ticket.status).toBe('waiting');
    expect((await post(`/tickets/${e1.id}/cancel`, COUNTER(5))).json().ticket.status).toBe('cancelled');
    const e2 = await take('employer');
    expect((await post(`/tickets/${e2.id}/cancel`, HALL)).json().ticket.status).toBe('cancelled');
    // A ticket of a service it serves: counter 1 may cancel it (the citizen gives up at its window).
    const a = await take('general');
    expect((await post(`/tickets/${a.id}/cancel`, COUNTER(1))).json().ticket.status).toBe('cancelled');
  });

  it('cannot resume or cancel a ticket suspended at another counter, even of a service it serves', async () => {
    const a = await take('general');
    await post('/counters/2/open', COUNTER(2));
    expect((await post('/counters/2/call-next', COUNTER(2))).json().ticket.id).toBe(a.id);
    expect((await post('/counters/2/suspend', COUNTER(2))).json().ticket.status).toBe('suspended');
    refused(await post(`/tickets/${a.id}/resume`, COUNTER(1)));
    refused(await post(`/tickets/${a.id}/cancel`, COUNTER(1)));
    expect((await post(`/tickets/${a.id}/resume`, COUNTER(2))).json().ticket).toMatchObject({ status: 'waiting', assignedCounter: 2 });
  });

  it("a ticket transferred to a counter is that counter's: the one that sent it no longer acts on it", async () => {
    const a = await take('general');
    await post('/counters/1/open', COUNTER(1));
    await post('/counters/1/call-next', COUNTER(1));
    expect((await post('/counters/1/transfer', COUNTER(1), { counterNo: 6 })).json().ticket.assignedCounter).toBe(6);
    refused(await post(`/tickets/${a.id}/cancel`, COUNTER(1)));
    expect((await post(`/tickets/${a.id}/cancel`, COUNTER(6))).json().ticket.status).toBe('cancelled');
  });

  it('requeues a 过号 it called; a counter of another service cannot', async () => {
    const a = await take('general');
    await post('/counters/1/open', COUNTER(1));
    await post('/counters/1/call-next', COUNTER(1));
    await post('/counters/1/no-show', COUNTER(1));
    refused(await post(`/tickets/${a.id}/requeue`, COUNTER(5)));
    expect((await post(`/tickets/${a.id}/requeue`, COUNTER(1))).json().ticket.status).toBe('waiting');
  });

  it('a refusal is stored with its Idempotency-Key: the retry gets the same 403', async () => {
    const e1 = await take('employer');
    const headers = { ...COUNTER(1), 'idempotency-key': 'scope-cancel-0001' };
    refused(await post(`/tickets/${e1.id}/cancel`, headers));
    const again = await post(`/tickets/${e1.id}/cancel`, headers);
    refused(again);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });
});

describe('appointments: a hall-server booking is cancelled by the hall server', () => {
  const booking = { idNumber: '110101199003078515', serviceCode: 'general', day: '2026-11-23', windowStart: '10:00', windowEnd: '10:30' };

  it('refuses a counter cancelling an appointment the hall server booked', async () => {
    const b = await post('/appointments', HALL, booking);
    expect(b.statusCode).toBe(200);
    const id = b.json().appointment.id as number;
    refused(await post(`/appointments/${id}/cancel`, COUNTER(1)));
    expect((await s.app.inject({ url: `/api/v1/appointments/${id}`, headers: HALL })).json().appointment.status).toBe('booked');
    expect((await post(`/appointments/${id}/cancel`, HALL)).json().appointment.status).toBe('cancelled');
  });

  it('a booking made at a counter is cancelled there or by a counter serving its service, not by another', async () => {
    const id1 = (await post('/appointments', COUNTER(1), booking)).json().appointment.id as number;
    refused(await post(`/appointments/${id1}/cancel`, COUNTER(5)));
    expect((await post(`/appointments/${id1}/cancel`, COUNTER(2))).json().appointment.status).toBe('cancelled');
    const id2 = (await post('/appointments', COUNTER(5), { ...booking, idNumber: '11010519491231002X' })).json().appointment.id as number;
    expect((await post(`/appointments/${id2}/cancel`, COUNTER(5))).json().appointment.status).toBe('cancelled');
  });
});
