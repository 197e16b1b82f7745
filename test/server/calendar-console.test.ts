/** The 工作日历 page of the technician console in real Chromium (kept here: test/ui is restructured by another change). */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { LANDSCAPE, screenshot, useKioskRig } from '../helpers/browser.ts';

const rig = useKioskRig();
const notice2027 = readFileSync(new URL('../kiosk/calendar/fixtures/notice-2027-TEST-FIXTURE.txt', import.meta.url), 'utf8');

describe('calendar page of the technician console', () => {
  test('warns before coverage runs out, previews a pasted notice as a calendar with its unread lines, imports it, and edits a day with a reason', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const page = await rig.browser.page(LANDSCAPE);
    await page.goto(`${rig.daemon.url}/console.html`);
    await page.fill('[data-testid="user"]', 'admin');
    await page.fill('[data-testid="password"]', 'dev-admin-password-0001');
    await page.press('[data-testid="password"]', 'Enter');
    await page.locator('[data-testid="calendar-page"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="calendar-coverage"] strong').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="calendar-coverage"]').textContent()).toContain('2004–2026 年');
    // The seed covers 2026 only: from 1 November 2026 the console says so.
    const warned = today >= '2026-11-01' && today <= '2026-12-31';
    if (warned) {
      await page.locator('[data-testid="calendar-warning"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-testid="calendar-warning"]').textContent()).toContain('工作日历尚未包含 2027 年');
    }

    await page.fill('[data-testid="import-text"]', notice2027.replace('四、劳动节', '四、劳动节：5月前后放假。\n五、劳动节'));
    await page.click('[data-testid="import-preview"]');
    await page.locator('[data-testid="preview"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="preview-unparsed"] li[data-line="10"]').textContent()).toContain('5月前后放假');
    expect(await page.locator('[data-testid="import-commit"]').isDisabled()).toBe(true);

    await page.fill('[data-testid="import-text"]', notice2027);
    await page.click('[data-testid="import-preview"]');
    await page.locator('[data-testid="preview"] td[data-date="2027-02-20"][data-type="adjusted-workday"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="preview"] td[data-date="2027-01-01"]').getAttribute('data-type')).toBe('holiday');
    expect(await page.locator('[data-testid="preview-unparsed"] li[data-line="1"]').textContent()).toContain('不含日期，可忽略');
    await screenshot(page, 'console-calendar-preview');
    await page.fill('[data-testid="import-operator"]', '李工');
    await page.click('[data-testid="import-commit"]');
    await page.locator('[data-testid="calendar-message"].ok').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="calendar-message"]').textContent()).toContain('已导入 2027 年');
    // The year view and the coverage line reload after the message: wait for them, not read them.
    await page.locator('[data-testid="calendar-year-title"]', { hasText: '2027' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="calendar-coverage"]', { hasText: '2004–2027 年' }).waitFor({ timeout: 10_000 });
    if (warned) await page.locator('[data-testid="calendar-warning"]').waitFor({ state: 'detached', timeout: 10_000 });

    // A single day: 2027-03-06 (Saturday) becomes a working day, with a reason.
    await page.click('[data-testid="calendar-year"] td[data-date="2027-03-06"] button');
    await page.selectOption('[data-testid="day-kind"]', 'adjusted-workday');
    await page.fill('[data-testid="day-name"]', '补班');
    await page.fill('[data-testid="day-reason"]', '市政府通知当日补班');
    await page.click('[data-testid="day-save"]');
    await page.locator('[data-testid="calendar-year"] td[data-date="2027-03-06"][data-type="adjusted-workday"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="calendar-audit"] td', { hasText: '市政府通知当日补班' }).waitFor({ timeout: 10_000 });
    const audit = await page.locator('[data-testid="calendar-audit"]').textContent();
    expect(audit).toContain('市政府通知当日补班');
    expect(audit).toContain('李工（admin）');
    await screenshot(page, 'console-calendar-audit');
  });
});
