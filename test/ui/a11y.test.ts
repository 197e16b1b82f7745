import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, layoutProblems } from '../helpers/a11y.ts';
import { LANDSCAPE, openKiosk, PORTRAIT, screenshot, useKioskRig, type Viewport } from '../helpers/browser.ts';

// axe-core and the overflow/overlap check on every kiosk screen, in both modes (normal and
// 长辈模式) and both orientations, plus the counter evaluator, the call display and the console
// login. Problems of every screen are collected, so one run lists all of them.

const COUNTER_1 = { authorization: 'Bearer dev-counter-token-0001' };
const rig = useKioskRig();

async function counter(action: string): Promise<void> {
  const res = await fetch(`${rig.daemon.api}/api/v1/counters/1/${action}`, {
    method: 'POST',
    headers: { ...COUNTER_1, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!res.ok && action !== 'open') throw new Error(`counter 1 ${action} → ${res.status} ${await res.text()}`);
}

async function setElder(page: Page, on: boolean): Promise<void> {
  const pressed = (await page.locator('[data-action="elder"]').getAttribute('aria-pressed')) === 'true';
  if (pressed !== on) await page.click('[data-action="elder"]');
  await page.waitForFunction(`document.documentElement.classList.contains('elder') === ${on}`);
}

async function home(page: Page): Promise<void> {
  if (await page.locator('nav [data-action="home"]').count()) await page.click('nav [data-action="home"]');
  await page.locator('kiosk-home').waitFor();
}

/** Lets the transitions and async renders settle (QR, lists) before measuring. */
const settle = (page: Page) => page.waitForTimeout(250);

class Findings {
  readonly lines: string[] = [];
  async check(page: Page, where: string, layout = true): Promise<void> {
    await settle(page);
    for (const v of await axeViolations(page)) this.lines.push(`${where}: axe ${v.id} (${v.impact}) ${v.help}\n      ${v.nodes.join('\n      ')}`);
    if (layout) for (const p of await layoutProblems(page)) this.lines.push(`${where}: ${p.kind} ${p.what}`);
  }
}

async function walkKiosk(viewport: Viewport, elder: boolean, f: Findings): Promise<void> {
  const mode = `${viewport.width > viewport.height ? 'landscape' : 'portrait'}${elder ? '-elder' : ''}`;
  const page = await openKiosk(rig.browser, rig.daemon, viewport);
  const at = async (screen: string, shot = true): Promise<void> => {
    await f.check(page, `${screen} ${mode}`);
    if (shot) await screenshot(page, `a11y-${screen}${elder ? '-elder' : ''}`);
  };
  await setElder(page, elder);
  await page.locator('[data-waiting]').waitFor();
  await at('home');

  await page.click('[data-action="take"]');
  await page.locator('kiosk-take [data-service]').first().waitFor();
  await at('take');

  await page.click('kiosk-take [data-service="general"]');
  await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
  await page.locator('[data-qr="ready"]').waitFor();
  await at('ticket');
  const qrText = await page.locator('kiosk-qr').evaluate((e) => (e as unknown as { text: string }).text);

  await page.click('[data-action="done"]');
  await page.locator('[data-self-eval]').waitFor();
  await at('self-eval');
  await page.click('[data-self-level="非常不满意"]');
  await page.locator('[data-reason]').first().waitFor();
  await at('self-eval-reasons');
  await page.click('[data-action="self-eval-skip"]');
  await page.locator('[data-self-eval]').waitFor({ state: 'detached' });

  await setElder(page, elder);
  await page.click('[data-action="guides"]');
  await page.locator('[data-results] [data-guide]').first().waitFor();
  await at('guides');
  await page.click('[data-results] [data-guide="inpatient-reimbursement"]');
  await page.locator('[data-material]').first().waitFor();
  await at('guide-item');
  await page.locator('[data-material]').first().click();
  await at('guide-item-ticked', false);

  await home(page);
  await setElder(page, elder);
  await page.click('[data-action="checkin"]');
  await page.locator('kiosk-checkin').waitFor();
  await at('checkin');

  await home(page);
  await setElder(page, elder);
  await page.click('[data-action="lookup"]');
  await page.locator('kiosk-lookup').waitFor();
  await at('lookup');

  // The ticket taken above is served at counter 1, then evaluated by its QR code (the number alone is not enough).
  await counter('call-next');
  await counter('complete');
  await home(page);
  await setElder(page, elder);
  await page.click('[data-action="evaluate"]');
  await page.locator('kiosk-evaluate').waitFor();
  await at('evaluate');
  await page.evaluate(`(() => {
    for (const key of [...${JSON.stringify(qrText)}, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
  })()`);
  await page.locator('[data-evaluate-form]').waitFor({ timeout: 10_000 });
  await at('evaluate-form');
  await page.click('[data-level="非常不满意"]');
  await page.locator('[data-reason]').first().waitFor();
  await at('evaluate-reasons');
  await page.close();
}

describe('accessibility and layout in real Chromium', () => {
  test('every kiosk screen: no axe violation, nothing off screen or overlapping (2 orientations × 2 modes)', async () => {
    await counter('open');
    const f = new Findings();
    for (const viewport of [PORTRAIT, LANDSCAPE]) for (const elder of [false, true]) await walkKiosk(viewport, elder, f);
    expect(f.lines).toEqual([]);
  }, 600_000);

  test('call display, counter evaluator and console login: no axe violation', async () => {
    const f = new Findings();
    const page = await rig.browser.page(LANDSCAPE);
    await page.goto(`${rig.daemon.url}/display.html`);
    await page.locator('call-display').waitFor();
    await page.waitForTimeout(1500);
    await f.check(page, 'display', false);
    await screenshot(page, 'a11y-display');

    await page.goto(`${rig.daemon.url}/console.html`);
    await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
    await f.check(page, 'console-login', false);

    for (const viewport of [PORTRAIT, LANDSCAPE]) {
      await page.setViewportSize(viewport);
      await page.goto(`${rig.daemon.url}/evaluator.html`);
      await page.waitForTimeout(1000);
      await f.check(page, `evaluator-setup ${viewport.width}`);
    }
    await page.close();
    expect(f.lines).toEqual([]);
  }, 180_000);

  test('staff pages after sign-in: counter workstation, window display, console as hall-admin: no axe violation', async () => {
    const f = new Findings();
    const page = await rig.browser.page(LANDSCAPE);
    // 窗口工作台 signed in with counter 1's token and a clerk.
    await page.goto(`${rig.daemon.url}/counter.html`);
    await page.locator('[data-testid=token]').fill('dev-counter-token-0001');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=sign-in]').waitFor({ timeout: 15_000 });
    await f.check(page, 'counter-sign-in', false);
    await page.locator('[data-testid=staff-id]').fill('S001');
    await page.locator('[data-testid=staff-name]').fill('张三');
    await page.locator('[data-testid=staff-pin]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=staff]').waitFor({ timeout: 15_000 });
    await f.check(page, 'counter-workstation', false);
    await screenshot(page, 'a11y-counter');

    await page.goto(`${rig.daemon.url}/window.html?counter=1&token=dev-hall-server-token-0001`);
    await page.locator('window-display').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000);
    await f.check(page, 'window-display', false);

    await page.goto(`${rig.daemon.url}/console.html`);
    await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
    await page.fill('[data-testid="user"]', 'admin');
    await page.fill('[data-testid="password"]', 'dev-admin-password-0001');
    await page.press('[data-testid="password"]', 'Enter');
    await page.locator('[data-device="printer"]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000);
    await f.check(page, 'console-admin', false);
    await screenshot(page, 'a11y-console-admin');
    await page.close();
    expect(f.lines).toEqual([]);
  }, 180_000);
});
