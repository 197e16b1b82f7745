import type { Page } from 'playwright-core';

/** Opens the technician console at `base` and logs in; resolves once the console shows who is in. */
export async function consoleLogin(page: Page, base: string, user: string, password: string): Promise<void> {
  await page.goto(`${base}/console.html`);
  await page.locator('[data-testid="login"]').waitFor({ timeout: 15_000 });
  await page.fill('[data-testid="user"]', user);
  await page.fill('[data-testid="password"]', password);
  await page.press('[data-testid="password"]', 'Enter');
  await page.locator('[data-testid="who"]').filter({ hasText: user }).waitFor({ timeout: 15_000 });
}
