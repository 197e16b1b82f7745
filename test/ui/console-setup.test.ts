import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { LANDSCAPE, PORTRAIT, screenshot, useKioskRig } from '../helpers/browser.ts';
import { consoleLogin } from '../helpers/console.ts';

// A new kiosk from the defaults to its first printed ticket, set up only through the console in
// real Chromium against a real daemon with a site file: a hall-admin names the hall and adds a
// counter (each save restarts the daemon: exit 75, started again here as systemd would), assigns
// the receipt printer, the ID card reader and the ticket presenter to simulator ports (real ptys;
// no restart, so the ptys, which live in the daemon, stay) and pairs a counter workstation with
// the code the console shows. A citizen then takes a ticket on the kiosk page for the new
// counter's service, the receipt — with the new hall name — comes out of the pty printer, and the
// paired workstation calls it. The hall comes before the ports: a simulator port does not outlive
// the daemon (on real hardware the order does not matter).
const rig = useKioskRig({ config: {} });

const HALL = '青山镇医保服务站';
const COUNTER = '9号窗口（异地就医）';

const site = () =>
  JSON.parse(readFileSync(join(rig.daemon.dataDir, 'site.json'), 'utf8')) as {
    hall: { name: string };
    counters?: { number: number }[];
    devices?: Record<string, { mode: string; path?: string }>;
  };
const login = (page: Page) => consoleLogin(page, rig.daemon.url, 'admin', 'dev-admin-password-0001');
const restarted = async (): Promise<void> => {
  await rig.daemon.halt();
  await rig.daemon.resume();
};

/** 新建模拟串口 for one kind; answers the new pty's row in the 串口 table. */
async function simulatorPort(setup: Locator, kind: string, label: string): Promise<string> {
  await setup.locator('[data-testid="sim-kind"]').selectOption(kind);
  await setup.locator('[data-testid="sim-port-new"]').click();
  const row = setup.locator('[data-testid="serial-ports"] tr[data-port]', { hasText: `模拟串口（pty）：${label}` });
  await row.waitFor({ timeout: 15_000 });
  return (await row.getAttribute('data-port'))!;
}

