import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { SAMPLE_CARDS } from '../../../drivers/idcard/index.ts';
import { PriorityRule } from '../../../kiosk/queue/priority.ts';
import { CitizenSession } from '../../../kiosk/session/citizen-session.ts';
import { fakeClock, makeHall } from '../../helpers/engine.ts';
import { COUNTER, makeServer, TERMINAL, type TestServer } from '../../helpers/server.ts';

// The hall resets at 03:00 (config/defaults.json); 65 is the 绿色通道 age; the default test day is 2026-11-23.
const TURNS_65_TODAY = '1961-11-23';
const TURNS_65_TOMORROW = '1961-11-24';
const DEVICES_OFF = { devices: { idcard: { mode: 'off' }, scanner: { mode: 'off' }, printer: { mode: 'off' }, dispenser: { mode: 'off' } } };
const general = { priorityReasons: ['elderly', 'disabled', 'pregnant', 'talent'] as const };
const employer = { priorityReasons: ['talent'] as const };

describe('the 绿色通道 rule (kiosk/queue/priority.ts)', () => {
  const rule = new PriorityRule(loadConfig());

  it('is 65 on the 65th birthday and 64 the day before', async () => {
    expect(rule.isElderly(TURNS_65_TODAY, '2026-11-23')).toBe(true);
    expect(rule.isElderly(TURNS_65_TOMORROW, '2026-11-23')).toBe(false);
    expect(rule.decide(general, { birthDate: TURNS_65_TODAY }, '2026-11-23')).toEqual({ reason: 'elderly', basis: 'card' });
    expect(rule.decide(general, { birthDate: TURNS_65_TOMORROW }, '2026-11-23')).toEqual({ reason: null, basis: null });
  });

  it('counts the age on the business day: 02:30 on the birthday still belongs to the day before', async () => {
    expect(rule.businessDayAt(Date.parse('2026-11-23T02:30:00+08:00'))).toBe('2026-11-22');
    expect(rule.businessDayAt(Date.parse('2026-11-23T03:00:00+08:00'))).toBe('2026-11-23');
  });

  it('never takes a declared elderly: only the card proves age', async () => {
    expect(rule.decide(general, { declared: 'elderly' }, '2026-11-23')).toEqual({ reason: null, basis: null });
    expect(rule.decide(general, { declared: 'elderly', birthDate: TURNS_65_TOMORROW }, '2026-11-23')).toEqual({ reason: null, basis: null });
    expect(rule.declarable(general)).toEqual(['disabled', 'pregnant', 'talent']);
  });

  it('honours a declared reason only where the service does, marked as declared (待窗口核验)', async () => {
    expect(rule.decide(general, { declared: 'pregnant' }, '2026-11-23')).toEqual({ reason: 'pregnant', basis: 'declared' });
    expect(rule.decide(employer, { declared: 'pregnant' }, '2026-11-23')).toEqual({ reason: null, basis: null });
    expect(rule.decide(employer, { birthDate: '1930-01-01' }, '2026-11-23')).toEqual({ reason: null, basis: null });
  });

  it('boosts by boostMinutes and counts the streak of priority calls', async () => {
    expect(rule.sortAt(1_000_000_000, 'disabled')).toBe(1_000_000_000 - 30 * 60_000);
    expect(rule.sortAt(1_000_000_000, null)).toBe(1_000_000_000);
    expect(rule.nextStreak(1, true)).toBe(2);
    expect(rule.nextStreak(2, false)).toBe(0);
  });
});

describe('the session (UI hint) counts the age on the business day', () => {
  const card = (birthDate: string) => ({ ...SAMPLE_CARDS.elder, birthDate });

  it('is not elderly at 02:30 on the 65th birthday, and is at 03:00', async () => {
    const clock = fakeClock('2026-11-23T02:30:00');
    const session = new CitizenSession(loadConfig(), clock);
    expect(session.acceptCard(card(TURNS_65_TODAY))).toBe(true);
    expect(session.public()).toMatchObject({ age: 64, elderly: false });
    clock.set('2026-11-23T03:00:00');
    session.acceptCard(card(TURNS_65_TODAY));
    expect(session.public()).toMatchObject({ age: 65, elderly: true });
  });
});

