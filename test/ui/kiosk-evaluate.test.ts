import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inPage, openKiosk, screenshot, startDaemon, type Daemon, useKioskRig, waitForPage } from '../helpers/browser.ts';
import { consoleLogin } from '../helpers/server.ts';

const COUNTER_1 = { authorization: 'Bearer dev-counter-token-0001' };

const rig = useKioskRig();

async function api<T = unknown>(
  d: Daemon,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(d.api + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

/** Counter 1 calls the next ticket and completes it (the only one waiting for it). */
async function serveNext(d: Daemon): Promise<string> {
  const called = await api<{ ticket: { displayNo: string } }>(d, 'POST', '/api/v1/counters/1/call-next', COUNTER_1, {});
  expect(called.status).toBe(200);
  const done = await api(d, 'POST', '/api/v1/counters/1/complete', COUNTER_1, {});
  expect(done.status).toBe(200);
  return called.json.ticket.displayNo;
}

interface EvaluationRecord {
  id: number;
  subject: string;
  ticketId: number | null;
  displayNo: string | null;
  seq: number;
  channel: string;
  level: string;
  bad: boolean;
  reasons: string[];
  itemName: string | null;
  counterNo: number | null;
  anonymous: boolean;
}

async function evaluations(d: Daemon): Promise<EvaluationRecord[]> {
  const r = await api<{ evaluations: EvaluationRecord[] }>(d, 'GET', '/api/v1/evaluations', await consoleLogin(d.url));
  expect(r.status).toBe(200);
  return r.json.evaluations;
}

/** The screen audit trail (not exposed over HTTP): read from the daemon's database. */
function screens(d: Daemon): { ticket_id: number | null; kind: string }[] {
  const db = new Database(join(d.dataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT ticket_id, kind FROM evaluation_screens ORDER BY id').all() as { ticket_id: number | null; kind: string }[];
  } finally {
    db.close();
  }
}

/** Takes a 综合业务 ticket on the kiosk (no ID card) and returns its number and QR text. */
async function takeTicket(page: Page): Promise<{ number: string; qrText: string }> {
  await page.click('[data-action="take"]');
  await page.click('kiosk-take [data-service="general"]');
  await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
  const number = (await page.locator('[data-ticket-no]').textContent())!.trim();
  await page.locator('[data-qr="ready"] svg').waitFor();
  const qrText = await page.locator('kiosk-qr').evaluate((e) => (e as unknown as { text: string }).text);
  return { number, qrText };
}

/** Types a ticket number on the evaluation screen's on-screen keyboard and presses 查询. */
async function typeNumber(page: Page, number: string): Promise<void> {
  await page.click('kiosk-evaluate [data-key="Clear"]');
  for (const ch of number.toLowerCase()) await page.click(`kiosk-evaluate [data-key="${ch}"]`);
  expect(await page.locator('[data-evaluate-number]').inputValue()).toBe(number);
  await page.click('kiosk-evaluate [data-key="Enter"]');
}

/** Scans a QR code with the keyboard-wedge scanner (a fast burst of keys ending in Enter). */
async function scanQr(page: Page, text: string): Promise<void> {
  await page.evaluate(`(() => {
    for (const key of [...${JSON.stringify(text)}, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  })()`);
}

const pressed = (page: Page, selector: string): Promise<(string | null)[]> =>
  page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')));

/** Boxes of every visible button in the whole UI (through shadow roots). */
function buttonBoxes(page: Page): Promise<{ text: string; w: number; h: number }[]> {
  return inPage(
    page,
    `deepAll()
      .filter((el) => el.tagName === 'BUTTON')
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ el, r }) => r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map(({ el, r }) => ({ text: el.textContent.trim(), w: r.width, h: r.height }))`,
  );
}

describe('好差评 on the kiosk in real Chromium', () => {
  test('self-service evaluation after 完成 (skip, then rate); counter service evaluated by its QR (a typed number alone is refused); 差评 needs a reason; no third evaluation', async () => {
    const opened = await api(rig.daemon, 'POST', '/api/v1/counters/1/open', COUNTER_1, {});
    expect(opened.status).toBe(200);
    const page = await openKiosk(rig.browser, rig.daemon);

    // ---- self-service: 完成 offers the short evaluation on the home screen; 跳过 closes it.
    const first = await takeTicket(page);
    await page.click('[data-action="done"]');
    await page.locator('kiosk-home').waitFor();
    await page.locator('[data-self-eval]').waitFor();
    expect(await page.locator('[data-self-eval]').textContent()).toContain('请您对本次自助服务进行评价');
    expect(await page.locator('[data-self-level]').allTextContents()).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    expect(await pressed(page, '[data-self-level]')).toEqual(['false', 'false', 'false', 'false', 'false']);
    await screenshot(page, 'self-eval-offered');
    await page.click('[data-action="self-eval-skip"]');
    await page.locator('[data-self-eval]').waitFor({ state: 'detached' });
    await page.locator('kiosk-home').waitFor();

    // The next visit rates it: 满意 → 提交 → thanks.
    const second = await takeTicket(page);
    await page.click('[data-action="done"]');
    await page.locator('[data-self-eval]').waitFor();
    await page.click('[data-self-level="满意"]');
    expect(await pressed(page, '[data-self-level]')).toEqual(['false', 'true', 'false', 'false', 'false']);
    await page.click('[data-action="self-eval-submit"]');
    await page.locator('[data-self-eval-thanks]').waitFor();
    await screenshot(page, 'self-eval-thanks');

    // ---- not served yet: refused before any rating is asked for.
    await page.click('[data-action="evaluate"]');
    await page.locator('kiosk-evaluate').waitFor();
    await page.locator('[data-self-eval-thanks]').waitFor({ state: 'detached' });
    await scanQr(page, first.qrText);
    await page.locator('[data-evaluate-error]').waitFor();
    expect(await page.locator('[data-evaluate-error]').textContent()).toContain('尚未办结');
    expect(await page.locator('[data-level]').count()).toBe(0);

    // ---- the counter serves the first ticket. Its number alone (no QR, no ID card) does not open the form:
    // the citizen is told to scan the ticket's QR code or put the ID card that took it on the reader.
    expect(await serveNext(rig.daemon)).toBe(first.number);
    expect(await page.locator('[data-evaluate-card]').textContent()).toContain('请将取号时使用的身份证放到读卡区');
    await typeNumber(page, first.number);
    await waitForPage(
      page,
      `(document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-evaluate')?.shadowRoot?.querySelector('[data-evaluate-error]')?.textContent ?? '').includes('身份证')`,
    );
    expect(await page.locator('[data-evaluate-error]').textContent()).toMatch(/二维码/);
    expect(await page.locator('[data-level]').count()).toBe(0);
    // Nor does the daemon take one: EVALUATION_PROOF_REQUIRED.
    const typed = await api<{ error: { code: string } }>(
      rig.daemon,
      'POST',
      '/api/v1/kiosk/evaluations',
      {},
      { displayNo: first.number, level: '非常不满意', reasons: ['attitude'] },
    );
    expect(typed).toMatchObject({ status: 403, json: { error: { code: 'EVALUATION_PROOF_REQUIRED' } } });
    await screenshot(page, 'evaluate-proof-required');
    await scanQr(page, first.qrText);
    await page.locator('[data-evaluate-form]').waitFor();
    expect(await page.locator('[data-evaluate-ticket]').textContent()).toContain(first.number);
    expect(await page.locator('[data-evaluate-service]').textContent()).toContain('综合业务');
    expect(await page.locator('[data-evaluate-counter]').textContent()).toContain('1号窗口');
    expect(await page.locator('[data-level]').allTextContents()).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    expect(await pressed(page, '[data-level]')).toEqual(['false', 'false', 'false', 'false', 'false']);
    expect(await page.locator('[data-action="evaluate-submit"]').isDisabled()).toBe(true);
    // Equally prominent: the five buttons have the same size.
    const sizes = await page.locator('[data-level]').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return `${Math.round(r.width)}x${Math.round(r.height)}`;
      }),
    );
    expect(new Set(sizes).size).toBe(1);
    await screenshot(page, 'evaluate-form');

    // 差评 without a reason: the rig.daemon refuses and its message is shown.
    await page.click('[data-level="不满意"]');
    await page.locator('[data-reason]').first().waitFor();
    await page.click('[data-action="evaluate-submit"]');
    await page.locator('[data-evaluate-error]').waitFor();
    expect(await page.locator('[data-evaluate-error]').textContent()).toContain('差评请至少选择一项原因');
    await screenshot(page, 'evaluate-reason-required');
    await page.click('[data-reason="attitude"]');
    expect(await page.locator('[data-reason="attitude"]').getAttribute('aria-checked')).toBe('true');
    await page.click('[data-action="evaluate-submit"]');
    await page.locator('[data-evaluate-thanks]').waitFor();
    await screenshot(page, 'evaluate-thanks');

    // Looked up again: the rig.daemon allows one 追加评价, and says so.
    await page.click('[data-action="evaluate-other"]');
    await scanQr(page, first.qrText);
    await page.locator('[data-append]').waitFor();
    expect(await pressed(page, '[data-level]')).toEqual(['false', 'false', 'false', 'false', 'false']);
    await screenshot(page, 'evaluate-append');
    // Meanwhile the 追加评价 arrives from elsewhere (another terminal): this one is refused by the rig.daemon.
    const { json: lookup } = await api<{ ticket: { id: number } }>(rig.daemon, 'POST', '/api/v1/kiosk/evaluations/lookup', {}, { code: first.qrText });
    const elsewhere = await api(rig.daemon, 'POST', '/api/v1/kiosk/evaluations', {}, { code: first.qrText, level: '满意' });
    expect(elsewhere.status).toBe(200);
    await page.click('[data-level="非常满意"]');
    await page.click('[data-action="evaluate-submit"]');
    await page.locator('[data-evaluate-error]').waitFor();
    expect(await page.locator('[data-evaluate-error]').textContent()).toContain('该号票已评价');
    expect(await page.locator('[data-evaluate-form]').count()).toBe(0);
    // And once more: refused at lookup, no levels offered.
    await scanQr(page, first.qrText);
    await waitForPage(
      page,
      `(document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-evaluate')?.shadowRoot?.querySelector('[data-evaluate-error]')?.textContent ?? '').includes('不能再次评价')`,
    );
    expect(await page.locator('[data-level]').count()).toBe(0);
    await screenshot(page, 'evaluate-already');

    // ---- the second ticket, identified by scanning its QR (keyboard-wedge burst), in 长辈模式.
    expect(await serveNext(rig.daemon)).toBe(second.number);
    await page.click('[data-action="elder"]');
    await waitForPage(page, `document.documentElement.classList.contains('elder')`);
    await scanQr(page, second.qrText);
    await page.locator('[data-evaluate-form]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-evaluate-ticket]').textContent()).toContain(second.number);
    await page.click('[data-level="满意"]');
    const small = (await buttonBoxes(page)).filter((b) => b.w < 60 || b.h < 60);
    expect(small).toEqual([]);
    await screenshot(page, 'evaluate-form-elder');
    await page.click('[data-action="evaluate-submit"]');
    await page.locator('[data-evaluate-thanks]').waitFor();
    await page.click('[data-action="evaluate-finish"]');
    await page.locator('kiosk-home').waitFor();

    // ---- printing a 告知单 offers it below the guide page without leaving it; going home skips it.
    await page.click('[data-action="guides"]');
    await page.click('[data-results] [data-guide]');
    await page.locator('[data-item-name]').waitFor();
    await page.click('[data-action="print-notice"]');
    await page.locator('[data-notice-result]').waitFor({ timeout: 15_000 });
    await page.locator('[data-self-eval]').waitFor();
    expect(await page.locator('[data-item-name]').count()).toBe(1);
    await screenshot(page, 'self-eval-after-notice');
    await page.click('[data-action="home"]');
    await page.locator('[data-self-eval]').waitFor({ state: 'detached' });

    // ---- exactly the expected records.
    const records = await evaluations(rig.daemon);
    const summary = records.map((r) => ({
      subject: r.subject,
      displayNo: r.displayNo,
      seq: r.seq,
      channel: r.channel,
      level: r.level,
      bad: r.bad,
      reasons: r.reasons,
      counterNo: r.counterNo,
      anonymous: r.anonymous,
      itemName: r.itemName,
    }));
    expect(summary).toEqual([
      {
        subject: 'kiosk',
        displayNo: null,
        seq: 1,
        channel: 'kiosk',
        level: '满意',
        bad: false,
        reasons: [],
        counterNo: null,
        anonymous: true,
        itemName: '自助取号',
      },
      {
        subject: 'counter',
        displayNo: first.number,
        seq: 1,
        channel: 'ticket-qr',
        level: '不满意',
        bad: true,
        reasons: ['attitude'],
        counterNo: 1,
        anonymous: true,
        itemName: '综合业务',
      },
      {
        subject: 'counter',
        displayNo: first.number,
        seq: 2,
        channel: 'ticket-qr',
        level: '满意',
        bad: false,
        reasons: [],
        counterNo: 1,
        anonymous: true,
        itemName: '综合业务',
      },
      {
        subject: 'counter',
        displayNo: second.number,
        seq: 1,
        channel: 'ticket-qr',
        level: '满意',
        bad: false,
        reasons: [],
        counterNo: 1,
        anonymous: true,
        itemName: '综合业务',
      },
    ]);
    // Screens: the skipped self-service panel is on record, as is every ticket form shown.
    const trail = screens(rig.daemon);
    const selfService = trail.filter((s) => s.ticket_id === null).map((s) => s.kind);
    expect(selfService).toEqual(['shown', 'skipped', 'shown', 'submitted', 'shown', 'skipped']);
    expect(trail.filter((s) => s.ticket_id === lookup.ticket.id && s.kind === 'shown').length).toBe(2);
    expect(trail.some((s) => s.kind === 'timeout')).toBe(false);
    await page.close();
  }, 120_000);
});

