import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';

// 办事指南内容 and 导入站点配置 in the console, in real Chromium against the real daemon: a 政务服务网
// item list with two bad rows — both reported by row, column and reason, the rest imported and
// previewed on the kiosk's own guide element; a configuration file with a bad value gets its
// Chinese field error; a technician sees none of it.
const rig = useKioskRig();
const FIXTURES = join(import.meta.dirname, '../fixtures/guides');

async function login(page: Page, user: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${rig.daemon.url}/console.html`);
  await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
  await page.fill('[data-testid="user"]', user);
  await page.fill('[data-testid="password"]', password);
  await page.press('[data-testid="password"]', 'Enter');
  await page.locator('[data-testid="who"]').filter({ hasText: user }).waitFor({ timeout: 15_000 });
}

describe('办事指南内容 in the console (real Chromium)', () => {
  for (const format of ['xlsx', 'csv'] as const) {
    test(`a ${format} item list with two bad rows: both reported, the rest imported and previewed on the kiosk layout`, async () => {
      const page = await rig.browser.page(LANDSCAPE);
      await login(page, 'admin', 'dev-admin-password-0001');
      await page.locator('[data-testid="guide-row"]').first().waitFor({ timeout: 15_000 });
      await page.setInputFiles('[data-testid="guide-import-file"]', join(FIXTURES, `zwfw-items.${format}`));
      await page.click('[data-testid="guide-import"]');
      const report = page.locator('[data-testid="guide-import-report"]');
      await report.waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid="guide-import-summary"]').textContent()).toContain('共 4 行：已导入 2 项，2 行有问题未导入');
      const problems = await page
        .locator('[data-testid="guide-import-problem"]')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      expect(problems).toEqual([
        ['第 3 行', '办理时限', expect.stringContaining('“尽快办理”无法识别')],
        ['第 5 行', '类别', expect.stringContaining('“养老保险”不是已有的类别')],
      ]);
      expect(await page.locator('[data-testid="guide-import-done"] li').allTextContents()).toEqual([
        expect.stringMatching(/^第 2 行：异地转诊人员备案（更新）$/),
        // The first file adds it; the second (same rows) updates it.
        `第 4 行：定点零售药店费用结算（${format === 'xlsx' ? '新增' : '更新'}）`,
      ]);
      await report.scrollIntoViewIfNeeded();
      await screenshot(page, `console-guide-import-${format}`);

      // The imported item in the list, as 本地事项, and on the kiosk's own guide element.
      const row = page.locator('[data-testid="guide-row"][data-id="item-11131100mb193224813132036022002"]');
      expect(await row.locator('[data-testid="guide-local"]').isChecked()).toBe(true);
      await row.locator('[data-testid="guide-preview"]').click();
      const preview = page.locator('[data-testid="guide-preview-box"] kiosk-guide-item');
      await preview.getByText('定点零售药店费用结算', { exact: true }).first().waitFor({ timeout: 15_000 });
      // 内容来源 on the kiosk's page says it is this region's item (shadow DOM: located, not textContent).
      await preview.getByText('本地事项（已按本地规定核对）', { exact: true }).waitFor({ timeout: 5_000 });
      await preview.scrollIntoViewIfNeeded();
      await screenshot(page, `console-guide-preview-${format}`);
      await page.close();
    }, 120_000);
  }

  test('a configuration file with a bad value gets its Chinese field error; a technician has no guide or import pages', async () => {
    const page = await rig.browser.page(LANDSCAPE);
    await login(page, 'admin', 'dev-admin-password-0001');
    const exported = (await page.evaluate(async () => (await fetch('/api/v1/console/config/export')).json())) as { hall: Record<string, unknown> };
    const file = join(mkdtempSync(join(tmpdir(), 'ui-config-import-')), 'site.json');
    writeFileSync(file, JSON.stringify({ ...exported, hall: { ...exported.hall, name: '' } }));
    await page.setInputFiles('[data-testid="config-import-file"]', file);
    await page.click('[data-testid="config-import-check"]');
    await page.locator('[data-testid="config-import-problems"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="config-import-problems"] li').allTextContents()).toEqual(['配置项 hall.name 不能为空']);
    expect(await page.locator('[data-testid="config-import-apply"]').count()).toBe(0);
    await page.locator('[data-testid="config-import"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'console-config-import-error');

    await login(page, 'tech', 'dev-tech-password-0001');
    await page.locator('[data-testid="admin-only"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="guides"]').count()).toBe(0);
    expect(await page.locator('[data-testid="config-import"]').count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/api/v1/console/guides')).status)).toBe(403);
    await page.close();
  }, 120_000);
});
