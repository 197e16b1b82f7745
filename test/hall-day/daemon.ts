import { spawn, type ChildProcess } from 'node:child_process';
import { buildSync } from 'esbuild';
import { buildIfStale, daemonNodeFlags } from '../packaging/helpers.ts';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Api } from './http.ts';
import { untilStalled } from './util.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const CLOCK_SHIFT = join(ROOT, 'test/hall-day/clock-shift.ts');

/**
 * How the daemon runs: 'tsx' compiles kiosk/main.ts on the fly (what the vitest hall days use: no
 * build step); 'compiled' is what a hall runs, dist/server/main.js under plain node with the node
 * options of the systemd unit (issue 11's memory budget is for this one). The clock-shift preload
 * is then compiled to JavaScript too, so no TypeScript loader sits in the measured process.
 */
export type DaemonMode = 'tsx' | 'compiled';

let compiledPreload: string | undefined;
function clockShiftJs(): string {
  if (compiledPreload) return compiledPreload;
  const out = join(tmpdir(), `hall-day-clock-shift-${process.pid}.mjs`);
  buildSync({ entryPoints: [CLOCK_SHIFT], outfile: out, format: 'esm', platform: 'node', logLevel: 'warning' });
  process.once('exit', () => rmSync(out, { force: true }));
  return (compiledPreload = out);
}

/** `npm run build --if-stale` once per process, before the first compiled daemon starts. */
let built = false;
function buildOnce(): void {
  if (built) return;
  buildIfStale();
  built = true;
}

export { freePort } from '../helpers/ports.ts';

export interface ResourceSample {
  readonly rssKb: number;
  readonly fds: number;
}

/**
 * The real daemon (`kiosk/main.ts`) as a child process on simulated devices. Its stdout and
 * stderr go straight to a log file per run (scanned for personal data at the end). Restarting
 * keeps the port and the data directory; the simulators and their ptys are recreated by the new
 * process, as after a power cut.
 */
export class DaemonProcess {
  readonly port: number;
  readonly dataDir: string;
  readonly siteFile: string;
  readonly logDir: string;
  readonly clockFile: string;
  readonly api: Api;
  readonly logFiles: string[] = [];
  runs = 0;
  #child: ChildProcess | null = null;
  #exit: Promise<{ code: number | null; signal: string | null }> | null = null;
  #offsetMs: number;
  #gc = 0;
  #diag: { diag?: string; heapSnapshot?: boolean } = {};
  readonly mode: DaemonMode;