describe('评价 with the ID card that took the ticket', () => {
  test('the card on the reader and the typed number open the form; another card is refused', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('[data-action="take"]');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    await page.locator('[data-masked-name]').waitFor({ timeout: 10_000 });
    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
    const number = (await page.locator('[data-ticket-no]').textContent())!.trim();
    await page.click('[data-action="done"]');
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.locator('kiosk-home').waitFor();
    expect(await serveNext(rig.daemon)).toBe(number);

    await page.click('[data-action="evaluate"]');
    await page.locator('kiosk-evaluate').waitFor();
    // Someone else's card: the daemon says it is not the card that took this ticket.
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    // Wait for this card's own masked name (张三 → 张*), not just "a card was read".
    await waitForPage(
      page,
      `(document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-evaluate')?.shadowRoot?.querySelector('[data-evaluate-card]')?.textContent ?? '').includes('已读取身份证（张')`,
    );
    await typeNumber(page, number);
    await waitForPage(
      page,
      `(document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-evaluate')?.shadowRoot?.querySelector('[data-evaluate-error]')?.textContent ?? '').includes('不是取这张号票时使用的')`,
    );
    expect(await page.locator('[data-level]').count()).toBe(0);
    await rig.daemon.simulate('idcard', 'remove-card');
    // The citizen's own card: the form opens, and the evaluation is recorded on the kiosk channel.
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    // The other card's text stays until this one is read: wait for 李四 → 李*, or the number
    // typed next would still be checked against the first card.
    await waitForPage(
      page,
      `(document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-evaluate')?.shadowRoot?.querySelector('[data-evaluate-card]')?.textContent ?? '').includes('已读取身份证（李')`,
    );
    await typeNumber(page, number);
    await page.locator('[data-evaluate-form]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'evaluate-by-card');
    await page.click('[data-level="非常满意"]');
    await page.click('[data-action="evaluate-submit"]');
    await page.locator('[data-evaluate-thanks]').waitFor();
    await rig.daemon.simulate('idcard', 'remove-card');
    const mine = (await evaluations(rig.daemon)).filter((r) => r.displayNo === number);
    expect(mine.map((r) => ({ channel: r.channel, level: r.level, anonymous: r.anonymous }))).toEqual([
      { channel: 'kiosk', level: '非常满意', anonymous: true },
    ]);
    await page.close();
  }, 90_000);
});

