import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvalServer, type EvalServer } from '../kiosk/evaluations/setup.ts';
import { ADMIN, COUNTER } from '../helpers/server.ts';
import { buildUiOnce, CHROMIUM_ARGS } from '../helpers/browser.ts';

let s: EvalServer;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  await buildUiOnce(); // the daemon serves the built dist/ui, evaluator.html included
  s = await makeEvalServer();
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(s.app.server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.clock.install();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

const post = (url: string, payload: object, headers: Record<string, string>) => s.app.inject({ method: 'POST', url, payload, headers });

async function completeTicket(identity?: string): Promise<{ id: number; displayNo: string }> {
  const t = (
    await post(
      '/api/v1/terminal/tickets',
      { serviceCode: 'general', ...(identity ? { identity: { hash: identity } } : {}) },
      { authorization: 'Bearer dev-terminal-token-0001' },
    )
  ).json().ticket;
  await post('/api/v1/counters/1/call-next', {}, COUNTER(1));
  await post('/api/v1/counters/1/complete', {}, COUNTER(1));
  return t;
}

describe('counter evaluator in Chromium', () => {
  it('is set up with the counter token and shows the counter and the staff member', async () => {
    await post('/api/v1/counters/1/open', {}, COUNTER(1));
    await post('/api/v1/evaluator/staff', { staffId: 'S001', staffName: '张三' }, COUNTER(1));
    await page.goto(`${base}/evaluator.html`);
    await page.locator('[data-testid=token]').fill('dev-counter-token-0001');
    await page.locator('[data-testid=save-token]').click();
    await expect.poll(() => page.locator('[data-testid=idle]').count()).toBe(1);
    expect(await page.locator('[data-testid=counter]').textContent()).toBe('1号窗口（综合）');
    expect(await page.locator('[data-testid=staff]').textContent()).toContain('张三');
    const token = await page.evaluate(() =>
      (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('hall-kiosk.evaluator.token'),
    );
    expect(token).toBe('dev-counter-token-0001');
    await expect.poll(() => page.locator('.offline').count()).toBe(0); // stream connected
  });

  it('shows a completed ticket, refuses a 差评 without a reason, accepts it with one and opens a case', async () => {
    const t = await completeTicket('identity-hash-of-citizen-ui-001');
    await expect.poll(() => page.locator('[data-testid=evaluate]').count()).toBe(1);
    expect(await page.locator('[data-testid=ticket]').textContent()).toContain(t.displayNo);
    // Five equally prominent levels, none preselected.
    const levels = page.locator('[data-level]');
    expect(await levels.count()).toBe(5);
    expect(await levels.evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')))).toEqual(['false', 'false', 'false', 'false', 'false']);
    const sizes = await levels.evaluateAll((els) =>
      els.map((e) => {
        const g = globalThis as unknown as { getComputedStyle(x: unknown): { fontSize: string; backgroundColor: string; fontWeight: string } };
        const r = e.getBoundingClientRect();
        const st = g.getComputedStyle(e);
        return `${Math.round(r.width)}x${Math.round(r.height)}:${st.fontSize}:${st.fontWeight}:${st.backgroundColor}`;
      }),
    );
    expect(new Set(sizes).size).toBe(1);
    expect(await page.locator('[data-testid=submit]').isDisabled()).toBe(true);

    await page.locator('[data-level=不满意]').click();
    await page.locator('[data-testid=submit]').click();
    await expect.poll(() => page.locator('[data-testid=error]').textContent()).toBe('差评请至少选择一项原因');
    expect(await s.evaluations.store.forTicket(t.id)).toHaveLength(0);

    await page.locator('[data-reason=waiting]').check();
    await page.locator('[data-testid=submit]').click();
    await expect.poll(() => page.locator('[data-testid=thanks]').count()).toBe(1);
    expect(await page.locator('[data-testid=thanks]').textContent()).toContain('2026-11-24');

    const stored = await s.evaluations.store.forTicket(t.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ level: '不满意', channel: 'counter-evaluator', staff_name: '张三' });
    const cases = (await s.app.inject({ method: 'GET', url: '/api/v1/evaluations/cases', headers: ADMIN })).json().cases;
    expect(cases).toEqual([
      expect.objectContaining({ evaluationId: stored[0]!.id, status: 'pending-contact', contactDue: '2026-11-24', rectifyDue: '2026-11-30' }),
    ]);
    await page.clock.runFor(6_000);
    await expect.poll(() => page.locator('[data-testid=idle]').count()).toBe(1);
  });

  it('returns to idle on timeout and records 未评价, never a rating', async () => {
    const t = await completeTicket();
    await expect.poll(() => page.locator('[data-testid=evaluate]').count()).toBe(1);
    await page.clock.runFor(61_000);
    await expect.poll(() => page.locator('[data-testid=idle]').count()).toBe(1);
    await expect
      .poll(() =>
        (s.kiosk.db.prepare('SELECT kind FROM evaluation_screens WHERE ticket_id = ? ORDER BY id').all(t.id) as { kind: string }[]).map((r) => r.kind),
      )
      .toEqual(['shown', 'timeout']);
    expect(await s.evaluations.store.forTicket(t.id)).toHaveLength(0);
  });
});
