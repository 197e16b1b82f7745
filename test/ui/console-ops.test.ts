import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';

// 运行维护 in the technician console, in real Chromium against the real daemon: 纸张用量 and
// 纸卷已更换, the log tail by level and device, the diagnostics download, and a backup → restore
// round trip (the daemon exits with 75 for the restart; the test starts it again, as systemd does).
const rig = useKioskRig({ config: { devices: { printer: { rollLengthM: 60 } } } });

async function login(page: Page, user: string, password: string): Promise<void> {
  await page.context().clearCookies(); // the browser context is shared: no session of an earlier test
  await page.goto(`${rig.daemon.url}/console.html`);
  await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
  await page.fill('[data-testid="user"]', user);
  await page.fill('[data-testid="password"]', password);
  await page.press('[data-testid="password"]', 'Enter');
  await page.locator('[data-device="printer"] [data-state="ready"]').waitFor({ timeout: 15_000 });
}

let req = 0;
const takeTicket = () =>
  rig.daemon.post<{ ticket: { displayNo: string } }>('/api/v1/kiosk/tickets', {
    useIdentity: false,
    requestId: `ui-ops-${++req}-abcdefgh`,
    serviceCode: 'general',
  });
const lookup = (displayNo: string) => fetch(`${rig.daemon.api}/api/v1/kiosk/tickets/lookup?number=${encodeURIComponent(displayNo)}`).then((r) => r.status);
const text = async (page: Page, id: string) => (await page.locator(`[data-testid="${id}"]`).textContent()) ?? '';

describe('console operations in real Chromium', () => {
  test('paper counter and 纸卷已更换, log tail by level and device, diagnostics download', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await login(page, 'tech', 'dev-tech-password-0001');
    // A technician has these, not the backups.
    await page.locator('[data-testid="paper-used"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="backups"]').count()).toBe(0);
    const jobs = () => text(page, 'paper-used').then((t) => Number(/^(\d+) 张/.exec(t.trim())?.[1] ?? -1));
    const before = await jobs();
    await page.click('[data-testid="test-print"]');
    await page.locator('[data-testid="test-print-result"].ok').waitFor({ timeout: 20_000 });
    await expect.poll(jobs, { timeout: 10_000 }).toBe(before + 1);
    expect(await text(page, 'paper-left')).toMatch(/约 \d+\.\d 米（\d+%，整卷 60 米）/);
    await page.click('[data-testid="roll-changed"]');
    await page.locator('[data-testid="paper-result"].ok').waitFor({ timeout: 10_000 });
    expect(await jobs()).toBe(0);
    expect(await text(page, 'paper-changed')).toContain('tech');
    await page.locator('[data-testid="paper"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-paper');

    // 缺纸 on the simulated printer: a warning of the printer in the log tail, filtered.
    await page.click('[data-sim="printer"] [data-action="paper-out"]');
    await page.locator('[data-device="printer"] [data-state="fault"]').waitFor({ timeout: 20_000 });
    await page.selectOption('[data-testid="log-level"]', 'warn');
    await page.selectOption('[data-testid="log-device"]', 'printer');
    const rows = page.locator('[data-testid="log-row"]');
    await rows.first().waitFor({ timeout: 15_000 });
    const seen = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-log-device'), e.getAttribute('data-level')]));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(([d, l]) => d === 'printer' && (l === 'warn' || l === 'error' || l === 'fatal'))).toBe(true);
    expect(await text(page, 'logs')).toContain('printer status changed');
    await page.locator('[data-testid="logs"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-logs');
    await page.selectOption('[data-testid="log-device"]', 'idcard');
    await expect.poll(() => page.locator('[data-testid="log-row"][data-log-device="printer"]').count(), { timeout: 10_000 }).toBe(0);
    await page.click('[data-sim="printer"] [data-action="paper-ok"]');

    // 诊断包: a JSON download with the configuration but none of its secrets.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="diagnostics-download"]')]);
    expect(download.suggestedFilename()).toMatch(/^hall-kiosk-.+-diagnostics-\d{8}T\d{6}Z\.json$/);
    const body = readFileSync((await download.path())!, 'utf8');
    const bundle = JSON.parse(body) as { format: string; configuration: { secretsLeftOut: string[] } };
    expect(bundle.format).toBe('hall-kiosk-diagnostics/1');
    expect(bundle.configuration.secretsLeftOut).toContain('privacy.hmacKey');
    for (const secret of ['dev-hall-server-token-0001', 'dev-terminal-token-0001', 'scrypt$']) expect(body).not.toContain(secret);
    await page.close();
  }, 120_000);

  test('backup → restore round trip: confirmation, restart, the ticket taken after the backup is gone', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await login(page, 'admin', 'dev-admin-password-0001');
    const kept = (await takeTicket()).ticket.displayNo;
    await page.click('[data-testid="backup-now"]');
    await page.locator('[data-testid="backup-result"].ok').waitFor({ timeout: 20_000 });
    expect(await text(page, 'backup-result')).toContain('完整性检查通过');
    const row = page.locator('[data-testid="backup-row"]').first();
    await row.waitFor({ timeout: 10_000 });
    const name = (await row.getAttribute('data-backup'))!;
    const lost = (await takeTicket()).ticket.displayNo;
    expect(await lookup(lost)).toBe(200);

    await row.locator('[data-testid="restore"]').click();
    const confirm = page.locator('[data-testid="restore-confirm"]');
    await confirm.waitFor({ timeout: 10_000 });
    const says = (await confirm.textContent()) ?? '';
    expect(says).toContain(name);
    expect(says).toContain('平滑重启');
    expect(says).toContain('备份时间之后的号票、预约、评价和审计记录不会出现在恢复后的数据库中');
    expect(says).toContain('kiosk.db.before-restore-');
    expect(await page.locator('[data-testid="restore-confirm-button"]').isDisabled()).toBe(true);
    await confirm.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-restore-confirm');
    await page.check('[data-testid="restore-understood"]');
    await page.click('[data-testid="restore-confirm-button"]');
    await page.locator('[data-testid="backup-result"].ok').waitFor({ timeout: 10_000 });
    expect(await text(page, 'backup-result')).toContain('终端服务正在重启');

    // The daemon stops by itself (exit 75); systemd would start it again — here the test does.
    await expect
      .poll(
        () =>
          fetch(`${rig.daemon.api}/api/v1/kiosk/info`).then(
            () => 'up',
            () => 'down',
          ),
        { timeout: 30_000 },
      )
      .toBe('down');
    await rig.daemon.resume();
    expect(await lookup(kept)).toBe(200);
    expect(await lookup(lost)).toBe(404);

    // A restart ends the console sessions: log in again; the outcome and its audit row are shown.
    await login(page, 'admin', 'dev-admin-password-0001');
    await page.locator('[data-testid="last-restore"].ok').waitFor({ timeout: 15_000 });
    expect(await text(page, 'last-restore')).toContain(`从 ${name} 恢复成功`);
    await page.locator('[data-testid="audit-row"]').first().waitFor({ timeout: 15_000 });
    expect(await text(page, 'audit')).toContain(`已从备份恢复数据库：restore ${name}`);
    await page.locator('[data-testid="backups"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-restored');
    await page.close();
  }, 180_000);
});