  constructor(options: { port: number; dataDir: string; siteFile: string; logDir: string; offsetMs: number; mode?: DaemonMode }) {
    this.mode = options.mode ?? 'tsx';
    this.port = options.port;
    this.dataDir = options.dataDir;
    this.siteFile = options.siteFile;
    this.logDir = options.logDir;
    this.clockFile = join(options.dataDir, 'clock-offset');
    this.#offsetMs = options.offsetMs;
    this.api = new Api(`http://127.0.0.1:${options.port}`);
    this.#writeControl();
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  get running(): boolean {
    return this.#child !== null && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The daemon's clock offset from real time (ms). */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Virtual "now" as the daemon sees it. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  async start(): Promise<void> {
    this.runs++;
    const logFile = join(this.logDir, `daemon-run-${this.runs}.log`);
    this.logFiles.push(logFile);
    const fd = openSync(logFile, 'a');
    if (this.mode === 'compiled') buildOnce();
    const entry =
      this.mode === 'compiled'
        ? [...daemonNodeFlags(), '--expose-gc', '--import', clockShiftJs(), 'dist/server/main.js']
        : ['--expose-gc', '--import', 'tsx', '--import', CLOCK_SHIFT, 'kiosk/main.ts'];
    const args = [...entry, '--config', this.siteFile, '--port', String(this.port), '--data-dir', this.dataDir];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        KIOSK_LOG_LEVEL: process.env.KIOSK_LOG_LEVEL ?? 'debug', // every request logged, so the privacy scan reads them all
        HALL_DAY_CLOCK_OFFSET_MS: String(this.#offsetMs),
        HALL_DAY_CLOCK_FILE: this.clockFile,
      },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.#child = child;
    this.#exit = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
    // No start-up deadline: a loaded machine starts slower. It fails if the process exits, or if it
    // neither answers nor uses any CPU for 30 s (wedged, not slow).
    let exited = false;
    const up = await untilStalled(
      async () => {
        if (!this.running) return (exited = true);
        return (await this.api.get('/api/v1/kiosk/info', { timeoutMs: 2000 })).status === 200;
      },
      () => this.cpuTicks(),
      30_000,
      100,
    );
    if (exited) throw new Error(`daemon exited during start-up; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (!up) throw new Error(`daemon neither answered nor used CPU for 30 s during start-up; see ${logFile}`);
  }

  /** SIGKILL: no shutdown code runs, exactly like a power cut for the process. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.#child!.kill('SIGKILL');
    await this.#exit;
  }

  /**
   * Graceful stop (SIGTERM), SIGKILL after 20 s. A product limit, not the machine's: the unit
   * file gives the daemon TimeoutStopSec=20s before systemd kills it
   * (config/debian/hall-kiosk.service), so a stop that needs longer is a failed stop anywhere.
   */
  async stop(): Promise<{ code: number | null; signal: string | null }> {
    if (!this.running) return (await this.#exit) ?? { code: null, signal: null };
    this.#child!.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), 20_000);
    const result = await this.#exit!;
    clearTimeout(timer);
    this.api.close();
    return result;
  }

  /** Step the daemon's wall clock (preload reads the file on SIGUSR2). Also used for restarts. */
  setClockOffset(offsetMs: number): void {
    this.#offsetMs = offsetMs;
    this.#writeControl();
    if (this.running) this.#child!.kill('SIGUSR2');
  }

  /** Ask the daemon for a full garbage collection (before a memory sample). */
  requestGc(): void {
    this.#gc++;
    this.#writeControl();
    if (this.running) this.#child!.kill('SIGUSR2');
  }

  /**
   * Ask the daemon to write its memory breakdown (clock-shift.ts `writeDiagnostics`) to `path`,
   * with a heap snapshot next to it if `heapSnapshot`. Resolves with the parsed file, or null if
   * the daemon wrote nothing (not running, or no CPU used for 10 s).
   */
  async diagnostics(path: string, heapSnapshot: boolean): Promise<unknown> {
    if (!this.running) return null;
    this.#diag = { diag: path, heapSnapshot };
    this.#writeControl();
    this.#child!.kill('SIGUSR2');
    const pid = this.pid;
    // Read before the daemon writes anything (a heap snapshot would inflate it): resident memory
    // by kind (anonymous, file-backed, shared) and by mapping (smaps), largest first.
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kinds = Object.fromEntries(
      ['VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmData'].map((k) => [k, Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN)]),
    );
    const mappings = new Map<string, number>();
    let name = '';
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) name = head[1] || '[anon]';
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss) mappings.set(name, (mappings.get(name) ?? 0) + Number(rss[1]));
    }
    const smapsKb = Object.fromEntries([...mappings].sort((a, b) => b[1] - a[1]).slice(0, 15));
    let body: unknown = null;
    await untilStalled(
      async () => {
        try {
          body = JSON.parse(readFileSync(path, 'utf8'));
          return true;
        } catch {
          return !this.running;
        }
      },
      () => this.cpuTicks(),
      10_000,
      100,
    );
    return body === null ? null : { rssKb: kinds, smapsKb, ...(body as object) };
  }

  #writeControl(): void {
    writeFileSync(this.clockFile, JSON.stringify({ offsetMs: this.#offsetMs, gc: this.#gc, ...this.#diag }));
  }

  /**
   * Wait until the daemon answers HTTP again (the orchestrator restarts it after a kill). No fixed
   * deadline: false only if nothing answered and no daemon process used CPU for `stallMs`.
   */
  async waitUp(stallMs = 30_000): Promise<boolean> {
    return untilStalled(
      async () => this.running && (await this.api.get('/api/v1/kiosk/info', { timeoutMs: 2000 })).status === 200,
      () => this.runs * 1e9 + this.cpuTicks(),
      stallMs,
      50,
    );
  }

  /** CPU time (user + system clock ticks, /proc/<pid>/stat) the current daemon process used; 0 if none. */
  cpuTicks(): number {
    const pid = this.pid;
    if (!pid || !this.running) return 0;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  }

  /** RSS (kB, /proc/<pid>/status VmRSS) and open file descriptors (/proc/<pid>/fd). */
  sample(): ResourceSample | null {
    const pid = this.pid;
    if (!pid || !this.running) return null;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      const fds = readdirSync(`/proc/${pid}/fd`).length;
      return { rssKb, fds };
    } catch {
      return null;
    }
  }
}
