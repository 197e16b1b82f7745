import { describe, expect, test } from 'vitest';
import { LANDSCAPE, openKiosk, screenshot, useKioskRig, waitForPage } from '../helpers/browser.ts';

const rig = useKioskRig();

describe('取号 in real Chromium', () => {
  test('elder ID card → 绿色通道 → ticket on screen with QR, printed receipt holds the number; asking again gives it back', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.locator('[data-waiting] [data-service="general"]').waitFor();
    // The browser runs in UTC; the header shows the hall's date and time (Asia/Shanghai), 8 hours apart.
    await waitForPage(
      page,
      `(() => {
      const now = new Date();
      const d = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now).split('-').map(Number);
      const t = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
      const text = document.querySelector('kiosk-app')?.shadowRoot?.textContent ?? '';
      return text.includes(d[0] + '年' + d[1] + '月' + d[2] + '日') && text.includes(t);
    })()`,
    );
    await screenshot(page, 'home');

    await page.click('[data-action="take"]');
    await page.locator('[data-identity="none"]').waitFor();
    await screenshot(page, 'take');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await page.locator('[data-masked-name]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-masked-name]').textContent()).toContain('*');
    expect(await page.locator('[data-masked-id]').textContent()).toMatch(/\*{6,}/);
    await page.locator('[data-green-channel]').waitFor();
    await screenshot(page, 'take-identified');

    await page.click('kiosk-take [data-service="general"]');
    const no = page.locator('[data-ticket-no]');
    await no.waitFor({ timeout: 15_000 });
    const number = (await no.textContent())!.trim();
    expect(number).toMatch(/^A\d{3}$/);
    expect(await page.locator('[data-service-name]').textContent()).toContain('综合业务');
    await page.locator('[data-priority]').waitFor();
    await page.locator('[data-qr="ready"] svg').waitFor();
    expect(await page.locator('[data-counters]').textContent()).toContain('窗口');
    await page.locator('[data-print="ok"]').waitFor();
    const firstQrText = await page.locator('kiosk-qr').evaluate((e) => (e as unknown as { text: string }).text);
    expect(firstQrText.length).toBeGreaterThan(8);
    await screenshot(page, 'ticket');

    const receipt = await rig.daemon.lastReceipt();
    expect(receipt?.text).toContain(number);
    expect(receipt?.text).toContain('综合业务');
    expect(receipt?.text).toMatch(/[\u4e00-\u9fff]{4}/);

    // Same citizen asks again: the existing ticket comes back.
    await page.click('[data-action="done"]');
    await page.click('[data-action="take"]');
    // 完成 cleared the session; the citizen puts the card on the reader again.
    await rig.daemon.simulate('idcard', 'remove-card');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await page.locator('[data-masked-name]').waitFor({ timeout: 10_000 });
    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-existing]').waitFor({ timeout: 15_000 });
    expect((await page.locator('[data-ticket-no]').textContent())!.trim()).toBe(number);
    await screenshot(page, 'ticket-existing');
    await page.click('[data-action="done"]');
    await rig.daemon.simulate('idcard', 'remove-card');

    // A keyboard-wedge scanner types the ticket's QR text fast and ends with Enter → 排队查询.
    await page.locator('kiosk-home').waitFor();
    // Dispatched in one go inside the page: a real scanner's key gaps are a few ms, which CDP
    // round trips on a loaded test machine cannot guarantee.
    await page.evaluate(`(() => {
      for (const key of [...${JSON.stringify(firstQrText)}, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
    })()`);
    await page.locator('[data-lookup-result]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-lookup-result]').textContent()).toContain(number);
    await screenshot(page, 'lookup-scanned');

    // 呼叫工作人员 from any screen.
    await page.click('[data-action="assist"]');
    await page.locator('[data-toast]').waitFor();
    expect(await page.locator('[data-toast]').textContent()).toContain('已通知工作人员');

    // A serial scanner's scan reaches the screen over SSE and the daemon's Chinese verdict is shown
    // (an opaque payload like this one is taken for a 医保电子凭证, anything else gets a 二维码 hint).
    await rig.daemon.simulate('scanner', 'scan', { text: 'HELLO-NOT-OURS-123' });
    await waitForPage(
      page,
      `/电子凭证|二维码/.test(document.querySelector('kiosk-app')?.shadowRoot?.querySelector('[data-toast]')?.textContent ?? '')`,
      10_000,
    );
    await page.close();
  }, 90_000);

  test('printer out of paper: banner, number stays valid on screen with QR, 重新打印 after paper-ok', async () => {
    await rig.daemon.simulate('printer', 'paper-out');
    const page = await openKiosk(rig.browser, rig.daemon, LANDSCAPE);
    await page.locator('[data-banner="printer"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-banner="printer"]').textContent()).toContain('打印');
    await screenshot(page, 'home-printer-fault');

    await page.click('[data-action="take"]');
    await page.click('kiosk-take [data-priority="pregnant"]');
    await page.click('kiosk-take [data-service="enrol"]');
    await page.locator('[data-print="failed"]').waitFor({ timeout: 15_000 });
    const number = (await page.locator('[data-ticket-no]').textContent())!.trim();
    expect(number).toMatch(/^B\d{3}$/);
    expect(await page.locator('[data-print="failed"]').textContent()).toContain('仍然有效');
    await page.locator('[data-qr="ready"] svg').waitFor();
    await screenshot(page, 'ticket-print-failed');

    await rig.daemon.simulate('printer', 'paper-ok');
    // The rig.daemon polls the printer; retry the reprint until it reports success.
    for (let i = 0; i < 10; i++) {
      await page.click('[data-action="reprint"]');
      await page.locator('[data-action="reprint"]:not([disabled]), [data-print="ok"]').first().waitFor();
      if (await page.locator('[data-print="ok"]').count()) break;
      await page.waitForTimeout(1000);
    }
    await page.locator('[data-print="ok"]').waitFor();
    // Printed: no 重新打印 left to print a second slip.
    expect(await page.locator('[data-action="reprint"]').count()).toBe(0);
    const receipt = await rig.daemon.lastReceipt();
    expect(receipt?.text).toContain(number);
    expect(receipt?.text).toContain('参保登记');
    await screenshot(page, 'ticket-reprinted');
    await page.close();
  }, 90_000);
});
