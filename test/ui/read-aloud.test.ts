import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { SAMPLE_CARDS } from '../../drivers/idcard/index.ts';
import { openKiosk, useKioskRig, waitForPage } from '../helpers/browser.ts';

/**
 * 朗读 covers every screen (issue 15 item 5): each kiosk screen and step, the overlays and the
 * counter evaluator are walked in headless Chromium and read aloud. Headless Chromium has no
 * Chinese voice, so the UI sends the text to the daemon's espeak-ng endpoint; the request body is
 * what would be spoken, observed at that boundary (no stand-in speech engine).
 */
const rig = useKioskRig();

const COUNTER_1 = { authorization: 'Bearer dev-counter-token-0001' };
const KIOSK_SPEECH = '/api/v1/kiosk/speech';
const EVALUATOR_SPEECH = '/api/v1/evaluator/speech';

/** Every text heard in this file, for the privacy check at the end. */
const heard: { where: string; text: string }[] = [];

/** Runs `act` and returns the text of the speech request it causes. */
async function spoken(page: Page, act: () => Promise<unknown>, path = KIOSK_SPEECH): Promise<string> {
  const request = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === path, { timeout: 20_000 });
  await act();
  return ((await request).postDataJSON() as { text: string }).text;
}

/** Presses the kiosk's 朗读. */
const readAloud = (page: Page): Promise<string> => spoken(page, () => page.click('[data-action="read"]'));

/**
 * What a screen's read-aloud must be: Chinese, within the synthesiser's 200 characters, naming
 * the screen's main action (`action`), and nothing personal — no run of digits as in an ID card
 * or phone number, no masked value (*), none of the strings in `personal` shown on screen.
 */
function expectPrompt(where: string, text: string, action: RegExp, personal: readonly string[] = []): void {
  heard.push({ where, text });
  expect(text.length, where).toBeGreaterThan(0);
  expect(text.length, where).toBeLessThanOrEqual(200);
  const letters = text.replace(/[\s\d\p{P}\p{S}]/gu, '');
  const han = letters.match(/\p{Script=Han}/gu) ?? [];
  expect(han.length / letters.length, `${where}: ${text}`).toBeGreaterThan(0.9);
  expect(text, where).not.toMatch(/[A-Za-z]{2,}/); // ticket letters are spelled one by one
  expect(text, where).toMatch(action);
  expect(text.replace(/\s+/g, ''), where).not.toMatch(/\d{5,}/);
  expect(text, where).not.toMatch(/[*＊]/);
  for (const p of personal) if (p) expect(text, where).not.toContain(p);
}

