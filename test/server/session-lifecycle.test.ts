import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_CARDS } from '../../drivers/idcard/index.ts';
import { act, until } from '../helpers/devices.ts';
import { HALL, makeServer, type TestServer } from '../helpers/server.ts';

// The card identity belongs to one task (kiosk/session/citizen-session.ts, kiosk/session/bind.ts),
// against the daemon with its real ID-card driver talking GA 467 frames to the simulator.
let s: TestServer;
const IDLE_S = 15;
beforeAll(async () => {
  s = await makeServer({ devices: { dispenser: { mode: 'off' } }, ui: { idleTimeoutSeconds: IDLE_S } });
  await s.kiosk.startDevices();
  await until(() => s.kiosk.devices.status('printer').state === 'ready' && s.kiosk.devices.status('idcard').state === 'ready');
});
afterAll(async () => {
  await s?.close();
});

type SessionView = { identity: { maskedName: string; elderly: boolean } | null; reader: { code: string; message: string } | null };
const session = async (): Promise<SessionView> => (await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/session' })).json();
const advanceSeconds = (n: number) => s.clock.advanceMinutes(n / 60);
let req = 0;
const take = (body: object) =>
  s.app.inject({ method: 'POST', url: '/api/v1/kiosk/tickets', payload: { useIdentity: false, requestId: `life-${++req}-abcdefgh`, ...body } });

/** A clean reader and no identity before each case. */
beforeEach(async () => {
  await act(s, 'idcard', 'remove-card');
  await until(() => !s.kiosk.session.mustReplaceCard && !s.kiosk.devices.idcard?.cardPresent);
  await s.app.inject({ method: 'DELETE', url: '/api/v1/kiosk/session' });
  expect(await session()).toEqual({ identity: null, reader: null });
});

/** Place a card and wait until the session holds the identity read from it. */
async function place(fixture: keyof typeof SAMPLE_CARDS): Promise<SessionView> {
  const before = s.kiosk.session.identity;
  await act(s, 'idcard', 'insert-card', { fixture });
  await until(() => s.kiosk.session.identity && s.kiosk.session.identity !== before);
  return session();
}

describe('the identity ends with its task', () => {
  it('ends on the daemon side after ui.idleTimeoutSeconds without activity, with no browser involved', async () => {
    await place('elder');
    // Activity pings keep it: the same check the idle timer runs, right after the clock passed the timeout since the read.
    advanceSeconds(IDLE_S - 5);
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/session/activity', payload: {} })).statusCode).toBe(200);
    advanceSeconds(IDLE_S - 5);
    s.kiosk.session.expireIfIdle();
    expect((await session()).identity).toMatchObject({ maskedName: '张*' });
    // Then nobody touches the screen: the daemon's own timer ends it (polled, not timed).
    advanceSeconds(IDLE_S);
    await until(async () => (await session()).identity === null);
    // The card still lies there, already read: the next step asks for it to be placed again.
    expect((await session()).reader).toMatchObject({ code: 'IDCARD_REPLACE' });
    const res = await take({ serviceCode: 'general', useIdentity: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('IDCARD_REPLACE');
  });

  it('ends when the ticket is issued; the same card left on the reader must be placed again, then finds the ticket', async () => {
    await place('elder');
    const first = (await take({ serviceCode: 'general', useIdentity: true })).json();
    expect(first.ticket.priority).toBe(true);
    expect((await session()).identity).toBeNull();
    // 完成 → 取号 with the card still on the reader: no ticket without 绿色通道, a clear request instead.
    const stale = await take({ serviceCode: 'general', useIdentity: false });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'IDCARD_REPLACE', message: '请将读卡区上的身份证取下，再重新放好，以便重新识别身份' });
    await act(s, 'idcard', 'remove-card');
    await until(async () => (await session()).reader === null);
    await place('elder');
    const again = (await take({ serviceCode: 'general', useIdentity: true })).json();
    expect(again).toMatchObject({ existing: true, ticket: { id: first.ticket.id, priority: true } });
  });

  it('ends when the appointment is checked in', async () => {
    const booked = await s.app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: HALL,
      payload: { idNumber: SAMPLE_CARDS.adult.idNumber, serviceCode: 'general', day: '2026-11-23', windowStart: '08:50', windowEnd: '09:30' },
    });
    expect(booked.statusCode, booked.body).toBe(200);
    await place('adult');
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/appointments/check-in', payload: {} });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().ticket.appointment).toBeTruthy();
    expect(await session()).toMatchObject({ identity: null, reader: { code: 'IDCARD_REPLACE' } });
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/appointments/check-in', payload: {} })).json().error.code).toBe('IDCARD_REPLACE');
  });

  it('ends when the kiosk returns home, and a reload (a new GET) does not bring it back', async () => {
    await place('adult');
    await s.app.inject({ method: 'DELETE', url: '/api/v1/kiosk/session' });
    expect((await session()).identity).toBeNull();
    expect((await session()).identity).toBeNull();
    expect(s.kiosk.session.identity).toBeNull();
  });

  it('is replaced by a new card, and survives lifting the card mid-task until the task ends', async () => {
    await place('adult');
    await act(s, 'idcard', 'remove-card');
    await until(() => !s.kiosk.devices.idcard?.cardPresent);
    // Lifted mid-task: the identity stays for this task (bounded by the idle timer).
    expect((await session()).identity).not.toBeNull();
    const elder = await place('elder');
    expect(elder.identity).toMatchObject({ maskedName: '张*', elderly: true });
    const t = (await take({ serviceCode: 'general', useIdentity: true })).json();
    expect(t.ticket.priority).toBe(true);
  });
});

