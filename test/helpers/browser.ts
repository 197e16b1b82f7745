/**
 * Real-browser test harness for the kiosk UI: builds `dist/ui` once, starts the real daemon as a
 * child process with simulated devices, and launches Debian's headless Chromium via playwright-core.
 */
import { afterAll, beforeAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST_UI = join(ROOT, 'dist/ui');
export const SHOTS = join(ROOT, 'test-output/ui');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Viewport {
  width: number;
  height: number;
}
export const PORTRAIT: Viewport = { width: 1080, height: 1920 };
export const LANDSCAPE: Viewport = { width: 1920, height: 1080 };

/**
 * In-page helpers, injected as source text: the root tsconfig has no DOM types, and tsx's name
 * helpers must not leak into functions serialised into the page.
 */
export const IN_PAGE = `
  /** Every element of the document, through open shadow roots. */
  function deepAll(root = document) {
    const out = [];
    for (const el of root.querySelectorAll('*')) {
      out.push(el);
      if (el.shadowRoot) out.push(...deepAll(el.shadowRoot));
    }
    return out;
  }
  function deepText(root = document) {
    let text = (root.textContent ?? '') + ' ';
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) text += deepText(el.shadowRoot);
      if (el.tagName === 'INPUT') text += ' ' + el.value;
    }
    return text;
  }
`;

/** Evaluates an expression in the page after the IN_PAGE helpers. */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(`(() => { ${IN_PAGE}; return (${expression}); })()`);
}

// ---- build ------------------------------------------------------------------------------------

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * `npx vite build` unless dist/ui is newer than every UI source. Test files run in parallel
 * workers, so the build holds a directory lock and the others wait for it.
 */
export async function buildUiOnce(): Promise<void> {
  const lock = join(ROOT, 'dist/.ui-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const fresh = (): boolean => {
    const index = join(DIST_UI, 'index.html');
    if (!existsSync(index)) return false;
    const sources = Math.max(newestMtime(join(ROOT, 'ui')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
    return statSync(index).mtimeMs > sources;
  };
  for (let waited = 0; ; waited += 200) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker is building; a lock older than 2 minutes is stale.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
      if (waited > 120_000) throw new Error('timed out waiting for the UI build lock');
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---- daemon -----------------------------------------------------------------------------------

export { freePort } from './ports.ts';
import { freePort } from './ports.ts';

export interface Daemon {
  /** Where the browser opens the UI: the daemon itself. */
  url: string;
  /** The daemon's own origin (API). */
  api: string;
  dataDir: string;
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
  simulate(kind: string, action: string, args?: unknown): Promise<unknown>;
  lastReceipt(): Promise<{ receipt: { lines: { text: string }[]; qrCodes: unknown[] }; text: string } | null>;
  output(): string;
  /** Stops the daemon process (same port and data dir kept for resume()). */
  halt(): Promise<void>;
  /** Starts it again after halt() and waits until it answers. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Site config overlay written to a JSON file and passed with --config. */
  config?: unknown;
}

export async function startDaemon(options: DaemonOptions = {}): Promise<Daemon> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-ui-data-'));
  const args = ['--import', 'tsx', 'kiosk/main.ts', '--port', String(port), '--data-dir', dataDir];
  if (options.config !== undefined) {
    const file = join(dataDir, 'site.json');
    writeFileSync(file, JSON.stringify(options.config));
    args.push('--config', file);
  }
  let out = '';
  let child: ChildProcess;
  const api = `http://127.0.0.1:${port}`;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(api + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };

  const launch = async (): Promise<void> => {
    child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, KIOSK_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}:\n${out}`);
      try {
        const res = await fetch(`${api}/api/v1/kiosk/info`);
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`daemon did not answer /api/v1/kiosk/info within 120 s:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  await launch();

  // The daemon serves dist/ui itself (server/ui.ts); a daemon that does not is a failure here.
  const index = await fetch(`${api}/`)
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  if (!index.includes('<kiosk-app')) throw new Error(`the daemon at ${api} does not serve the built UI at /`);
  const url = api;

  return {
    url,
    api,
    dataDir,
    get: (path) => call('GET', path),
    post: (path, body = {}) => call('POST', path, body),
    simulate: (kind, action, a = {}) => call('POST', `/api/v1/dev/simulators/${kind}/actions/${action}`, a),
    lastReceipt: async () => {
      try {
        return await call('GET', '/api/v1/dev/simulators/printer/receipts/last');
      } catch {
        return null;
      }
    },
    output: () => out,
    halt: kill,
    resume: launch,
    async stop() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- browser ----------------------------------------------------------------------------------

export interface Browser {
  context: BrowserContext;
  page(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Waits until a page expression (source text) is truthy. Evaluated over CDP, so it works under the
 * daemon's Content-Security-Policy (no 'unsafe-eval'), which `page.waitForFunction` with a string
 * polls through and is refused by.
 */
export async function waitForPage(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expression)) return;
    if (Date.now() > deadline) throw new Error(`page condition not met within ${timeoutMs} ms: ${expression.slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Headless Debian Chromium with a fresh temporary profile. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kiosk-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: PORTRAIT,
    locale: 'zh-CN',
    // Deliberately not the hall's zone (Asia/Shanghai): pages must show hall time from the daemon,
    // whatever the kiosk's operating system is set to.
    timezoneId: 'UTC',
    hasTouch: true,
  });
  return {
    context,
    async page(viewport = PORTRAIT) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves `test-output/ui/<name>-<portrait|landscape>.png` of the current page. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize();
  const orientation = size && size.width > size.height ? 'landscape' : 'portrait';
  const file = join(SHOTS, `${name}-${orientation}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Opens the UI and waits until the shell has loaded the hall info. */
export async function openKiosk(browser: Browser, daemon: Daemon, viewport: Viewport = PORTRAIT): Promise<Page> {
  const page = await browser.page(viewport);
  await page.goto(daemon.url);
  await page.locator('[data-action="take"]').first().waitFor({ timeout: 15_000 });
  return page;
}

export interface KioskRig {
  readonly daemon: Daemon;
  readonly browser: Browser;
}

/**
 * Registers the usual beforeAll/afterAll of a browser test file: build the UI, start a daemon on
 * simulated devices (with an optional config overlay) and launch Chromium; stop both afterwards.
 */
export function useKioskRig(options: DaemonOptions = {}): KioskRig {
  let daemon: Daemon | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await buildUiOnce();
    daemon = await startDaemon(options);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
  });
  return {
    get daemon() {
      if (!daemon) throw new Error('the daemon is not started yet (use it inside a test)');
      return daemon;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet (use it inside a test)');
      return browser;
    },
  };
}
