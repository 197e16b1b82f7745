import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';

const USER = 'admin';
const PASSWORD = 'dev-admin-password-0001';
const KINDS = ['idcard', 'scanner', 'printer', 'dispenser'] as const;

const rig = useKioskRig();

async function login(page: Page, password: string): Promise<void> {
  await page.fill('[data-testid="user"]', USER);
  await page.fill('[data-testid="password"]', password);
  // Keyboard only: Enter in the password field submits the form.
  await page.press('[data-testid="password"]', 'Enter');
}

const state = (page: Page, kind: string) => page.locator(`[data-device="${kind}"] [data-testid="state"]`);

describe('technician console in real Chromium', () => {
  test('login, device status, 打印测试页 with the receipt image, 测试读卡, 缺纸/装纸 through the simulator panel', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await page.goto(`${rig.daemon.url}/console.html`);
    await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });

    // Wrong password: refused with a Chinese message, still on the login form.
    await login(page, 'not-the-password');
    const error = page.locator('[data-testid="login-error"]');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toContain('用户名或密码错误');
    expect(await page.locator('[data-device]').count()).toBe(0);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await screenshot(page, 'console-login-refused');

    await login(page, PASSWORD);
    for (const kind of KINDS) await page.locator(`[data-device="${kind}"] [data-state="ready"]`).waitFor({ timeout: 15_000 });
    for (const kind of KINDS) expect((await state(page, kind).textContent())!.trim()).toBe('正常');
    expect(await page.locator('[data-device="idcard"] h3').textContent()).toBe('身份证阅读器');
    expect(await page.locator('[data-device="dispenser"] h3').textContent()).toBe('出票器');
    // The credentials live in this tab's sessionStorage only.
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    await page.locator('[data-testid="simulators"]').waitFor();

    // 打印测试页 → the simulated printer's receipt appears as a loaded PNG and as text.
    await page.click('[data-testid="test-print"]');
    await page.locator('[data-testid="test-print-result"].ok').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="test-print-result"]').textContent()).toContain('测试页已打印');
    const img = page.locator('[data-testid="receipt-png"]');
    await img.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => img.evaluate((e) => {
        const i = e as unknown as { complete: boolean; naturalWidth: number };
        return i.complete ? i.naturalWidth : 0;
      }), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const text = (await page.locator('[data-testid="receipt-text"]').textContent()) ?? '';
    expect(text).toContain('打印测试页');
    expect(text).toContain('测试结束');
    expect(text).toContain((await rig.daemon.lastReceipt())!.text.split('\n')[0]);
    await page.locator('[data-testid="receipt"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-test-print');

    // 测试读卡: no card, then the elder sample card put on the simulated reader from the panel.
    await page.click('[data-testid="test-read"]');
    await page.locator('[data-testid="test-read-result"].error').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="test-read-result"]').textContent()).toContain('读卡失败');
    await page.selectOption('[data-sim="idcard"] select[data-param="idcard/insert-card"]', 'elder');
    await page.click('[data-sim="idcard"] [data-action="insert-card"]');
    await page.locator('[data-testid="action-result"].ok').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="action-result"]').textContent()).toContain('放入身份证');
    await page.click('[data-testid="test-read"]');
    await page.locator('[data-testid="test-read-result"].ok').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="test-read-result"]').textContent()).toContain('居民身份证');
    await page.click('[data-sim="idcard"] [data-action="remove-card"]');

    // 缺纸 → the printer shows 故障 with 缺纸 in its message; 装纸 → 正常 again.
    const paperOut = page.locator('[data-sim="printer"] [data-action="paper-out"]');
    expect((await paperOut.textContent())!.trim()).toBe('缺纸');
    await paperOut.click();
    await page.locator('[data-device="printer"] [data-state="fault"]').waitFor({ timeout: 20_000 });
    expect((await state(page, 'printer').textContent())!.trim()).toBe('故障');
    expect(await page.locator('[data-device="printer"] [data-testid="detail"]').textContent()).toContain('缺纸');
    await page.locator('[data-device="printer"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-paper-out');
    const paperOk = page.locator('[data-sim="printer"] [data-action="paper-ok"]');
    expect((await paperOk.textContent())!.trim()).toBe('装纸');
    await paperOk.click();
    await page.locator('[data-device="printer"] [data-state="ready"]').waitFor({ timeout: 20_000 });
    expect((await state(page, 'printer').textContent())!.trim()).toBe('正常');

    // A reload keeps the login (same tab); 退出登录 forgets it.
    await page.reload();
    await page.locator('[data-device="printer"] [data-state="ready"]').waitFor({ timeout: 15_000 });
    await page.click('[data-testid="logout"]');
    await page.locator('[data-testid="login"]').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.close();
  }, 120_000);
});
