/**
 * UI benchmark: gzipped JS size of dist/ui and tap 取号 → ticket number on screen in headless
 * Chromium against the real daemon (simulated printer, so printing is part of the time).
 * `npx tsx test/ui/bench-ui.ts` prints the result as JSON; `npm run bench` imports benchUi().
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildUiOnce, DIST_UI, launchBrowser, openKiosk, startDaemon } from '../helpers/browser.ts';

export interface UiBench {
  gzipKb: number;
  tapToTicketMs: { p50: number; p95: number };
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? jsFiles(p) : name.endsWith('.js') ? [p] : [];
  });
}

/** Sum of the gzipped sizes (level 9) of every JS file in dist/ui, in KB. */
export function gzippedJsKb(dir = DIST_UI): number {
  const bytes = jsFiles(dir).reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  return Math.round((bytes / 1024) * 10) / 10;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

export async function benchUi(options: { samples?: number; warmup?: number } = {}): Promise<UiBench> {
  const samples = options.samples ?? 30;
  const warmup = options.warmup ?? 3;
  await buildUiOnce();
  const gzipKb = gzippedJsKb();
  // 33 tickets from one kiosk within a minute or two: above the abuse limit of 12 printed tickets
  // per minute (kioskLimits, kiosk/session/abuse-limits.ts), which is not what this bench measures.
  const daemon = await startDaemon({ config: { kioskLimits: { printedTickets: { perKiosk: 100_000 } } } });
  const browser = await launchBrowser();
  const times: number[] = [];
  try {
    const page = await openKiosk(browser, daemon);
    const services = ['general', 'enrol', 'reimburse', 'remote', 'employer'];
    for (let i = 0; i < warmup + samples; i++) {
      await page.click('[data-action="take"]');
      const code = services[i % services.length]!;
      await page.locator(`kiosk-take [data-service="${code}"]:not([disabled])`).waitFor();
      // Measured inside the page: from the tap on the service to the frame that shows the number.
      // (A string, so tsx's name helpers do not leak into the page.)
      const ms = await page.evaluate<number>(`(async () => {
        const app = document.querySelector('kiosk-app').shadowRoot;
        const button = app.querySelector('kiosk-take').shadowRoot.querySelector('[data-service="${code}"]');
        const t0 = performance.now();
        button.click();
        while (!app.querySelector('kiosk-ticket')?.shadowRoot?.querySelector('[data-ticket-no]')) await new Promise((r) => requestAnimationFrame(r));
        await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - t0;
      })()`);
      if (i >= warmup) times.push(ms);
      await page.click('[data-action="done"]');
      await page.locator('kiosk-home').waitFor();
    }
  } finally {
    await browser.close();
    await daemon.stop();
  }
  times.sort((a, b) => a - b);
  return { gzipKb, tapToTicketMs: { p50: percentile(times, 50), p95: percentile(times, 95) } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchUi(), null, 2));
}
