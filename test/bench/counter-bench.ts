/**
 * Counter benchmark: 叫号 (F1) at the workstation → the number on the window display and on the
 * call display, in headless Chromium against the real daemon, over the event stream; against a
 * display that polls /display/status every 3 s as the peers' displays do (MADO-queue, FQM).
 * Each page records the moment the number appears (MutationObserver, same machine clock as the
 * key press). `npx tsx test/bench/counter-bench.ts` prints JSON; `npm run bench` calls benchCounter().
 */
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { buildUiOnce, LANDSCAPE, launchBrowser, startDaemon } from '../helpers/browser.ts';
import type { Row } from './queue-bench.ts';

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]! * 10) / 10;
}

/**
 * Installs a watcher in the page: window.__seen[text] = Date.now() when `selector` (inside the
 * shadow root of `host`) first shows text. Source text, so tsx's helpers stay out of the page.
 */
async function watch(page: Page, host: string, selector: string): Promise<void> {
  await page.evaluate(`(() => {
    window.__seen = {};
    const root = document.querySelector(${JSON.stringify(host)}).shadowRoot;
    const check = () => {
      const t = root.querySelector(${JSON.stringify(selector)})?.textContent?.trim();
      if (t && !(t in window.__seen)) window.__seen[t] = Date.now();
    };
    new MutationObserver(check).observe(root, { subtree: true, childList: true, characterData: true });
  })()`);
}

const seen = (page: Page, no: string) => page.evaluate<number | null>(`window.__seen[${JSON.stringify(no)}] ?? null`);

export async function benchCounter(options: { calls?: number } = {}): Promise<Row[]> {
  const calls = options.calls ?? 50;
  await buildUiOnce();
  const daemon = await startDaemon();
  const browser = await launchBrowser();
  try {
    const nos: string[] = [];
    for (let i = 0; i < calls; i++)
      nos.push((await daemon.post<{ ticket: { displayNo: string } }>('/api/v1/terminal/tickets', { serviceCode: 'general' })).ticket.displayNo);
    const ws = await browser.page(LANDSCAPE);
    await ws.goto(`${daemon.url}/counter.html`);
    await ws.locator('[data-testid=token]').fill('dev-counter-token-0001');
    await ws.keyboard.press('Enter');
    await ws.locator('[data-testid=staff-id]').fill('S001');
    await ws.locator('[data-testid=staff-name]').fill('张三');
    await ws.locator('[data-testid=sign-in-button]').click();
    await ws.locator('[data-testid=staff]').click();
    await ws.keyboard.press('F11');
    await ws.locator('[data-testid=counter-state]', { hasText: '服务中' }).waitFor();

    const win = await browser.page(LANDSCAPE);
    await win.goto(`${daemon.url}/window.html?counter=1&token=dev-hall-server-token-0001`);
    await win.locator('[data-testid=window-state]').waitFor();
    await watch(win, 'window-display', '[data-testid=window-no]');
    const hall = await browser.page(LANDSCAPE);
    await hall.goto(`${daemon.url}/display.html?speech=off`);
    await hall.locator('[data-testid=welcome]').waitFor();
    await watch(hall, 'call-display', '[data-testid=current-no]');
    // The polling display: the same snapshot every 3 s, as MADO-queue and FQM do.
    const poll = await browser.page(LANDSCAPE);
    await poll.goto(`${daemon.url}/window.html?counter=99&token=dev-hall-server-token-0001`);
    await poll.evaluate(`(() => {
      window.__seen = {};
      setInterval(async () => {
        const s = await (await fetch('/api/v1/display/status', { cache: 'no-store' })).json();
        const no = s.counters.find((c) => c.number === 1)?.current?.displayNo;
        if (no && !(no in window.__seen)) window.__seen[no] = Date.now();
      }, 3000);
    })()`);

    const windowMs: number[] = [];
    const hallMs: number[] = [];
    const pollMs: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = Date.now();
      await ws.keyboard.press('F1');
      const no = nos[i]!;
      for (const [page, out] of [
        [win, windowMs],
        [hall, hallMs],
        [poll, pollMs],
      ] as const) {
        for (let waited = 0; ; waited += 5) {
          const at = await seen(page, no);
          if (at !== null) {
            out.push(at - t0);
            break;
          }
          if (waited > 10_000) throw new Error(`${no} never appeared`);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      await ws.keyboard.press('F4');
      await ws.locator('[data-testid=current-empty]').waitFor();
    }
    const p95 = percentile(windowMs, 0.95);
    const pollP95 = percentile(pollMs, 0.95);
    return [
      { name: 'F1 → window display (SSE) p50', value: percentile(windowMs, 0.5), unit: 'ms', target: '<= 50 ms p95' },
      { name: 'F1 → window display (SSE) p95', value: p95, unit: 'ms', baseline: `3 s poll p95 ${pollP95} ms`, ratio: p95 / pollP95, target: '<= 50 ms' },
      { name: 'F1 → call display (SSE) p50', value: percentile(hallMs, 0.5), unit: 'ms' },
      { name: 'F1 → call display (SSE) p95', value: percentile(hallMs, 0.95), unit: 'ms', target: '<= 50 ms' },
      { name: 'F1 → display polling every 3 s p50', value: percentile(pollMs, 0.5), unit: 'ms', note: `${calls} calls` },
      { name: 'F1 → display polling every 3 s p95', value: pollP95, unit: 'ms' },
    ];
  } finally {
    await browser.close();
    await daemon.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const calls = Number(process.argv[2] ?? 50);
  console.log(JSON.stringify(await benchCounter({ calls }), null, 2));
}
