import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';
import { consoleLogin } from '../helpers/console.ts';

// 大厅与排队 in the console, in real Chromium against a real daemon with a site file: a hall-admin
// names the hall (a bad value first: its Chinese field error), adds a counter, and pairs a counter
// workstation page with the code the console shows — two pages in one browser. Each save restarts
// the daemon (exit 75; here the test starts it again, as systemd would) and the admin logs in again.
const rig = useKioskRig({ config: { hall: { name: '示例县医疗保障服务大厅' } } });

const login = (page: Page, user = 'admin', password = 'dev-admin-password-0001'): Promise<void> => consoleLogin(page, rig.daemon.url, user, password);

/** The daemon restarts after a saved change: wait for it to go, start it again (systemd's part). */
async function restarted(): Promise<void> {
  await rig.daemon.halt();
  await rig.daemon.resume();
}

const site = () =>
  JSON.parse(readFileSync(join(rig.daemon.dataDir, 'site.json'), 'utf8')) as { hall: { name: string }; counters?: { number: number; token: string }[] };

describe('console 大厅与排队 in real Chromium', () => {
  test('a technician does not see the hall pages', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await login(page, 'tech', 'dev-tech-password-0001');
    await page.locator('[data-testid="admin-only"]').waitFor();
    expect(await page.locator('hall-page').count()).toBe(0);
    // 退出登录 posts the logout without waiting: close the page only once the daemon has dropped the
    // session cookie, or the next page of this browser profile opens still logged in as the technician.
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/console/logout')), page.click('[data-testid="logout"]')]);
    await page.close();
  });

  test('a hall-admin names the hall, adds a counter and pairs its workstation with the code the console shows', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await login(page);
    const name = page.locator('[data-testid="hall-name"]');
    await name.waitFor({ timeout: 15_000 });
    expect(await name.inputValue()).toBe('示例县医疗保障服务大厅');

    // A bad value: refused, the field named in Chinese beside it, nothing written.
    await page.fill('[data-testid="hall-regionCode"]', '3713');
    await page.click('[data-testid="save-hall"]');
    const fieldError = page.locator('[data-field="hall.regionCode"]');
    await fieldError.waitFor({ timeout: 15_000 });
    expect(await fieldError.textContent()).toBe('行政区划代码：配置项 hall.regionCode 的格式不正确');
    await fieldError.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-hall-bad-value');
    expect(site().hall.name).toBe('示例县医疗保障服务大厅');

    await page.fill('[data-testid="hall-regionCode"]', '371321');
    await page.fill('[data-testid="hall-name"]', '青山镇医保服务站');
    await page.click('[data-testid="save-hall"]');
    await page.locator('[data-testid="hall-result"].ok').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="hall-result"]').textContent()).toContain('重新登录');
    await page.locator('[data-testid="hall-result"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-hall-named');
    await restarted();
    expect(site().hall.name).toBe('青山镇医保服务站');

    // Add counter 7 for 异地就医.
    await login(page);
    expect(await page.locator('[data-testid="hall-name"]').inputValue()).toBe('青山镇医保服务站');
    const add = page.locator('[data-testid="add-counter"]');
    await add.locator('[data-testid="counter-number"]').fill('7');
    await add.locator('[data-testid="counter-name"]').fill('7号窗口（异地就医）');
    await add.locator('input[value="remote"]').check();
    await page.click('[data-testid="add-counter-button"]');
    await page.locator('[data-testid="hall-result"].ok').waitFor({ timeout: 15_000 });
    // Its token is shown once (and is what the site file now holds).
    const token = (await page.locator('[data-testid="new-secret-token"]').textContent())!.trim();
    expect(token).toMatch(/^hkc_/);
    await restarted();
    expect(site().counters?.find((c) => c.number === 7)?.token).toBe(token);

    // Pair: the console makes a code for counter 7's workstation...
    await login(page);
    await page.locator('[data-counter="7"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="new-secret"]').count()).toBe(0); // shown once: gone after reload
    await page.selectOption('[data-testid="pair-device"]', 'counter');
    await page.selectOption('[data-testid="pair-counter"]', '7');
    await page.click('[data-testid="make-pairing-code"]');
    const shown = page.locator('[data-testid="pairing-code-shown"]');
    await shown.waitFor({ timeout: 15_000 });
    const code = (await shown.textContent())!.trim();
    expect(code).toMatch(/^[0-9]{6}$/);
    await shown.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-hall-pairing-code');

    // ...and the workstation page, in another tab, takes it instead of a token.
    const counter = await rig.browser.page(LANDSCAPE);
    await counter.goto(`${rig.daemon.url}/counter.html`);
    await counter.locator('[data-testid="setup"]').waitFor({ timeout: 15_000 });
    await counter.fill('[data-testid="pairing-code"]', '000000' === code ? '000001' : '000000');
    await counter.click('[data-testid="pair"]');
    await counter.locator('[data-testid="pairing-error"]').filter({ hasText: '配对码错误或已过期' }).waitFor({ timeout: 15_000 });
    await counter.fill('[data-testid="pairing-code"]', code);
    await screenshot(counter, 'counter-pairing-entry');
    await counter.click('[data-testid="pair"]');
    await counter.locator('[data-testid="counter-name"]').filter({ hasText: '7号窗口（异地就医）' }).waitFor({ timeout: 15_000 });
    await screenshot(counter, 'counter-paired');
    // Stored as a typed token is; never in the address.
    expect(await counter.evaluate("localStorage.getItem('hall-kiosk.counter.token')")).toBe(token);
    expect(counter.url()).not.toContain(token);
    expect(counter.url()).not.toContain(code);

    // The code was single use: a second workstation cannot reuse it.
    const again = await rig.browser.page(LANDSCAPE);
    await again.goto(`${rig.daemon.url}/counter.html`);
    // Same browser profile: it starts with the stored token; once it has (and stored it again), forget it.
    await again.locator('[data-testid="counter-name"]').waitFor({ timeout: 15_000 });
    await again.evaluate("localStorage.removeItem('hall-kiosk.counter.token')");
    await again.reload();
    await again.fill('[data-testid="pairing-code"]', code);
    await again.click('[data-testid="pair"]');
    await again.locator('[data-testid="pairing-error"]').filter({ hasText: '配对码错误或已过期' }).waitFor({ timeout: 15_000 });
    await again.close();
    await counter.close();
    await page.close();
  }, 300_000);
});
