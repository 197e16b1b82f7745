import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';

// 设备设置 in real Chromium, as a technician: a simulator port (a real pty) made from the console,
// the receipt printer assigned to it, a bad value refused with its Chinese error, the status turning
// 正常 without a restart, and a test receipt printed on the new port.
const rig = useKioskRig({ config: {} });

async function login(page: Page): Promise<void> {
  await page.fill('[data-testid="user"]', 'tech');
  await page.fill('[data-testid="password"]', 'dev-tech-password-0001');
  await page.press('[data-testid="password"]', 'Enter');
}

describe('设备设置 in the technician console', () => {
  test('assign the receipt printer to a discovered port and see it turn ready', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await page.goto(`${rig.daemon.url}/console.html`);
    await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
    await login(page);
    const setup = page.locator('[data-testid="device-setup"]');
    await setup.locator('[data-testid="dev-state-printer"][data-state="ready"]').waitFor({ timeout: 15_000 });
    // The test receipt's preview for the configured profile is shown before anything is printed.
    await setup.locator('[data-testid="test-receipt-preview"]').waitFor({ timeout: 15_000 });

    // A simulated printer on a real pty, then 发现设备 lists it as a serial port.
    await setup.locator('[data-testid="sim-kind"]').selectOption('printer');
    await setup.locator('[data-testid="sim-port-new"]').click();
    const simRow = setup.locator('[data-testid="serial-ports"] tr[data-port]', { hasText: '模拟串口（pty）' });
    await simRow.waitFor({ timeout: 15_000 });
    const path = (await simRow.getAttribute('data-port'))!;
    expect(await simRow.textContent()).toMatch(/\/dev\/pts\/\d+/);

    // 硬件 without a port: refused, the Chinese message names the field; nothing changed.
    await setup.locator('[data-testid="mode-printer"]').selectOption('hardware');
    await setup.locator('[data-testid="devices-apply"]').click();
    const result = setup.locator('[data-testid="devices-result"]');
    await result.locator('text=配置项 devices.printer.path 不能为空').waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('class')).toBe('error');
    await screenshot(page, 'console-devices-error');

    await setup.locator('[data-testid="path-printer"]').selectOption(path);
    await setup.locator('[data-testid="baudRate-printer"]').selectOption('115200');
    await setup.locator('[data-testid="devices-apply"]').click();
    await result.locator('text=已应用（小票打印机）').waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('class')).toBe('ok');
    await setup.locator('[data-testid="dev-state-printer"][data-state="ready"]').waitFor({ timeout: 15_000 });
    // Saved to the site file for the next start.
    const site = JSON.parse(readFileSync(join(rig.daemon.dataDir, 'site.json'), 'utf8')) as { devices: { printer: { mode: string; path: string } } };
    expect(site.devices.printer).toMatchObject({ mode: 'hardware', path });

    // The test receipt reaches the pty simulator.
    await setup.locator('[data-testid="devices-test-print"]').click();
    await setup.locator('[data-testid="devices-test-print-result"].ok').waitFor({ timeout: 20_000 });
    await simRow.locator('text=已打印 1 张').waitFor({ timeout: 15_000 });
    await setup.locator('[data-role="printer"] h3').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-devices-assigned');
  });
});
