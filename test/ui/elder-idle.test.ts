import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { inPage, LANDSCAPE, openKiosk, PORTRAIT, screenshot, useKioskRig, waitForPage } from '../helpers/browser.ts';

// Shortest idle timeout the config allows, so the reset happens within the test.
const rig = useKioskRig({ config: { ui: { idleTimeoutSeconds: 15 } } });

/** Boxes of every visible button in the whole UI (through shadow roots). */
function buttonBoxes(page: Page): Promise<{ text: string; w: number; h: number }[]> {
  return inPage(
    page,
    `deepAll()
      .filter((el) => el.tagName === 'BUTTON')
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ el, r }) => r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden')
      .map(({ el, r }) => ({ text: el.textContent.trim(), w: r.width, h: r.height }))`,
  );
}

/** Computed font size (px) of the current screen's main prompt. */
async function promptFontSize(page: Page): Promise<number> {
  await page.locator('[data-prompt]').first().waitFor();
  return inPage(page, `parseFloat(getComputedStyle(deepAll().find((e) => e.hasAttribute('data-prompt'))).fontSize)`);
}

const isElder = (page: Page): Promise<boolean> => inPage(page, `document.documentElement.classList.contains('elder')`);

/** Text of the whole UI including shadow roots and input values. */
const allText = (page: Page): Promise<string> => inPage(page, 'deepText()');

describe('适老化 and privacy in real Chromium', () => {
  test('长辈模式: text ≥ 1.5×, every button ≥ 60×60, portrait and landscape; keyboard reachable', async () => {
    for (const viewport of [PORTRAIT, LANDSCAPE]) {
      const page = await openKiosk(rig.browser, rig.daemon, viewport);
      const normal = await promptFontSize(page);
      await page.click('[data-action="elder"]');
      await waitForPage(page, `document.documentElement.classList.contains('elder')`);
      expect(await page.locator('[data-action="elder"]').getAttribute('aria-pressed')).toBe('true');
      const elder = await promptFontSize(page);
      expect(elder / normal).toBeGreaterThanOrEqual(1.5);
      await screenshot(page, 'home-elder');

      for (const screen of ['take', 'guides'] as const) {
        if (await page.locator('[data-action="home"]').count()) await page.click('[data-action="home"]');
        await page.click(`[data-action="${screen}"]`);
        await page.locator('[data-prompt]').first().waitFor();
        if (screen === 'guides') await page.locator('[data-results] [data-guide]').first().waitFor();
        expect(await isElder(page)).toBe(true);
        expect(await promptFontSize(page)).toBeGreaterThanOrEqual(normal * 1.5);
        const small = (await buttonBoxes(page)).filter((b) => b.w < 60 || b.h < 60);
        expect(small).toEqual([]);
        await screenshot(page, `${screen}-elder`);
      }
      // 朗读: headless Chromium has no Chinese voice, so the daemon's espeak-ng endpoint is used.
      const speech = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/kiosk/speech'));
      await page.click('[data-action="read"]');
      expect((await speech).postDataJSON().text).toMatch(/[\u4e00-\u9fff]/);
      const homeBoxes = await buttonBoxes(page);
      expect(homeBoxes.length).toBeGreaterThan(5);

      // Keyboard: focus a function and activate it with Enter.
      await page.click('[data-action="home"]');
      await page.focus('[data-action="guides"]');
      await page.keyboard.press('Enter');
      await page.locator('kiosk-guides').waitFor();
      await page.close();
    }
  }, 90_000);

  test('idle: 还需要更多时间吗 prompt, then back home with the session deleted and no personal data left', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    const deletes: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'DELETE' && r.url().endsWith('/api/v1/kiosk/session')) deletes.push(r.url());
    });
    await page.click('[data-action="take"]');
    await rig.daemon.simulate('idcard', 'insert-card', { fixture: 'elder' });
    await page.locator('[data-masked-name]').waitFor({ timeout: 10_000 });
    const maskedName = (await page.locator('[data-masked-name]').textContent())!.trim();
    const maskedId = (await page.locator('[data-masked-id]').textContent())!.trim();
    await rig.daemon.simulate('idcard', 'remove-card');

    // First prompt: the citizen asks for more time and stays where they were.
    await page.locator('[data-dialog="idle"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-dialog="idle"]').textContent()).toContain('还需要更多时间吗');
    await screenshot(page, 'idle-prompt');
    await page.click('[data-action="more-time"]');
    await page.locator('[data-dialog="idle"]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-masked-name]').count()).toBe(1);

    // Second time nobody answers: home, session deleted, nothing personal left.
    await page.locator('[data-dialog="idle"]').waitFor({ timeout: 20_000 });
    await page.locator('kiosk-home').waitFor({ timeout: 20_000 });
    await page.locator('[data-dialog="idle"]').waitFor({ state: 'detached' });
    expect(deletes.length).toBeGreaterThan(0);
    const text = await allText(page);
    expect(text).not.toContain(maskedName);
    expect(text).not.toContain(maskedId);
    expect(text).not.toContain('绿色通道 ');
    const identity = await inPage(page, `document.querySelector('kiosk-app').identity`);
    expect(identity).toBeNull();
    const session = await rig.daemon.get<{ identity: unknown }>('/api/v1/kiosk/session');
    expect(session.identity).toBeNull();
    await page.close();
  }, 90_000);

  test('daemon restart: 系统维护中 while it is down, then the kiosk carries on by itself', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await rig.daemon.halt();
    await page.locator('[data-dialog="maintenance"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-dialog="maintenance"]').textContent()).toContain('系统维护中');
    await screenshot(page, 'maintenance');
    await rig.daemon.resume();
    await page.locator('[data-dialog="maintenance"]').waitFor({ state: 'detached', timeout: 30_000 });
    await page.click('[data-action="take"]');
    await page.click('kiosk-take [data-service="remote"]');
    await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
    expect(await allText(page)).not.toMatch(/at \w+ \(|Error:|TypeError/);
    await page.close();
  }, 90_000);
});