describe('a failed card read', () => {
  it('reaches the session with the driver message (bad checksum), and the card is read again once placed again', async () => {
    await act(s, 'idcard', 'corrupt-next-read');
    await act(s, 'idcard', 'insert-card', { fixture: 'elder' });
    const failed = await until(async () => (await session()).reader);
    expect(failed).toEqual({ code: 'IDCARD_READ_FAILED', message: '读卡器应答数据损坏，请重新放置身份证' });
    expect((await session()).identity).toBeNull();
    // The driver keeps polling: lifted and placed again, the card is read and the message goes.
    await act(s, 'idcard', 'remove-card');
    const v = await place('elder');
    expect(v).toMatchObject({ identity: { maskedName: '张*' }, reader: null });
  });

  it('is carried on the citizen event stream (/kiosk/events) with the driver message', async () => {
    const address = await s.app.listen({ port: 0, host: '127.0.0.1' });
    const seen = new Promise<string>((resolve, reject) => {
      const req = http.get(`${address}/api/v1/kiosk/events`, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          const block = buf.split('\n\n').find((b) => b.includes('event: session') && b.includes('IDCARD_READ_FAILED'));
          if (block) {
            req.destroy();
            resolve(block);
          }
        });
        void (async () => {
          await act(s, 'idcard', 'corrupt-next-read');
          await act(s, 'idcard', 'insert-card', { fixture: 'adult' });
        })().catch(reject);
      });
      req.on('error', () => undefined);
    });
    const block = await seen;
    expect(block).toContain('读卡器应答数据损坏，请重新放置身份证');
    expect(block).toContain('"identity":null');
  });
});

describe('a printed certificate', () => {
  it('ends the identity; the finished job keeps its status (and one 补打) until the kiosk goes home', async () => {
    await place('insured');
    const who = await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/certificates/identity' });
    expect(who.json().identity).toMatchObject({ source: 'card' });
    const preview = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/certificates/preview', payload: { kind: 'proof', paymentMonths: 12 } });
    expect(preview.statusCode, preview.body).toBe(200);
    const code = preview.json().code as string;
    const printed = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/certificates/print', payload: { code } });
    expect(printed.statusCode, printed.body).toBe(200);
    await until(async () => (await s.app.inject({ method: 'GET', url: `/api/v1/kiosk/certificates/print/${code}` })).json().state === 'done', 20_000);
    expect(await session()).toMatchObject({ identity: null, reader: { code: 'IDCARD_REPLACE' } });
    expect((await take({ serviceCode: 'general', useIdentity: true })).json().error.code).toBe('IDCARD_REPLACE');
    expect(
      (await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/certificates/preview', payload: { kind: 'proof', paymentMonths: 12 } })).json().error.code,
    ).toBe('IDCARD_REPLACE');
    const status = (await s.app.inject({ method: 'GET', url: `/api/v1/kiosk/certificates/print/${code}` })).json();
    expect(status).toMatchObject({ state: 'done', reprintable: true });
    const reprint = await s.app.inject({ method: 'POST', url: `/api/v1/kiosk/certificates/print/${code}/reprint`, payload: {} });
    expect(reprint.statusCode, reprint.body).toBe(200);
    // Home: the job goes too.
    await s.app.inject({ method: 'DELETE', url: '/api/v1/kiosk/session' });
    expect((await s.app.inject({ method: 'GET', url: `/api/v1/kiosk/certificates/print/${code}` })).statusCode).toBe(404);
  }, 30_000);
});
