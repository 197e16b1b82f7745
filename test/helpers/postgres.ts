/**
 * Real PostgreSQL servers for tests, from Debian's `postgresql` package: a cluster made with
 * initdb in a temporary directory, on a loopback port, trust authentication for loopback only,
 * its socket in the same directory. Nothing touches the machine's own clusters or services.
 *
 * initdb refuses to run as root (CI runs as root): then every server tool runs as the `postgres`
 * user (`runuser -u postgres --`) in a directory handed to it.
 *
 * fsync is off: a test server's data need not survive the machine, and the standby tests kill the
 * postmaster, not the kernel (what was written is in the page cache). synchronous_commit stays on.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './ports.ts';

const run = promisify(execFile);

/** The newest PostgreSQL major installed under /usr/lib/postgresql (Debian's layout). */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => existsSync(join(root, d, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!majors.length) throw new Error('PostgreSQL is not installed (apt-get install postgresql); npm test installs it when run as root');
  return join(root, majors[0] as string, 'bin');
}

const asRoot = process.getuid?.() === 0;
const live = new Set<PgServer>();

export interface PgServer {
  readonly port: number;
  readonly dataDir: string;
  /** postgres://postgres@127.0.0.1:PORT/DB */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as the superuser on `database` (default postgres). */
  query<R extends object = Record<string, unknown>>(sql: string, database?: string): Promise<R[]>;
  /** pg_ctl stop -m fast. */
  stop(): Promise<void>;
  /** SIGKILL the postmaster and every backend: the machine is gone. */
  kill(): void;
  /** pg_ctl promote, and waits until the server accepts writes. */
  promote(): Promise<void>;
}

async function tool(name: string, args: string[]): Promise<string> {
  const bin = join(postgresBin(), name);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    const { stdout } = await run(cmd, argv, { timeout: 60_000 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${name} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  return dir;
}

function makeServer(root: string, port: number): PgServer {
  const dataDir = join(root, 'data');
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const server: PgServer = {
    port,
    dataDir,
    url,
    async createDatabase(name) {
      await server.query(`CREATE DATABASE ${name}`);
      return url(name);
    },
    async query<R extends object>(sql: string, database?: string): Promise<R[]> {
      const client = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        return (await client.query<R>(sql)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (!live.has(server)) return;
      live.delete(server);
      await tool('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => server.kill());
      rmSync(root, { recursive: true, force: true });
    },
    kill() {
      const pid = postmasterPid(dataDir);
      if (pid) for (const p of [pid, ...childrenOf(pid)]) signal(p);
    },
    async promote() {
      await tool('pg_ctl', ['-D', dataDir, '-w', 'promote']);
      for (let i = 0; i < 200; i++) {
        const [row] = await server.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
        if (row?.r === false) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the standby did not leave recovery after pg_ctl promote');
    },
  };
  live.add(server);
  return server;
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * A detached watchdog per server: when this test process is gone (even SIGKILLed, when no exit
 * handler runs), it shuts the server down immediately (SIGQUIT to the postmaster, which ends its
 * backends) and removes the directory.
 */
function watchdog(root: string): void {
  const pidFile = join(root, 'data', 'postmaster.pid');
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; [ -f '${pidFile}' ] && kill -QUIT "$(head -1 '${pidFile}')" 2>/dev/null; sleep 2; rm -rf '${root}'`;
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}

async function start(root: string, port: number, extra: string[] = []): Promise<void> {
  const dataDir = join(root, 'data');
  const opts = ['-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=60', ...extra];
  await tool('pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-o', opts.join(' '), '-w', '-t', '60', 'start']);
}

/** A new primary: initdb, then start. */
export async function startPostgres(): Promise<PgServer> {
  const root = workDir();
  const port = await freePort();
  watchdog(root);
  await tool('initdb', ['-D', join(root, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const server = makeServer(root, port);
  await start(root, port);
  return server;
}

/**
 * A streaming standby of `primary`, made with `pg_basebackup -R` (it writes standby.signal and
 * primary_conninfo). `synchronous`: the primary waits for this standby before acknowledging a commit
 * (synchronous_standby_names = '*', synchronous_commit = on), so an acknowledged commit is on both.
 */
export async function startStandby(primary: PgServer, options: { synchronous: boolean }): Promise<PgServer> {
  const root = workDir();
  const port = await freePort();
  watchdog(root);
  await tool('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    join(root, 'data'),
    '-R',
    '-X',
    'stream',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  const server = makeServer(root, port);
  await start(root, port, ['-c', 'cluster_name=standby', '-c', 'hot_standby=on']);
  if (options.synchronous) {
    await primary.query("ALTER SYSTEM SET synchronous_standby_names = '*'");
    await primary.query('ALTER SYSTEM SET synchronous_commit = on');
    await primary.query('SELECT pg_reload_conf()');
  }
  // Streaming (and, if asked, synchronous) before the test relies on it.
  for (let i = 0; i < 400; i++) {
    const rows = await primary.query<{ sync_state: string }>("SELECT sync_state FROM pg_stat_replication WHERE state = 'streaming'");
    if (rows.some((r) => (options.synchronous ? r.sync_state === 'sync' : true))) return server;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the standby did not start streaming');
}

/**
 * Call at the top of a test file: one server for the file (started before its tests, stopped after
 * them, with any other server the file started); each test takes a database of its own with
 * `freshDatabase()` instead of a server of its own.
 */
export function usePostgres(): { server(): PgServer; freshDatabase(prefix?: string): Promise<string> } {
  let shared: PgServer | undefined;
  let databases = 0;
  beforeAll(async () => {
    shared = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all([...live].map((s) => s.stop()));
  }, 60_000);
  const server = () => {
    if (!shared) throw new Error('usePostgres(): the server is started in beforeAll');
    return shared;
  };
  return { server, freshDatabase: (prefix = 'kiosk') => server().createDatabase(`${prefix}_${++databases}`) };
}

process.once('exit', () => {
  for (const s of live) {
    s.kill();
    rmSync(join(s.dataDir, '..'), { recursive: true, force: true });
  }
});