describe('idle timeout never rates', () => {
  let idle: Daemon;
  beforeAll(async () => {
    idle = await startDaemon({ config: { ui: { idleTimeoutSeconds: 15 } } });
  }, 60_000);
  afterAll(async () => {
    await idle?.stop();
  });

  test('an open evaluation form and an unanswered self-service panel are recorded as timeout, with no evaluation', async () => {
    await api(idle, 'POST', '/api/v1/counters/1/open', COUNTER_1, {});
    const page = await openKiosk(rig.browser, idle);
    const t = await takeTicket(page);
    await page.click('[data-action="done"]');
    await page.locator('[data-self-eval]').waitFor();
    await page.click('[data-self-level="非常满意"]'); // picked but never submitted
    await page.locator('[data-dialog="idle"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-self-eval]').waitFor({ state: 'detached', timeout: 20_000 });

    expect(await serveNext(idle)).toBe(t.number);
    await page.click('[data-action="evaluate"]');
    await page.locator('kiosk-evaluate').waitFor();
    await scanQr(page, t.qrText);
    await page.locator('[data-evaluate-form]').waitFor();
    await page.click('[data-level="基本满意"]');
    await page.locator('kiosk-home').waitFor({ timeout: 30_000 });
    await page.locator('kiosk-evaluate').waitFor({ state: 'detached' });

    expect(await evaluations(idle)).toEqual([]);
    await expect.poll(() => screens(idle).map((s) => s.kind)).toEqual(['shown', 'timeout', 'shown', 'timeout']);
    await page.close();
  }, 90_000);
});