describe('a new kiosk set up from the console alone', () => {
  test('defaults → hall named, counter added, ports assigned, workstation paired → first ticket printed and called', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await login(page);
    const name = page.locator('[data-testid="hall-name"]');
    await name.waitFor({ timeout: 15_000 });
    await screenshot(page, 'console-setup-1-defaults');

    // 大厅信息: the hall's name.
    await name.fill(HALL);
    await page.click('[data-testid="save-hall"]');
    await page.locator('[data-testid="hall-result"].ok').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="hall-result"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-setup-2-hall-named');
    await restarted();
    expect(site().hall.name).toBe(HALL);

    // 窗口: counter 9 for 异地就医.
    await login(page);
    expect(await page.locator('[data-testid="hall-name"]').inputValue()).toBe(HALL);
    const add = page.locator('[data-testid="add-counter"]');
    await add.locator('[data-testid="counter-number"]').fill('9');
    await add.locator('[data-testid="counter-name"]').fill(COUNTER);
    await add.locator('input[value="remote"]').check();
    await page.click('[data-testid="add-counter-button"]');
    await page.locator('[data-testid="hall-result"].ok').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="hall-result"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-setup-3-counter-added');
    await restarted();
    expect(site().counters?.some((c) => c.number === 9)).toBe(true);

    // 设备设置: simulator ports, the devices assigned to them in hardware mode, each turns 正常.
    await login(page);
    const setup = page.locator('[data-testid="device-setup"]');
    await setup.locator('[data-testid="dev-state-printer"][data-state="ready"]').waitFor({ timeout: 15_000 });
    const ports = {
      printer: await simulatorPort(setup, 'printer', '小票打印机'),
      idcard: await simulatorPort(setup, 'idcard', '身份证阅读器'),
      dispenser: await simulatorPort(setup, 'dispenser', '出票器'),
    };
    for (const [role, path] of Object.entries(ports)) {
      await setup.locator(`[data-testid="mode-${role}"]`).selectOption('hardware');
      await setup.locator(`[data-testid="path-${role}"]`).selectOption(path);
      await setup.locator(`[data-testid="baudRate-${role}"]`).selectOption('115200');
    }
    await setup.locator('[data-testid="devices-apply"]').click();
    const result = setup.locator('[data-testid="devices-result"]');
    await result.locator('text=已应用').waitFor({ timeout: 15_000 });
    expect(await result.getAttribute('class')).toBe('ok');
    for (const role of Object.keys(ports)) {
      await setup.locator(`[data-testid="dev-state-${role}"][data-state="ready"]`).waitFor({ timeout: 15_000 });
      expect(await setup.locator(`[data-testid="dev-state-${role}"]`).textContent()).toBe('正常');
    }
    await setup.locator('[data-role="printer"] h3').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-setup-4-devices-assigned');
    for (const [role, path] of Object.entries(ports)) expect(site().devices?.[role]).toMatchObject({ mode: 'hardware', path });

    // 设备配对: a code for counter 9's workstation, typed on /counter.html.
    await page.selectOption('[data-testid="pair-device"]', 'counter');
    await page.selectOption('[data-testid="pair-counter"]', '9');
    await page.click('[data-testid="make-pairing-code"]');
    const shown = page.locator('[data-testid="pairing-code-shown"]');
    await shown.waitFor({ timeout: 15_000 });
    const code = (await shown.textContent())!.trim();
    await shown.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-setup-5-pairing-code');
    const ws = await rig.browser.page(LANDSCAPE);
    await ws.goto(`${rig.daemon.url}/counter.html`);
    await ws.locator('[data-testid="setup"]').waitFor({ timeout: 15_000 });
    await ws.fill('[data-testid="pairing-code"]', code);
    await ws.click('[data-testid="pair"]');
    await ws.locator('[data-testid="counter-name"]').filter({ hasText: COUNTER }).waitFor({ timeout: 15_000 });
    await ws.locator('[data-testid="sign-in"]').waitFor({ timeout: 15_000 });
    await ws.locator('[data-testid="staff-id"]').fill('S009');
    await ws.locator('[data-testid="staff-name"]').fill('王五');
    await ws.locator('[data-testid="staff-pin"]').focus();
    await ws.keyboard.press('Enter');
    await ws.locator('[data-testid="staff"]').click(); // focus leaves the inputs: keys go to the caller
    await ws.keyboard.press('F11');
    await ws.locator('[data-testid="counter-state"]').filter({ hasText: '服务中' }).waitFor({ timeout: 15_000 });
    await screenshot(ws, 'console-setup-6-workstation-paired');

    // The citizen's first ticket on the kiosk page, printed on the pty printer with the new name.
    const kiosk = await rig.browser.page(PORTRAIT);
    await kiosk.goto(rig.daemon.url);
    await kiosk.click('[data-action="take"]');
    await kiosk.click('kiosk-take [data-service="remote"]');
    const no = kiosk.locator('[data-ticket-no]');
    await no.waitFor({ timeout: 15_000 });
    const number = (await no.textContent())!.trim();
    expect(await kiosk.locator('[data-counters]').textContent()).toContain('9');
    await kiosk.locator('[data-print="ok"]').waitFor({ timeout: 15_000 });
    await screenshot(kiosk, 'console-setup-7-ticket');
    const printed = await rig.daemon.get<{ path: string; lastReceiptText: string | null }[]>('/api/v1/dev/simulator-ports');
    const receipt = printed.find((p) => p.path === ports.printer)?.lastReceiptText ?? '';
    expect(receipt).toContain(number);
    expect(receipt).toContain(HALL);
    // The in-memory printer of the defaults printed nothing.
    expect(await rig.daemon.lastReceipt()).toBeNull();
    await setup.locator('[data-testid="discover"]').click();
    await setup.locator('[data-testid="serial-ports"] tr[data-port]', { hasText: '已打印 1 张' }).waitFor({ timeout: 15_000 });
    await setup.locator('[data-testid="serial-ports"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-setup-8-printed-on-port');

    // The paired workstation calls it.
    await ws.keyboard.press('F1');
    await ws.locator('[data-testid="current-no"]').filter({ hasText: number }).waitFor({ timeout: 15_000 });
    await screenshot(ws, 'console-setup-9-called');
    await kiosk.close();
    await ws.close();
    await page.close();
  }, 300_000);
});
