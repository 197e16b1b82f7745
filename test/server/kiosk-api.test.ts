import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CARDS } from '../../drivers/idcard/index.ts';
import { signTicketCode } from '../../kiosk/scan/index.ts';
import { act, fileContains, lastReceipt, until } from '../helpers/devices.ts';
import { ADMIN, makeServer, type TestServer } from '../helpers/server.ts';

// The citizen API against the real drivers talking to simulators over pseudo-terminals.
let s: TestServer;
beforeAll(async () => {
  s = await makeServer({ devices: { dispenser: { mode: 'off' } } });
  await s.kiosk.startDevices();
  await until(() => s.kiosk.devices.status('printer').state === 'ready');
});
afterAll(async () => {
  await s?.close();
});

let req = 0;
const take = (body: object) =>
  s.app.inject({ method: 'POST', url: '/api/v1/kiosk/tickets', payload: { useIdentity: false, requestId: `req-${++req}-abcdefgh`, ...body } });

describe('取号 with the ID card and the printer', () => {
  it('reads the card, keeps only masked data, gives 绿色通道 and prints a ticket without personal data', async () => {
    await act(s, 'idcard', 'insert-card', { fixture: 'elder' });
    const session = await until(async () => (await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/session' })).json().identity);
    expect(session).toMatchObject({ maskedName: '张*', maskedId: '110***********003X', elderly: true });
    const res = await take({ serviceCode: 'general', useIdentity: true });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ticket).toMatchObject({ priority: true, printState: 'printed' });
    expect(body.print.ok).toBe(true);
    const { receipt, text } = await lastReceipt(s);
    expect(text).toContain(body.ticket.displayNo);
    expect(text).toContain('示例县医疗保障服务大厅');
    expect(text).toContain('绿色通道');
    expect(receipt.qrCodes).toContain(body.qrText);
    expect(text).not.toContain(SAMPLE_CARDS.elder.idNumber);
    expect(text).not.toContain(SAMPLE_CARDS.elder.name);

    // The ticket ended the identity; the card still lies on the reader, which will not read it
    // again until it is lifted: the next 取号 asks for that instead of a ticket without 绿色通道.
    expect(s.kiosk.session.identity).toBeNull();
    for (const useIdentity of [true, false]) {
      const stale = await take({ serviceCode: 'general', useIdentity });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'IDCARD_REPLACE', message: '请将读卡区上的身份证取下，再重新放好，以便重新识别身份' });
    }
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/session' })).json()).toMatchObject({ identity: null, reader: { code: 'IDCARD_REPLACE' } });
    await act(s, 'idcard', 'remove-card');
    await until(async () => (await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/session' })).json().reader === null);
    await act(s, 'idcard', 'insert-card', { fixture: 'elder' });
    await until(() => s.kiosk.session.identity);
    const again = (await take({ serviceCode: 'general', useIdentity: true })).json();
    expect(again).toMatchObject({ existing: true, ticket: { id: body.ticket.id, priority: true } });
    await act(s, 'idcard', 'remove-card');
    await until(() => !s.kiosk.session.mustReplaceCard);
  });

  it('keeps the ticket valid when the printer is out of paper, and reprints it afterwards', async () => {
    await act(s, 'printer', 'paper-out');
    const res = (await take({ serviceCode: 'reimburse' })).json();
    expect(res.print).toMatchObject({ ok: false, code: 'paper-out' });
    expect(res.print.message).toMatch(/缺纸/);
    expect(res.ticket).toMatchObject({ status: 'waiting', printState: 'failed' });
    const lookup = await s.app.inject({ method: 'GET', url: `/api/v1/kiosk/tickets/lookup?number=${res.ticket.displayNo}` });
    expect(lookup.json().ticket.printState).toBe('failed');
    expect(s.kiosk.printing.unprintedTickets()).toContain(res.ticket.id);

    // The fault reached the hall's event stream for staff.
    const faults = (await s.kiosk.engine!.reader.eventsSince(0, 10_000)).filter((e) => e.type === 'device.status' && e.payload.device === 'printer');
    expect(faults.some((e) => e.payload.state === 'fault' && e.payload.code === 'paper-out')).toBe(true);

    await act(s, 'printer', 'paper-ok');
    await until(() => s.kiosk.devices.status('printer').state === 'ready');
    const reprint = await s.app.inject({ method: 'POST', url: `/api/v1/kiosk/tickets/${res.ticket.id}/reprint` });
    expect(reprint.json().print.ok).toBe(true);
    expect((await lastReceipt(s)).text).toContain(res.ticket.displayNo);
    expect(s.kiosk.printing.unprintedTickets()).not.toContain(res.ticket.id);
  });

  it('prints a ticket on the retry when the process died after committing it and before its print job (issue 18)', async () => {
    // The state a SIGKILL leaves between the queue's commit and the print job row: the ticket
    // exists with print state 'none' and this kiosk has no document to reprint.
    await s.app.inject({ method: 'DELETE', url: '/api/v1/kiosk/session' }); // a new citizen: the per-session ticket limit starts again
    const requestId = 'req-crash-before-print-abcdefgh';
    const committed = await s.kiosk.queue.issue({ serviceCode: 'general', requestId, channel: 'kiosk' });
    expect(committed.ticket.printState).toBe('none');
    const retry = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/tickets', payload: { serviceCode: 'general', useIdentity: false, requestId } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ ticket: { id: committed.ticket.id, printState: 'printed' }, print: { ok: true } });
    expect((await lastReceipt(s)).text).toContain(committed.ticket.displayNo);
    // Printed once: a further retry prints nothing, and 补打 now has the stored document.
    const again = (
      await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/tickets', payload: { serviceCode: 'general', useIdentity: false, requestId } })
    ).json();
    expect(again).toMatchObject({ ticket: { id: committed.ticket.id, printState: 'printed' }, print: { ok: true } });
    expect(s.kiosk.db.prepare("SELECT COUNT(*) AS n FROM print_jobs WHERE ticket_id = ? AND kind = 'ticket'").get(committed.ticket.id)).toEqual({ n: 1 });
    const reprint = await s.app.inject({ method: 'POST', url: `/api/v1/kiosk/tickets/${committed.ticket.id}/reprint` });
    expect(reprint.json().print.ok).toBe(true);
  });

  it('admin test read reports a card the poller already read (it cannot be read twice until lifted)', async () => {
    await act(s, 'idcard', 'insert-card', { fixture: 'adult' });
    await until(() => s.kiosk.devices.idcard?.presentCardType === 'resident');
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/admin/devices/idcard/test-read', headers: ADMIN });
    expect(res.json()).toMatchObject({ ok: true, cardType: 'resident' });
    expect(res.body).not.toContain('张三');
  });

  it('never stores or logs the ID number or name in the database file', async () => {
    s.kiosk.db.pragma('wal_checkpoint(TRUNCATE)');
    const dbFile = s.kiosk.db.name;
    for (const needle of [SAMPLE_CARDS.elder.idNumber, SAMPLE_CARDS.elder.name, SAMPLE_CARDS.elder.address]) {
      expect(fileContains(dbFile, needle)).toBe(false);
    }
  });

  it('forgets the citizen when the session is cleared', async () => {
    expect(s.kiosk.session.identity).not.toBeNull();
    await s.app.inject({ method: 'DELETE', url: '/api/v1/kiosk/session' });
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/session' })).json().identity).toBeNull();
    expect(s.kiosk.session.identity).toBeNull();
    // The card still lies on the reader: it has to be placed again, not silently ignored.
    expect((await take({ serviceCode: 'general', useIdentity: true })).statusCode).toBe(409);
    await act(s, 'idcard', 'remove-card');
    await until(() => !s.kiosk.session.mustReplaceCard);
    const res = await take({ serviceCode: 'general', useIdentity: true });
    expect(res.statusCode).toBe(400);
  });
});

describe('scans and lookups', () => {
  it("recognises this hall's signed ticket code and refuses a forged one", async () => {
    const t = (await take({ serviceCode: 'enrol' })).json();
    const ok = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/scan', payload: { text: t.code } });
    expect(ok.json()).toMatchObject({ kind: 'ticket', ticket: { id: t.ticket.id, displayNo: t.ticket.displayNo } });
    const forged = signTicketCode({ hallCode: 'DEMO-HALL', day: t.ticket.day, ticketNo: 'B999', ticketId: '999' }, 'another-key-that-is-long-enough');
    const bad = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/scan', payload: { text: forged } });
    expect(bad.json().kind).toBe('invalid-code');
  });

  it('shows a 呼叫工作人员 request to staff through the API', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/assistance', payload: { screen: 'take' } });
    expect(res.json().ok).toBe(true);
    const list = await s.app.inject({ method: 'GET', url: '/api/v1/assistance', headers: { authorization: 'Bearer dev-hall-server-token-0001' } });
    expect(list.json().requests[0]).toMatchObject({ screen: 'take', terminal: 'DEMO-HALL' });
  });

  it('refuses the citizen routes to remote callers', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/session', remoteAddress: '192.0.2.10' });
    expect(res.statusCode).toBe(401);
  });
});

describe('办事指南', () => {
  it('finds 异地就医 items by Chinese and by initials, and prints a 一次性告知单', async () => {
    const zh = (await s.app.inject({ method: 'GET', url: `/api/v1/kiosk/guides?q=${encodeURIComponent('异地就医')}` })).json();
    const initials = (await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/guides?q=ydjy' })).json();
    expect(zh.items.length).toBeGreaterThan(0);
    expect(initials.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([zh.items[0].id]));
    const page = (await s.app.inject({ method: 'GET', url: `/api/v1/kiosk/guides/${zh.items[0].id}` })).json().item;
    expect(page.fields.map((f: { label: string }) => f.label)).toEqual(expect.arrayContaining(['设定依据', '受理条件', '办理时限', '监督投诉电话']));
    const notice = await s.app.inject({ method: 'POST', url: `/api/v1/kiosk/guides/${page.id}/notice`, payload: { have: [] } });
    expect(notice.json().print.ok).toBe(true);
    expect((await lastReceipt(s)).text).toContain(page.name);
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/guides/no-such-item' })).statusCode).toBe(404);
  });
});