describe('every channel goes through the rule', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('engine: a birthday at the reset time counts from 03:00, not from midnight', async () => {
    const hall = await makeHall({}, fakeClock('2026-11-23T02:30:00'));
    const early = await hall.engine.issue({ serviceCode: 'general', identity: { hash: 'hash-early-0000000001', birthDate: TURNS_65_TODAY } });
    expect(early.ticket).toMatchObject({ priority: false, priorityReason: null, priorityBasis: null });
    hall.clock.set('2026-11-23T03:00:00');
    const late = await hall.engine.issue({ serviceCode: 'general', identity: { hash: 'hash-late-00000000001', birthDate: TURNS_65_TODAY } });
    expect(late.ticket).toMatchObject({ day: '2026-11-23', priority: true, priorityReason: 'elderly', priorityBasis: 'card' });
    await hall.close();
  });

  it('kiosk: a declared elderly without a card gives no priority; a declared pregnancy does, marked declared', async () => {
    s = await makeServer(DEVICES_OFF);
    const take = (priorityReason: string) =>
      s!.app.inject({
        method: 'POST',
        url: '/api/v1/kiosk/tickets',
        payload: { serviceCode: 'general', priorityReason, useIdentity: false, requestId: `kiosk-${priorityReason}-0001` },
      });
    expect((await take('elderly')).json().ticket).toMatchObject({ priority: false, priorityBasis: null });
    expect((await take('pregnant')).json().ticket).toMatchObject({ priority: true, priorityBasis: 'declared' });
  });

  it('kiosk: the card of a citizen who is 65 today gives 绿色通道 by card', async () => {
    s = await makeServer(DEVICES_OFF);
    s.kiosk.session.acceptCard({ ...SAMPLE_CARDS.elder, birthDate: TURNS_65_TODAY });
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/kiosk/tickets',
      payload: { serviceCode: 'general', useIdentity: true, requestId: 'kiosk-card-000001' },
    });
    expect(res.json().ticket).toMatchObject({ priority: true, priorityBasis: 'card' });
  });

  it('terminal: neither loopback nor a terminal token gets priority for a declared elderly without a card', async () => {
    s = await makeServer(DEVICES_OFF);
    const issue = (headers: Record<string, string>, body: object) =>
      s!.app.inject({ method: 'POST', url: '/api/v1/terminal/tickets', headers, payload: { serviceCode: 'general', ...body } });
    expect((await issue({}, { priorityReason: 'elderly' })).statusCode).toBe(401); // loopback is not a terminal
    expect((await issue(TERMINAL, { priorityReason: 'elderly' })).json().ticket).toMatchObject({ priority: false });
    const carded = await issue(TERMINAL, { identity: { hash: 'terminal-hash-000000001', birthDate: TURNS_65_TODAY } });
    expect(carded.json().ticket).toMatchObject({ priority: true, priorityBasis: 'card' });
    const young = await issue(TERMINAL, { identity: { hash: 'terminal-hash-000000002', birthDate: TURNS_65_TOMORROW } });
    expect(young.json().ticket).toMatchObject({ priority: false });
  });

  it('counter: call-next applies the streak cap (maxConsecutive = 2) to declared priority tickets', async () => {
    s = await makeServer(DEVICES_OFF);
    const engine = s.kiosk.engine!;
    const normal = (await engine.issue({ serviceCode: 'general' })).ticket;
    s.clock.advanceMinutes(1);
    const p = [];
    for (let i = 0; i < 3; i++) p.push((await engine.issue({ serviceCode: 'general', priorityReason: 'disabled' })).ticket);
    await s.app.inject({ method: 'POST', url: '/api/v1/counters/1/open', headers: COUNTER(1) });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const called = (await s.app.inject({ method: 'POST', url: '/api/v1/counters/1/call-next', headers: COUNTER(1) })).json().ticket;
      order.push(called.displayNo);
      await s.app.inject({ method: 'POST', url: '/api/v1/counters/1/complete', headers: COUNTER(1) });
    }
    expect(order).toEqual([p[0]!.displayNo, p[1]!.displayNo, normal.displayNo, p[2]!.displayNo]);
  });

  it('appointments: a checked-in appointment is priority (for the streak) with no 绿色通道 reason', async () => {
    const hall = await makeHall();
    const a = await hall.appointments.book({
      identityHash: 'appt-hash-0000000001',
      serviceCode: 'general',
      day: '2026-11-23',
      windowStart: '09:00',
      windowEnd: '09:30',
    });
    const { ticket } = await hall.appointments.checkIn({ appointmentId: a.id });
    expect(ticket).toMatchObject({ priority: true, priorityReason: null, priorityBasis: 'appointment', appointment: true });
    await hall.close();
  });

  it('UI hint: /kiosk/info lists the reasons a citizen may declare per service, never elderly', async () => {
    s = await makeServer(DEVICES_OFF);
    const info = (await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/info' })).json();
    const byCode = Object.fromEntries(info.services.map((x: { code: string; declarableReasons: string[] }) => [x.code, x.declarableReasons]));
    expect(byCode.general).toEqual(['disabled', 'pregnant', 'talent']);
    expect(byCode.employer).toEqual(['talent']);
  });
});
