/**
 * A hall on PostgreSQL for end-to-end tests (issue 17): a primary with a synchronous streaming
 * standby (test/helpers/postgres.ts), the hall's multi-host URL over both, and real daemons
 * (kiosk/main.ts as child processes) with storage.engine=postgres on that URL, which a test may
 * SIGKILL and start again on the same port and data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from './ports.ts';
import { type PgServer, startPostgres, startStandby } from './postgres.ts';
import { TERMINAL } from './server.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface PgHallCluster {
  readonly primary: PgServer;
  readonly standby: PgServer;
  /** The daemons' storage.postgres.url: primary then standby, target_session_attrs=read-write. */
  readonly url: string;
  /** The hall's database name on both servers. */
  readonly database: string;
}

/** The libpq multi-host URL of `database` on `primary` and `standby`, for whichever is writable. */
export function multiHostUrl(primary: PgServer, standby: PgServer, database: string): string {
  return `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/${database}?target_session_attrs=read-write`;
}

/**
 * A real daemon on the hall's PostgreSQL store. `start()` spawns it and resolves when it answers
 * GET /api/v1/kiosk/info; `kill()` is SIGKILL (no shutdown code runs); a later `start()` uses the
 * same port, site file and data directory, as a kiosk that is switched on again.
 */
export class PgDaemon {
  readonly port: number;
  readonly dir: string;
  readonly base: string;
  starts = 0;
  /** Started and answering HTTP (false from kill() until the next start() resolved). */
  up = false;
  #child: ChildProcess | null = null;
  #exit: Promise<void> | null = null;

  constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
    this.base = `http://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.#child !== null && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('daemon already running');
    this.starts++;
    // Its log (warnings and worse) goes to a file, quoted when a start fails.
    const log = openSync(this.logFile, 'a');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'kiosk/main.ts', '--config', join(this.dir, 'site.json'), '--port', String(this.port), '--data-dir', join(this.dir, 'data')],
      { cwd: ROOT, env: { ...process.env, KIOSK_LOG_LEVEL: 'warn' }, stdio: ['ignore', log, log] },
    );
    closeSync(log);
    this.#child = child;
    this.#exit = new Promise((r) => child.once('exit', () => r()));
    // A guard against a wedged start, not a timing claim: a loaded machine starts slower.
    for (let i = 0; i < 1200; i++) {
      if (!this.running) throw new Error(`daemon on port ${this.port} exited during start-up (${child.exitCode ?? child.signalCode}):\n${this.logTail()}`);
      const status = await fetch(`${this.base}/api/v1/kiosk/info`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status,
        () => null,
      );
      if (status === 200) {
        this.up = true;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`daemon on port ${this.port} did not answer within 120 s:\n${this.logTail()}`);
  }

  get logFile(): string {
    return join(this.dir, 'daemon.log');
  }

  /** The end of the daemon's log (every run of it). */
  logTail(chars = 3000): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-chars);
    } catch {
      return '(no log)';
    }
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    this.up = false;
    if (!this.running) return;
    this.#child!.kill('SIGKILL');
    await this.#exit;
  }
}

export interface PgHallHarness {
  /** Primary, synchronous standby, and a database `hall` on them. */
  cluster(): Promise<PgHallCluster>;
  /** A started daemon on `url`. */
  daemon(url: string): Promise<PgDaemon>;
}

/**
 * Call at the top of a test file: every server and daemon it makes is SIGKILLed/stopped and every
 * directory removed after the file's tests.
 */
export function usePgHall(): PgHallHarness {
  const daemons: PgDaemon[] = [];
  const servers: PgServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.kill()));
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 60_000);
  return {
    async cluster() {
      const primary = await startPostgres();
      servers.push(primary);
      const standby = await startStandby(primary, { synchronous: true });
      servers.push(standby);
      await primary.createDatabase('hall');
      return { primary, standby, url: multiHostUrl(primary, standby, 'hall'), database: 'hall' };
    },
    async daemon(url) {
      const dir = mkdtempSync(join(tmpdir(), 'kiosk-pg-hall-'));
      dirs.push(dir);
      writeFileSync(
        join(dir, 'site.json'),
        JSON.stringify({ storage: { engine: 'postgres', postgres: { url, statementTimeoutMs: 3000, connectTimeoutMs: 2000 } } }),
      );
      const d = new PgDaemon(await freePort(), dir);
      daemons.push(d);
      await d.start();
      return d;
    },
  };
}

/** POST /api/v1/terminal/tickets (the terminal credential). */
export function issue(base: string, requestId: string, serviceCode = 'general'): Promise<Response> {
  return fetch(`${base}/api/v1/terminal/tickets`, {
    method: 'POST',
    headers: { ...TERMINAL, 'content-type': 'application/json' },
    body: JSON.stringify({ serviceCode, requestId }),
  });
}
