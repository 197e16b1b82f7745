import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { inPage, LANDSCAPE, openKiosk, PORTRAIT, screenshot, useKioskRig, waitForPage } from '../helpers/browser.ts';

// Elder mode ends with the citizen's task; nothing needs a keyboard; the ticket promises only what
// is true. The hall here is closed at any hour the test runs (open one minute a day), so the
// closed-hall wording is what a citizen at 02:00 sees.

const COUNTER_1 = { authorization: 'Bearer dev-counter-token-0001' };
const rig = useKioskRig({ config: { hall: { openingHours: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], open: '03:30', close: '03:31' }] } } });

const isElder = (page: Page): Promise<boolean> => inPage(page, `document.documentElement.classList.contains('elder')`);
const allText = (page: Page): Promise<string> => inPage(page, 'deepText()');

async function takeGeneral(page: Page): Promise<string> {
  await page.click('[data-action="take"]');
  await page.click('kiosk-take [data-service="general"]');
  await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
  return (await page.locator('[data-ticket-no]').textContent())!.trim();
}

describe('长辈模式, keyboard-free input and honest promises in Chromium', () => {
  test('长辈模式 ends with the task: after 完成 once the evaluation panel closes, and on 回到首页', async () => {
    const page = await openKiosk(rig.browser, rig.daemon, PORTRAIT);
    await page.click('[data-action="elder"]');
    await takeGeneral(page);
    expect(await isElder(page)).toBe(true);
    await page.click('[data-action="done"]');
    await page.locator('[data-self-eval]').waitFor();
    // The citizen who used it rates in it…
    expect(await isElder(page)).toBe(true);
    await page.click('[data-action="self-eval-skip"]');
    await page.locator('[data-self-eval]').waitFor({ state: 'detached' });
    // …and the next person starts in the normal mode.
    expect(await isElder(page)).toBe(false);
    expect(await page.locator('[data-action="elder"]').getAttribute('aria-pressed')).toBe('false');

    await page.click('[data-action="elder"]');
    await page.click('[data-action="guides"]');
    await page.click('nav [data-action="home"]');
    await page.locator('kiosk-home').waitFor();
    expect(await isElder(page)).toBe(false);
    await page.close();
  }, 90_000);

  test('closed hall: 取号 says so, the ticket shows no estimate, no phone promise, walk-in not sent to 绿色通道, no 重新打印', async () => {
    const page = await openKiosk(rig.browser, rig.daemon, LANDSCAPE);
    await page.click('[data-action="take"]');
    await page.locator('kiosk-take [data-closed="hours"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('kiosk-take [data-closed="hours"]').textContent()).toContain('非办公时间');
    expect(await page.locator('kiosk-take [data-service="general"] [data-service-wait]').textContent()).not.toContain('分钟');
    await screenshot(page, 'take-closed');
    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-wait]').textContent()).not.toContain('分钟');
    expect(await page.locator('[data-counters]').textContent()).not.toContain('绿色通道');
    expect(await page.locator('[data-qr-hint]').textContent()).not.toContain('手机');
    expect(await page.locator('[data-action="reprint"]').count()).toBe(0);
    await screenshot(page, 'ticket-closed');
    const receipt = await rig.daemon.lastReceipt();
    expect(receipt?.text).toContain('非办公时间');
    expect(receipt?.text).not.toMatch(/约 \d+ 分钟/);
    expect(receipt?.text).not.toContain('6号窗口');
    expect(receipt?.text).not.toContain('手机扫码');
    await page.close();
  }, 90_000);

  test('no keyboard: a common query finds guides; a ticket number on the keypad; 其他 rated with a tapped phrase', async () => {
    const page = await openKiosk(rig.browser, rig.daemon, PORTRAIT);
    await page.click('[data-action="guides"]');
    await page.click('[data-common="异地就医"]');
    // The list that answers the query, not the full list shown before it arrived.
    await page.locator('[data-results][data-query="异地就医"] [data-guide]').first().waitFor();
    expect(await page.locator('[data-results] [data-guide] .name').first().textContent()).toContain('异地');
    await page.click('nav [data-action="home"]');

    // Taken with the ID card: a typed number evaluates only with the card that took it (issue 10.12).
    await page.click('[data-action="take"]');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    await page.locator('[data-masked-name]').waitFor({ timeout: 10_000 });
    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
    const no = (await page.locator('[data-ticket-no]').textContent())!.trim();
    await page.click('[data-action="done"]');
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.locator('kiosk-home').waitFor();
    if (await page.locator('[data-action="self-eval-skip"]').count()) await page.click('[data-action="self-eval-skip"]');
    await fetch(`${rig.daemon.api}/api/v1/counters/1/open`, { method: 'POST', headers: { ...COUNTER_1, 'content-type': 'application/json' }, body: '{}' });
    for (let i = 0; i < 10; i++) {
      const called = await fetch(`${rig.daemon.api}/api/v1/counters/1/call-next`, {
        method: 'POST',
        headers: { ...COUNTER_1, 'content-type': 'application/json' },
        body: '{}',
      });
      const ticket = ((await called.json()) as { ticket?: { displayNo: string } }).ticket;
      await fetch(`${rig.daemon.api}/api/v1/counters/1/complete`, {
        method: 'POST',
        headers: { ...COUNTER_1, 'content-type': 'application/json' },
        body: '{}',
      });
      if (!ticket || ticket.displayNo === no) break;
    }
    await page.click('[data-action="evaluate"]');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    await waitForPage(
      page,
      `(document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-evaluate')?.shadowRoot?.querySelector('[data-evaluate-card]')?.textContent ?? '').includes('已读取身份证')`,
    );
    for (const ch of no.toLowerCase()) await page.click(`kiosk-evaluate kiosk-keypad [data-key="${ch}"]`);
    await page.click('kiosk-evaluate kiosk-keypad [data-key="Enter"]');
    await page.locator('[data-evaluate-form]').waitFor({ timeout: 10_000 });
    // Reasons appear only with a 差评 level, as statements.
    expect(await page.locator('[data-reason]').count()).toBe(0);
    await page.click('[data-level="不满意"]');
    const reasons = await page.locator('[data-reason]').allTextContents();
    expect(reasons.join('')).not.toContain('是否');
    await page.click('[data-reason="other"]');
    await page.click('[data-phrase="等候时间太长"]');
    expect(await page.locator('[data-evaluate-text]').inputValue()).toBe('等候时间太长');
    await screenshot(page, 'evaluate-phrase');
    await page.click('[data-action="evaluate-submit"]');
    await page.locator('[data-evaluate-thanks]').waitFor({ timeout: 10_000 });
    expect(await allText(page)).not.toMatch(/must|NOT|characters/);
    await page.close();
  }, 120_000);
});
