import { describe, expect, test } from 'vitest';
import { inPage, LANDSCAPE, PORTRAIT, openKiosk, screenshot, useKioskRig, waitForPage } from '../helpers/browser.ts';

/** Ids the rig.daemon returns for a query, in order. */
async function expectedIds(q: string): Promise<string[]> {
  const r = await rig.daemon.get<{ items: { id: string }[] }>(`/api/v1/kiosk/guides?q=${encodeURIComponent(q)}`);
  return r.items.map((i) => i.id);
}

/** Waits until the result list on screen shows exactly `ids`. */
async function waitForResults(page: import('playwright-core').Page, ids: string[]): Promise<void> {
  await waitForPage(
    page,
    `(() => {
    const root = document.querySelector('kiosk-app')?.shadowRoot?.querySelector('kiosk-guides')?.shadowRoot;
    const shown = [...(root?.querySelectorAll('[data-results] [data-guide]') ?? [])].map((e) => e.getAttribute('data-guide'));
    return shown.join(',') === ${JSON.stringify(ids.join(','))};
  })()`,
  );
}

const rig = useKioskRig();

describe('办事指南 in real Chromium', () => {
  test('search 异地就医 with the IME, then ydjy on the letter keyboard; no results → suggestions', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('[data-action="guides"]');
    await page.locator('[data-results] [data-guide]').first().waitFor();
    await screenshot(page, 'guides');

    await page.fill('[data-search]', '异地就医');
    const chinese = await expectedIds('异地就医');
    expect(chinese.length).toBeGreaterThan(0);
    await waitForResults(page, chinese);
    const names = await page.locator('[data-results] [data-guide] .name').allTextContents();
    expect(names[0]).toContain('异地');
    expect(names.filter((n) => n.includes('异地')).length).toBeGreaterThanOrEqual(Math.ceil(names.length / 2));
    await screenshot(page, 'guides-search');

    await page.click('[data-key="Clear"]');
    for (const k of 'ydjy') await page.click(`kiosk-keyboard [data-key="${k}"]`);
    expect(await page.inputValue('[data-search]')).toBe('ydjy');
    const pinyin = await expectedIds('ydjy');
    expect(pinyin.length).toBeGreaterThan(0);
    await waitForResults(page, pinyin);
    expect(await page.locator('[data-results] [data-guide] .name').first().textContent()).toContain('异地');
    await screenshot(page, 'guides-pinyin');

    await page.fill('[data-search]', 'zzzzqqqq');
    await page.locator('[data-no-results]').waitFor();
    expect(await page.locator('[data-suggestion]').count()).toBeGreaterThan(0);
    await screenshot(page, 'guides-no-results');

    // Filters: 服务对象 单位 shows only unit items.
    await page.click('[data-key="Clear"]');
    await page.click('[data-object="单位"]');
    await page.locator('[data-results] [data-guide]').first().waitFor();
    const metas = await page.locator('[data-results] .meta').allTextContents();
    expect(metas.length).toBeGreaterThan(0);
    expect(metas.every((m) => m.includes('单位'))).toBe(true);
    await page.close();
  }, 60_000);

  test('item page: every field, availability, checklist with 容缺, 一次性告知单 printed, 取号 for the item', async () => {
    const page = await openKiosk(rig.browser, rig.daemon, LANDSCAPE);
    await page.click('[data-action="guides"]');
    await page.fill('[data-search]', '住院费用报销');
    await page.click('[data-results] [data-guide="inpatient-reimbursement"]');
    await page.locator('[data-item-name]').waitFor();
    expect(await page.locator('[data-item-name]').textContent()).toContain('住院');
    const labels = await page.locator('[data-fields] dt').allTextContents();
    for (const l of ['事项名称', '受理条件', '办理地点', '咨询电话', '监督投诉电话']) expect(labels).toContain(l);
    await page.locator('[data-availability="here"]').waitFor();
    await screenshot(page, 'guide-item');

    // Nothing ticked yet: no warning (the citizen has not started); the checklist comes before the legal basis.
    expect(await page.locator('[data-missing]').count()).toBe(0);
    expect(await page.locator('[data-legal-basis]').getAttribute('open')).toBeNull();
    const order = await page.evaluate(`(() => { const r = document.querySelector('kiosk-app').shadowRoot.querySelector('kiosk-guide-item').shadowRoot;
      return [r.querySelector('[data-material]').getBoundingClientRect().top, r.querySelector('[data-legal-basis]').getBoundingClientRect().top]; })()`);
    expect((order as number[])[0]).toBeLessThan((order as number[])[1]!);
    // One ticked: what is still required shows.
    await page.click('[data-material="credential"]');
    await page.locator('[data-missing]').waitFor();
    await page.click('[data-material="hospital-receipts"]');
    expect(await page.locator('[data-material="credential"]').getAttribute('aria-checked')).toBe('true');
    // Blocking ones are in; the deferrable ones remain → 容缺受理 hint.
    await page.locator('[data-missing]').waitFor({ state: 'detached' });
    await page.locator('[data-tolerable]').waitFor();
    expect(await page.locator('[data-tolerable]').textContent()).toContain('容缺受理');
    await screenshot(page, 'guide-checklist');

    await page.click('[data-action="print-notice"]');
    await page.locator('[data-notice-result]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-notice-result]').textContent()).toContain('容缺受理');
    const receipt = await rig.daemon.lastReceipt();
    expect(receipt?.text).toContain('一次性告知');
    expect(receipt?.text).toContain('住院费用报销');

    await page.click('[data-action="take-for-item"]');
    await page.locator('[data-ticket-no]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-service-name]').textContent()).toContain('报销');
    await page.close();
  }, 60_000);

  test('承诺制: the screen shows the daemon’s verdict, asked on every tick without printing; a 个人承诺书 in place of a proof is accepted', async () => {
    const page = await openKiosk(rig.browser, rig.daemon);
    await page.click('[data-action="guides"]');
    await page.fill('[data-search]', '异地安置退休人员备案');
    await page.click('[data-results] [data-guide="remote-retiree-filing"]');
    await page.locator('[data-item-name]').waitFor();
    const asked = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/kiosk/guides/remote-retiree-filing/notice'));
    await page.click('[data-material="credential"]');
    // The rule is kiosk/guides/checklist.ts: the screen asks for its verdict, nothing is printed.
    expect((await asked).postDataJSON()).toEqual({ have: ['credential'], print: false });
    await page.locator('[data-complete]').waitFor();
    expect(await page.locator('[data-complete]').textContent()).toContain('个人承诺书');
    expect(await page.locator('[data-missing]').count()).toBe(0);

    await page.click('[data-action="print-notice"]');
    await page.locator('[data-notice-result]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-notice-result]').getAttribute('data-outcome')).toBe('accept-with-commitment');
    const verdict = (await page.locator('[data-notice-result]').textContent())!;
    expect(verdict).toContain('签署个人承诺书后可以受理');
    expect(verdict).not.toContain('暂不能受理');
    await page.close();
  }, 60_000);

  test('every screen fits portrait 1080×1920 and landscape 1920×1080 without sideways overflow (screenshots)', async () => {
    for (const viewport of [PORTRAIT, LANDSCAPE]) {
      const page = await openKiosk(rig.browser, rig.daemon, viewport);
      const fits = async (): Promise<void> => {
        const overflow = await inPage<number>(
          page,
          `Math.max(document.documentElement.scrollWidth - innerWidth, ...deepAll().filter((e) => e.tagName === 'MAIN').map((m) => m.scrollWidth - m.clientWidth))`,
        );
        expect(overflow).toBeLessThanOrEqual(0);
      };
      await page.locator('[data-waiting]').waitFor();
      await fits();
      await screenshot(page, 'screen-home');
      for (const screen of ['take', 'checkin', 'lookup', 'guides'] as const) {
        await page.click(`kiosk-home [data-action="${screen}"]`);
        await page.locator('[data-prompt]').first().waitFor();
        if (screen === 'guides') await page.locator('[data-results] [data-guide]').first().waitFor();
        await fits();
        await screenshot(page, `screen-${screen}`);
        if (screen !== 'guides') await page.click('[data-action="home"]');
      }
      await page.click('[data-results] [data-guide]');
      await page.locator('[data-item-name]').waitFor();
      await fits();
      await screenshot(page, 'screen-guide-item');
      await page.close();
    }
  }, 60_000);
});
