import { describe, expect, test } from 'vitest';
import { openKiosk, screenshot, useKioskRig } from '../helpers/browser.ts';

// The card identity belongs to one task (kiosk/session/citizen-session.ts): what the citizen sees
// when the card stays on the reader, when nobody is at the kiosk any more, and when a read fails.
const rig = useKioskRig({ config: { ui: { idleTimeoutSeconds: 15 } } });

type SessionView = { identity: { maskedName: string } | null; reader: { code: string; message: string } | null };
const session = () => rig.daemon.get<SessionView>('/api/v1/kiosk/session');

async function until(probe: () => Promise<boolean>, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the card identity at the kiosk, in real Chromium', () => {
  test('card read → ticket → card still on the reader → the next 取号 asks to lift and re-place it, then finds the ticket', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('[data-action="take"]');
    await page.locator('kiosk-take [data-identity="none"]').waitFor();
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await page.locator('kiosk-take [data-green-channel]').waitFor({ timeout: 10_000 });
    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
    const number = (await page.locator('[data-ticket-no]').textContent())!.trim();

    // 完成 → 取号 with the card left on the reader (which reads a card once per placing).
    await page.click('[data-action="done"]');
    await page.click('[data-action="take"]');
    const prompt = page.locator('kiosk-take [data-reader="IDCARD_REPLACE"]');
    await prompt.waitFor({ timeout: 10_000 });
    expect(await prompt.textContent()).toContain('请将读卡区上的身份证取下，再重新放好');
    expect(await page.locator('kiosk-take [data-masked-name]').count()).toBe(0);
    await screenshot(page, 'take-replace-card');
    // Tapping a service anyway gets no ticket without 绿色通道, only the same request.
    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-toast]').waitFor();
    expect(await page.locator('[data-toast]').textContent()).toContain('请将读卡区上的身份证取下');
    expect(await page.locator('kiosk-ticket').count()).toBe(0);

    await rig.daemon.simulate('idcard', 'remove-card');
    await prompt.waitFor({ state: 'detached', timeout: 10_000 });
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await page.locator('kiosk-take [data-green-channel]').waitFor({ timeout: 10_000 });
    await page.click('kiosk-take [data-service="general"]');
    await page.locator('[data-existing]').waitFor({ timeout: 15_000 });
    expect((await page.locator('[data-ticket-no]').textContent())!.trim()).toBe(number);
    await page.click('[data-action="done"]');
    await rig.daemon.simulate('idcard', 'remove-card');
    await until(async () => (await session()).reader === null);
    await page.close();
  }, 90_000);

  test('a corrupted card read shows the reader message, and the card placed again is read', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('[data-action="take"]');
    await page.locator('kiosk-take [data-identity="none"]').waitFor();
    await rig.daemon.simulate('idcard', 'corrupt-next-read');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    const failed = page.locator('kiosk-take [data-reader="IDCARD_READ_FAILED"]');
    await failed.waitFor({ timeout: 10_000 });
    expect(await failed.textContent()).toContain('读卡器应答数据损坏，请重新放置身份证');
    await screenshot(page, 'take-read-failed');

    await rig.daemon.simulate('idcard', 'remove-card');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'adult' });
    await page.locator('kiosk-take [data-masked-name]').waitFor({ timeout: 10_000 });
    expect(await failed.count()).toBe(0);
    await page.click('[data-action="home"]').catch(() => undefined);
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.close();
  }, 60_000);

  test("the idle timeout on the daemon clears the masked name: a card read while the kiosk sits at home is not the next person's", async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.locator('kiosk-home').waitFor();
    // Someone places a card at the welcome screen and walks away; nothing on screen holds it.
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await until(async () => (await session()).identity !== null, 10_000);
    // No touch for ui.idleTimeoutSeconds: the daemon's own timer ends it (polled, not timed).
    await until(async () => (await session()).identity === null);
    // The next person taps 取号: no masked name, no 绿色通道 of the previous citizen.
    await page.click('[data-action="take"]');
    await page.locator('kiosk-take [data-reader="IDCARD_REPLACE"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('kiosk-take [data-masked-name]').count()).toBe(0);
    expect(await page.locator('kiosk-take [data-green-channel]').count()).toBe(0);
    // A reload does not bring it back either.
    await page.reload();
    await page.locator('[data-action="take"]').first().waitFor({ timeout: 15_000 });
    await page.click('[data-action="take"]');
    await page.locator('kiosk-take [data-identity="none"]').waitFor();
    expect(await page.locator('kiosk-take [data-masked-name]').count()).toBe(0);
    await rig.daemon.simulate('idcard', 'remove-card');
    await page.close();
  }, 90_000);
});
