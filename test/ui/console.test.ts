import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';

const USER = 'admin';
const PASSWORD = 'dev-admin-password-0001';
const TECH_USER = 'tech';
const TECH_PASSWORD = 'dev-tech-password-0001';
const KINDS = ['idcard', 'scanner', 'printer', 'dispenser'] as const;

const rig = useKioskRig();

async function login(page: Page, password: string, user = USER): Promise<void> {
  await page.fill('[data-testid="user"]', user);
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
    // The password field is emptied for the next try.
    expect(await page.inputValue('[data-testid="password"]')).toBe('');
    await screenshot(page, 'console-login-refused');

    await login(page, PASSWORD);
    for (const kind of KINDS) await page.locator(`[data-device="${kind}"] [data-state="ready"]`).waitFor({ timeout: 15_000 });
    for (const kind of KINDS) expect((await state(page, kind).textContent())!.trim()).toBe('正常');
    // 运行状态: the version and the daemon's clock in the hall's time zone, to check against the wall.
    await page.locator('[data-testid="ops-version"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="ops-clock"]').textContent()).toContain('Asia/Shanghai');
    expect(await page.locator('[data-device="idcard"] h3').textContent()).toBe('身份证阅读器');
    expect(await page.locator('[data-device="dispenser"] h3').textContent()).toBe('出票器');
    // The credential is an HttpOnly cookie: nothing in web storage, nothing a page script can read.
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await page.context().cookies(rig.daemon.url + '/api/v1/');
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite, c.path])).toEqual([['hk_console', true, 'Strict', '/api/v1']]);
    expect(await page.locator('[data-testid="who"]').textContent()).toContain('admin（大厅管理员）');
    await page.locator('[data-testid="simulators"]').waitFor();

    // 打印测试页 → the simulated printer's receipt appears as a loaded PNG and as text.
    await page.click('[data-testid="test-print"]');
    await page.locator('[data-testid="test-print-result"].ok').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="test-print-result"]').textContent()).toContain('测试页已打印');
    const img = page.locator('[data-testid="receipt-png"]');
    await img.waitFor({ timeout: 10_000 });
    await expect
      .poll(
        () =>
          img.evaluate((e) => {
            const i = e as unknown as { complete: boolean; naturalWidth: number };
            return i.complete ? i.naturalWidth : 0;
          }),
        { timeout: 10_000 },
      )
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

    // 站点配置: the development secrets are named; a bad change gets its Chinese error naming the field.
    await page.locator('[data-testid="dev-secrets"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="dev-secrets"]').textContent()).toContain('正在使用开发用密钥');
    await page.fill('[data-testid="config-patch"]', '{"hall": {"name": ""}, "api": {"port": 70000}}');
    await page.click('[data-testid="config-check"]');
    await page.locator('[data-testid="config-result"].error').waitFor({ timeout: 10_000 });
    const problems = (await page.locator('[data-testid="config-result"]').textContent()) ?? '';
    expect(problems).toContain('配置项 hall.name 不能为空');
    expect(problems).toContain('配置项 api.port 不能大于 65535');
    await page.locator('[data-testid="config"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-config-check');

    // The hall-admin sees the audit trail: this login and the test print are in it.
    await page.locator('[data-testid="audit-row"]').first().waitFor({ timeout: 15_000 });
    const audit = (await page.locator('[data-testid="audit"]').textContent()) ?? '';
    expect(audit).toContain('登录');
    expect(audit).toContain('/api/v1/admin/devices/printer/test-print');

    // A reload keeps the login (the daemon's session); 退出登录 ends it on the daemon too.
    await page.reload();
    await page.locator('[data-device="printer"] [data-state="ready"]').waitFor({ timeout: 15_000 });
    await page.click('[data-testid="logout"]');
    await page.locator('[data-testid="login"]').waitFor();
    await expect.poll(async () => (await page.context().cookies(rig.daemon.url + '/api/v1/')).length, { timeout: 10_000 }).toBe(0);
    await page.reload();
    await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
    await page.close();
  }, 120_000);

  test('a technician sees devices but not the hall-admin pages: the console hides them and the report page refuses', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await page.goto(`${rig.daemon.url}/console.html`);
    await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
    await login(page, TECH_PASSWORD, TECH_USER);
    await page.locator('[data-device="printer"] [data-state="ready"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="who"]').textContent()).toContain('tech（技术人员）');
    await page.locator('[data-testid="admin-only"]').waitFor();
    expect(await page.locator('[data-testid="admin-only"]').textContent()).toContain('需要大厅管理员账户');
    expect(await page.locator('[data-testid="calendar-page"]').count()).toBe(0);
    expect(await page.locator('[data-testid="audit"]').count()).toBe(0);
    // The technician may still test the devices.
    await page.click('[data-testid="test-print"]');
    await page.locator('[data-testid="test-print-result"].ok').waitFor({ timeout: 20_000 });
    await screenshot(page, 'console-technician');

    // The hall manager's report is a hall-admin page: refused with a Chinese message (the same session).
    await page.goto(`${rig.daemon.url}/report.html`);
    const refused = page.locator('report-app [data-testid="forbidden"]');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.textContent()).toContain('无权查看统计报表：需要大厅管理员账户');
    // And the daemon itself refuses the routes behind it, whatever the page does.
    const status = await page.evaluate(`fetch('/api/v1/reports/queue').then((r) => r.status)`);
    expect(status).toBe(403);
    const audit = await page.evaluate(`fetch('/api/v1/console/audit').then((r) => r.status)`);
    expect(audit).toBe(403);
    await screenshot(page, 'report-technician-refused');
    await page.close();
  }, 120_000);
});
