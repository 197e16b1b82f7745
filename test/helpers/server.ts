import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../../config/load.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { buildServer, type BuildServerOptions } from '../../server/app.ts';
import { ConsoleSessions } from '../../server/plugins/console-sessions.ts';
import { fakeClock, type HallQuery, queryOf, tempDbPath } from './engine.ts';
import { hallStoreForTest } from './hall-store.ts';

export const HALL = { authorization: 'Bearer dev-hall-server-token-0001' };
export const COUNTER = (n: number) => ({ authorization: `Bearer dev-counter-token-000${n}` });
export const TERMINAL = { authorization: 'Bearer dev-terminal-token-0001' };
/**
 * Console sessions for in-process tests: makeServer seeds these two session ids (hall-admin
 * "admin", technician "tech"), and the headers carry the cookie plus the Origin `inject` requests
 * have (Host localhost:80), so state-changing requests pass the CSRF check. Over a real socket
 * (a spawned daemon) log in with consoleLogin instead.
 */
const ADMIN_SESSION = 'test-session-hall-admin-0000000000000000000';
const TECH_SESSION = 'test-session-technician-0000000000000000000';
export const ADMIN = { cookie: `hk_console=${ADMIN_SESSION}`, origin: 'http://localhost' };
export const TECHNICIAN = { cookie: `hk_console=${TECH_SESSION}`, origin: 'http://localhost' };

export function seededSessions(idleMinutes = 30): ConsoleSessions {
  const sessions = new ConsoleSessions(idleMinutes);
  sessions.seed(ADMIN_SESSION, 'admin', 'hall-admin');
  sessions.seed(TECH_SESSION, 'tech', 'technician');
  return sessions;
}

/** Seeds the two test sessions again (after a test logged one out). */
export function reseedSessions(app: FastifyInstance): void {
  app.console.sessions.seed(ADMIN_SESSION, 'admin', 'hall-admin');
  app.console.sessions.seed(TECH_SESSION, 'tech', 'technician');
}

/**
 * Logs in to a daemon's console (POST /api/v1/console/login) and returns the headers of that
 * session: the cookie, and the daemon's own Origin for requests that change something.
 */
export async function consoleLogin(baseUrl: string, user = 'admin', password = 'dev-admin-password-0001'): Promise<{ cookie: string; origin: string }> {
  const origin = new URL(baseUrl).origin;
  const res = await fetch(`${baseUrl}/api/v1/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ user, password }),
  });
  if (res.status !== 200) throw new Error(`console login ${user}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, origin };
}

export interface TestServer {
  app: FastifyInstance;
  kiosk: Kiosk;
  clock: ReturnType<typeof fakeClock>;
  /** Statements on the hall's store (SQLite or PostgreSQL), for what the API does not show. */
  query: HallQuery;
  /** The hall store's database on PostgreSQL; null on SQLite (the kiosk's own file, `kiosk.db`). */
  storeUrl: string | null;
  close(): Promise<void>;
}

/**
 * An in-process daemon (Fastify app + kiosk) on a fresh store. With KIOSK_TEST_STORE=postgres
 * (vitest.config.ts, project `postgres`) the hall's store is a fresh database on the test run's
 * PostgreSQL server, as a daemon with `storage.engine: postgres` has; otherwise the kiosk's SQLite
 * file holds everything, as before.
 */
export async function makeServer(
  overlay: unknown = {},
  options: BuildServerOptions = {},
  { clock = fakeClock() }: { clock?: ReturnType<typeof fakeClock> } = {},
): Promise<TestServer> {
  const store = process.env.KIOSK_TEST_STORE === 'postgres' ? await hallStoreForTest(clock) : null;
  const hallStore = store ? await store.open() : undefined;
  const kiosk = createKiosk(loadConfig({ overlay }), { clock, dbPath: tempDbPath(), ...(hallStore ? { hallStore } : {}) });
  try {
    await kiosk.open();
  } catch (err) {
    await kiosk.close();
    throw err;
  }
  const app = await buildServer(kiosk, { consoleSessions: seededSessions(kiosk.config.api.sessionIdleMinutes), ...options });
  await app.ready();
  return {
    app,
    kiosk,
    clock,
    storeUrl: store?.url ?? null,
    get query() {
      if (!kiosk.engine) throw new Error('makeServer: a terminal of a remote queue has no hall store of its own');
      return queryOf(kiosk.engine.unit.runner);
    },
    async close() {
      await app.close();
      // Closes the hall store too (createKiosk's hallStore).
      await kiosk.close();
    },
  };
}

/**
 * Makes the hall's store refuse writes the way a full disk ('full') or a read-only store
 * ('read-only') does, until the returned undo is called. SQLite: the file may not grow
 * (max_page_count) or the connection is query_only, so SQLite itself answers SQLITE_FULL /
 * SQLITE_READONLY. PostgreSQL: the server answers with its own SQLSTATEs — 53100 disk_full when an
 * event row is appended (after the ticket row of the same transaction was written, so a half-done
 * issue would show), 25006 read_only_sql_transaction (what a standby answers) on any write — raised
 * by triggers the superuser adds to the hall's database.
 */
export async function breakStore(s: TestServer, kind: 'full' | 'read-only'): Promise<() => Promise<void>> {
  if (!s.storeUrl) {
    const db = s.kiosk.db;
    if (kind === 'read-only') {
      db.pragma('query_only = 1');
      return async () => void db.pragma('query_only = 0');
    }
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    return async () => void db.pragma('max_page_count = 1073741823');
  }
  const client = new pg.Client({ connectionString: s.storeUrl });
  await client.connect();
  const [code, message] =
    kind === 'full'
      ? ['disk_full', 'could not extend file: No space left on device']
      : ['read_only_sql_transaction', 'cannot execute in a read-only transaction'];
  const tables =
    kind === 'full'
      ? ['events']
      : (await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.tablename);
  await client.query(
    `CREATE FUNCTION test_refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = '${code}'; END $$`,
  );
  for (const t of tables) {
    await client.query(
      `CREATE TRIGGER test_refuse_write BEFORE ${kind === 'full' ? 'INSERT' : 'INSERT OR UPDATE OR DELETE'} ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_write()`,
    );
  }
  return async () => {
    await client.query('DROP FUNCTION test_refuse_write() CASCADE');
    await client.end();
  };
}