async function shownText(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

async function api(method: string, path: string, headers: Record<string, string> = {}, body: unknown = {}): Promise<unknown> {
  const res = await fetch(rig.daemon.api + path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Counter 1 serves every waiting ticket it can call (call-next + complete until none is left). */
async function serveAll(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${rig.daemon.api}/api/v1/counters/1/call-next`, {
      method: 'POST',
      headers: { ...COUNTER_1, 'content-type': 'application/json' },
      body: '{}',
    });
    if (!res.ok) return;
    const called = (await res.json()) as { ticket: unknown };
    if (!called.ticket) return;
    await api('POST', '/api/v1/counters/1/complete', COUNTER_1);
  }
}

/** Scans a QR code with the keyboard-wedge scanner (a fast burst of keys ending in Enter). */
async function scanQr(page: Page, text: string): Promise<void> {
  await page.evaluate(`(() => {
    for (const key of [...${JSON.stringify(text)}, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  })()`);
}

const home = (page: Page) => page.click('[data-action="home"]');

/** No card on the reader and no identity left in the daemon's session. */
async function noCard(): Promise<void> {
  await rig.daemon.simulate('idcard', 'remove-card');
  await fetch(`${rig.daemon.api}/api/v1/kiosk/session`, { method: 'DELETE' });
}

afterAll(() => {
  // Nothing of the sample cards was ever spoken: neither names nor ID numbers.
  const cards = Object.values(SAMPLE_CARDS) as { name: string; idNumber: string }[];
  for (const { where, text } of heard)
    for (const card of cards) {
      expect(text, where).not.toContain(card.name);
      expect(text, where).not.toContain(card.idNumber);
    }
});

describe('朗读 on every screen in real Chromium', () => {
  test('home, 取号 (with a card), the ticket, the evaluation panel, 预约签到, 排队查询, 评价, 呼叫工作人员 and a device banner', async () => {
    await api('POST', '/api/v1/counters/1/open', COUNTER_1);
    await serveAll();
    await noCard();
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.locator('[data-waiting]').waitFor();
    expectPrompt('home', await readAloud(page), /请点击.*“取号”.*“办事指南”/);

    await page.click('kiosk-home [data-action="take"]');
    await page.locator('kiosk-take [data-identity="none"]').waitFor();
    expectPrompt('take', await readAloud(page), /请点击您要办理的业务/);
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await page.locator('[data-masked-name]').waitFor({ timeout: 10_000 });
    const masked = [await shownText(page, '[data-masked-name]'), await shownText(page, '[data-masked-id]')];
    expectPrompt(
      'take with the card',
      await readAloud(page),
      /已读取您的身份证.*绿色通道.*请点击您要办理的业务|请点击您要办理的业务.*已读取您的身份证.*绿色通道/,
      masked,
    );
    await rig.daemon.simulate('idcard', 'remove-card');

    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
    const displayNo = await shownText(page, '[data-ticket-no]');
    const ticket = await readAloud(page);
    expectPrompt('ticket', ticket, /您的号码是.*点击“完成”/);
    expect(ticket).toContain(displayNo.split('').join(' '));
    await page.locator('[data-qr="ready"] svg').waitFor();
    const qrText = await page.locator('kiosk-qr').evaluate((e) => (e as unknown as { text: string }).text);

    await page.click('[data-action="done"]');
    await page.locator('[data-self-eval]').waitFor();
    expectPrompt('self-service evaluation panel', await readAloud(page), /自助服务进行评价.*“跳过”/);
    await page.click('[data-action="self-eval-skip"]');
    await page.locator('[data-self-eval]').waitFor({ state: 'detached' });

    await page.click('kiosk-home [data-action="checkin"]');
    await page.locator('kiosk-checkin [data-identity="none"]').waitFor();
    expectPrompt('checkin', await readAloud(page), /预约二维码对准扫码口/);
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    await page.locator('kiosk-checkin [data-identity="present"]').waitFor({ timeout: 10_000 });
    const adult = await shownText(page, 'kiosk-checkin [data-identity="present"]');
    expectPrompt('checkin with the card', await readAloud(page), /请点击“使用身份证签到”/, [adult]);
    await page.click('kiosk-checkin [data-action="checkin-id"]');
    await page.locator('kiosk-checkin [data-error]').waitFor({ timeout: 15_000 });
    expectPrompt('checkin refused', await readAloud(page), /没有查到您今天的预约.*直接取号/, [adult]);
    await rig.daemon.simulate('idcard', 'remove-card');
    await home(page);

    await page.click('kiosk-home [data-action="lookup"]');
    await page.locator('kiosk-lookup').waitFor();
    expectPrompt('lookup', await readAloud(page), /排队查询.*点击“查询”/);
    await page.click('kiosk-lookup [data-key="Clear"]');
    for (const ch of displayNo.toLowerCase()) await page.click(`kiosk-lookup [data-key="${ch}"]`);
    await page.click('kiosk-lookup [data-key="Enter"]');
    await page.locator('[data-lookup-result]').waitFor({ timeout: 10_000 });
    expectPrompt('lookup result', await readAloud(page), /号码 .*前面还有 \d+ 人.*留意叫号/);
    await home(page);

    // 评价: the ticket taken above, served at counter 1, evaluated by its QR.
    await serveAll();
    await page.click('kiosk-home [data-action="evaluate"]');
    await page.locator('kiosk-evaluate').waitFor();
    expectPrompt('evaluate', await readAloud(page), /评价窗口服务.*二维码对准扫码口/);
    await scanQr(page, qrText);
    await page.locator('[data-evaluate-form]').waitFor({ timeout: 10_000 });
    expectPrompt('evaluate form', await readAloud(page), /请在.*非常满意.*中点击一项/);
    await page.click('[data-level="不满意"]');
    expectPrompt('evaluate 差评', await readAloud(page), /不满意的原因.*“提交评价”/);
    await page.locator('kiosk-evaluate [data-reason]').first().click();
    await page.click('[data-action="evaluate-submit"]');
    await page.locator('[data-evaluate-thanks]').waitFor({ timeout: 10_000 });
    expectPrompt('evaluate thanks', await readAloud(page), /感谢您的评价.*“返回首页”/);
    await page.click('[data-action="evaluate-finish"]');
    await page.locator('kiosk-home').waitFor();

    // 呼叫工作人员 is said in the normal mode too.
    expectPrompt('assistance', await spoken(page, () => page.click('[data-action="assist"]')), /已通知工作人员/);

    // A device banner is read before the screen's prompt.
    await rig.daemon.simulate('printer', 'paper-out');
    try {
      await page.locator('[data-banner="printer"]').waitFor({ timeout: 20_000 });
      expectPrompt('printer banner', await readAloud(page), /^打印机暂时无法打印.*您好，欢迎您/);
    } finally {
      await rig.daemon.simulate('printer', 'paper-ok');
    }
    await page.close();
  }, 180_000);

  test('办事指南: list, search, no results, item, checklist verdict, 告知单', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('kiosk-home [data-action="guides"]');
    await page.locator('[data-results] [data-guide]').first().waitFor();
    expectPrompt('guides', await readAloud(page), /请点击“常用查询”里的事项.*列出了 \d+ 项事项/);
    await page.click('[data-common="异地就医"]');
    await page.locator('[data-results][data-query="异地就医"]').waitFor();
    expectPrompt('guides search', await readAloud(page), /“异地就医”共找到 \d+ 项事项，请点击您要办理的事项/);
    await page.fill('[data-search]', 'zzzzqqqq');
    await page.locator('[data-no-results]').waitFor();
    expectPrompt('guides no results', await readAloud(page), /没有找到相关的事项.*请点击要找的事项|没有找到相关的事项.*换个说法/);

    await page.fill('[data-search]', '住院费用报销');
    await page.click('[data-results] [data-guide="inpatient-reimbursement"]');
    await page.locator('[data-item-name]').waitFor();
    expectPrompt('guide item', await readAloud(page), /住院.*请点击勾选您已经带齐的材料/);
    await page.click('[data-material="credential"]');
    await page.locator('[data-missing]').waitFor();
    expectPrompt('guide item missing', await readAloud(page), /还缺少 \d+ 项材料。请点击“打印一次性告知单”/);
    await page.click('[data-material="hospital-receipts"]');
    await page.locator('[data-tolerable]').waitFor();
    await page.locator('[data-missing]').waitFor({ state: 'detached' });
    expectPrompt('guide item 容缺', await readAloud(page), /容缺受理.*“为此事项取号”/);
    await page.click('[data-action="print-notice"]');
    await page.locator('[data-notice-result]').waitFor({ timeout: 15_000 });
    expectPrompt('guide item printed', await readAloud(page), /一次性告知单已打印，请取走/);
    await page.close();
  }, 120_000);

  test('参保证明 (every step and a failure) and 参保信息查询, the citizen’s data never read out', async () => {
    await noCard();
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('kiosk-home [data-action="certificate"]');
    await page.locator('[data-kind="proof"]').waitFor();
    expectPrompt('certificate choose', await readAloud(page), /请点击您要打印的证明。可以打印：/);
    await page.click('[data-kind="proof"]');
    await page.locator('[data-step="identify"]').waitFor();
    expectPrompt('certificate identify', await readAloud(page), /请将身份证放在读卡区/);
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'insured' });
    await page.locator('[data-step="confirm"]').waitFor({ timeout: 10_000 });
    const masked = [await shownText(page, '[data-masked-name]'), await shownText(page, '[data-masked-id]')];
    expectPrompt('certificate confirm', await readAloud(page), /将为您打印《.+》.*点击“确认”/, masked);
    await page.click('[data-action="confirm"]');
    await page.locator('[data-preview]').waitFor({ timeout: 15_000 });
    const code = await shownText(page, '[data-preview-code]');
    expectPrompt('certificate preview', await readAloud(page), /证明预览.*点击“打印”/, [...masked, code]);
    await page.click('[data-action="print"]');
    await page.locator('[data-step="done"]').waitFor({ timeout: 20_000 });
    expectPrompt('certificate done', await readAloud(page), /请取走您的证明.*“完成”/, [...masked, code]);
    await page.click('[data-action="finish"]');
    await page.locator('kiosk-home').waitFor();

    // A failure: the A4 printer is out of paper → the failure screen says where to go.
    await rig.daemon.simulate('a4printer', 'media-empty');
    try {
      await noCard();
      await page.click('kiosk-home [data-action="certificate"]');
      await page.click('[data-kind="proof"]');
      await page.locator('[data-step="identify"]').waitFor();
      await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'insured' });
      await page.locator('[data-step="confirm"]').waitFor({ timeout: 10_000 });
      await page.click('[data-action="confirm"]');
      await page.locator('[data-preview]').waitFor({ timeout: 15_000 });
      await page.click('[data-action="print"]');
      await page.locator('[data-step="failed"]').waitFor({ timeout: 20_000 });
      expectPrompt('certificate failed', await readAloud(page), /\d+ 号窗口.*“取号到窗口办理”/, masked);
    } finally {
      await rig.daemon.simulate('a4printer', 'media-ok');
    }
    await home(page);

    await noCard();
    await page.click('kiosk-home [data-action="insurance-info"]');
    await page.locator('kiosk-certificate-info [data-step="identify"]').waitFor();
    expectPrompt('insurance identify', await readAloud(page), /参保信息查询：请将身份证放在读卡区/);
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'insured' });
    await page.locator('kiosk-certificate-info [data-step="overview"]').waitFor({ timeout: 15_000 });
    const statuses = await page.locator('kiosk-certificate-info [data-status]').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expectPrompt('insurance overview', await readAloud(page), /已查询到您的参保信息.*请在屏幕上查看.*“打印参保证明”/, [...masked, ...statuses]);
    await noCard();
    await page.close();
  }, 150_000);

  test('还需要更多时间吗 says what to press', async () => {
    const page = await rig.browser.page();
    await page.clock.install();
    await page.goto(rig.daemon.url);
    await page.locator('[data-action="take"]').first().waitFor({ timeout: 15_000 });
    await page.click('kiosk-home [data-action="take"]');
    await page.locator('kiosk-take').waitFor();
    // Past the warning point of the default 90 s timeout (the last 30 s), short of the reset.
    const text = await spoken(page, () => page.clock.fastForward(65_000));
    await page.locator('[data-dialog="idle"]').waitFor();
    expectPrompt('idle warning', text, /还需要更多时间吗.*“需要，继续办理”.*返回首页/);
    await page.click('[data-action="more-time"]');
    await page.close();
  }, 60_000);

  test('counter evaluator: setup, idle, the evaluation (a phone number typed is never read), thanks', async () => {
    await api('POST', '/api/v1/counters/1/open', COUNTER_1).catch(() => undefined);
    await serveAll();
    const page = await rig.browser.page();
    await page.goto(`${rig.daemon.url}/evaluator.html`);
    await page.locator('[data-testid=token]').waitFor();
    // Before a token is saved the kiosk's own endpoint speaks (the evaluator has no credential yet).
    expectPrompt('evaluator setup', await spoken(page, () => page.click('[data-testid=read]')), /令牌.*点击“保存”/);
    await page.locator('[data-testid=token]').fill('dev-counter-token-0001');
    await page.click('[data-testid=save-token]');
    await page.locator('[data-testid=idle]').waitFor();
    await waitForPage(page, `!document.querySelector('evaluator-app').shadowRoot.querySelector('.offline')`);
    const read = () => spoken(page, () => page.click('[data-testid=read]'), EVALUATOR_SPEECH);
    expectPrompt('evaluator idle', await read(), /业务办结后.*评价/);

    const issued = (await api('POST', '/api/v1/terminal/tickets', { authorization: 'Bearer dev-terminal-token-0001' }, { serviceCode: 'general' })) as {
      ticket: { displayNo: string };
    };
    await serveAll();
    await page.locator('[data-testid=evaluate]').waitFor({ timeout: 15_000 });
    const form = await read();
    expectPrompt('evaluator form', form, /请对本次服务进行评价.*请在.*中点击一项/);
    expect(form).toContain(issued.ticket.displayNo.split('').join(' '));
    await page.click('evaluator-app [data-level="不满意"]');
    for (const d of '13800138000') await page.click(`[data-testid=phone-keypad] [data-key="${d}"]`);
    expect(await page.locator('[data-testid=phone]').inputValue()).toBe('13800138000');
    expectPrompt('evaluator 差评', await read(), /不满意的原因.*手机号码.*“提交评价”/, ['13800138000']);
    await page.locator('evaluator-app [data-reason]').first().click();
    await page.click('[data-testid=submit]');
    await page.locator('[data-testid=thanks]').waitFor({ timeout: 10_000 });
    expectPrompt('evaluator thanks', await read(), /感谢您的评价/);
    await page.close();
  }, 120_000);
});
