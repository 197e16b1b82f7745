import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../config/load.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { buildServer, type BuildServerOptions } from '../../server/app.ts';
import { ConsoleSessions } from '../../server/plugins/console-sessions.ts';
import { fakeClock, tempDbPath } from './engine.ts';

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
  close(): Promise<void>;
}

export async function makeServer(overlay: unknown = {}, options: BuildServerOptions = {}): Promise<TestServer> {
  const clock = fakeClock();
  const kiosk = createKiosk(loadConfig({ overlay }), { clock, dbPath: tempDbPath() });
  const app = await buildServer(kiosk, { consoleSessions: seededSessions(kiosk.config.api.sessionIdleMinutes), ...options });
  await app.ready();
  return {
    app,
    kiosk,
    clock,
    async close() {
      await app.close();
      await kiosk.close();
    },
  };
}
