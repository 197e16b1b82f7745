import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ConsoleAudit } from '../../kiosk/console/audit.ts';
import type { LogRing } from '../../kiosk/console/log-ring.ts';
import { operationsSnapshot } from '../../kiosk/console/operations.ts';
import { verifyPassword } from '../../kiosk/console/passwords.ts';
import { checkPatch, withoutSecrets } from '../../kiosk/console/site-config.ts';
import { versionDiff, lastRollback, readSite, writeSitePatch } from '../../kiosk/console/site-file.ts';
import { developmentSecretsInUse } from '../../config/load.ts';
import type { Kiosk } from '../../kiosk/compose.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { ACCOUNT_FREE_FAILURES, allowedHostNames, auth, checkSameOrigin, FailedAttempts, PUBLIC, SecretTable } from '../plugins/auth.ts';
import { ConsoleSessions, SESSION_COOKIE, SESSION_PATH, type ConsoleRole } from '../plugins/console-sessions.ts';
import { errors, IdSchema, Int, replies, Text } from '../schemas.ts';
import { AuditEntrySchema, ConsoleSessionSchema, OperationsSchema } from '../schemas/console.ts';

/** What the console routes and the auth plugin share: sessions, failed-attempt counters, the audit trail. */
export interface ConsoleState {
  readonly sessions: ConsoleSessions;
  /** Failed authentications per client address (tokens and passwords alike). */
  readonly attempts: FailedAttempts;
  /** Wrong passwords per console account. */
  readonly accountAttempts: FailedAttempts;
  readonly audit: ConsoleAudit;
  readonly siteFile: string | undefined;
  readonly requestRestart: (() => void) | undefined;
  /** The daemon's last log records (kiosk/console/log-ring.ts); null when none is kept. */
  readonly logRing: LogRing | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    console: ConsoleState;
  }
  interface FastifyRequest {
    /** What a console handler changed (ids, counts, versions; never personal data), added to its audit row. */
    auditDetails?: Record<string, unknown>;
  }
}

export interface ConsolePluginOptions {
  kiosk: Kiosk;
  siteFile?: string | undefined;
  requestRestart?: (() => void) | undefined;
  logRing?: LogRing | undefined;
  /** Tests pass a store with a seeded session (test/helpers/server.ts). */
  sessions?: ConsoleSessions | undefined;
}

/** Paths whose audit rows the handlers write themselves (with the account name of the attempt). */
const SELF_AUDITED = new Set(['/api/v1/console/login', '/api/v1/console/logout']);

/**
 * The console's shared state, and the audit hook: every request a console session makes that is
 * not a read (any method but GET/HEAD/OPTIONS) leaves a row — who, when, which route with which
 * parameters, and the status (whether it was refused). Bodies are never stored.
 */
export const consolePlugin = fp(
  async (app: FastifyInstance, { kiosk, sessions, siteFile, requestRestart, logRing }: ConsolePluginOptions) => {
    const state: ConsoleState = {
      sessions: sessions ?? new ConsoleSessions(kiosk.config.api.sessionIdleMinutes),
      attempts: new FailedAttempts(),
      accountAttempts: new FailedAttempts(undefined, ACCOUNT_FREE_FAILURES),
      audit: new ConsoleAudit(kiosk.db, kiosk.clock),
      siteFile,
      requestRestart,
      logRing: logRing ?? null,
    };
    app.decorate('console', state);
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const c = request.caller;
      if (!c || (c.kind !== 'admin' && c.kind !== 'technician')) return;
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
      const route = request.routeOptions.url ?? '';
      if (SELF_AUDITED.has(route)) return;
      const path = request.url.split('?')[0] ?? '';
      state.audit.record({
        user: c.user,
        role: c.kind === 'admin' ? 'hall-admin' : 'technician',
        action: request.method,
        target: `${request.method} ${path}`,
        status: reply.statusCode,
        details: { route, params: (request.params ?? {}) as Record<string, unknown>, ...request.auditDetails },
      });
    });
  },
  { name: 'hall-kiosk-console', fastify: '5.x' },
);

/** At most this many password checks (scrypt, ~32 MiB and ~0.1 s each) run at once. */
const MAX_CONCURRENT_LOGINS = 4;

export const consoleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.kiosk;
  /** The configuration running now: the boot's, with devices as 设备设置 last applied them live. */
  const running = () => app.kiosk.devices.config;
  const state = app.console;
  const hosts = allowedHostNames(config);
  // Account names are found in constant time, and a password is always checked (against a dummy
  // hash for an unknown name), so neither a wrong name nor a wrong password answers sooner.
  const names = new SecretTable(config.api.accounts.map((a, i) => [a.user, i] as const));
  let inFlight = 0;

  const cookieOptions = (request: FastifyRequest) =>
    ({ path: SESSION_PATH, httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' }) as const;

  const lockedFor = (request: FastifyRequest, account: string): number =>
    Math.max(state.attempts.lockedFor(request.ip), state.accountAttempts.lockedFor(account));

  app.post(
    '/console/login',
    {
      config: PUBLIC,
      schema: {
        tags: ['console'],
        summary: '维护台登录: sets the HttpOnly, SameSite=Strict session cookie (JSON body; Origin must be this daemon)',
        body: Type.Object({ user: Text(32, { minLength: 1 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
        response: replies({ 200: ConsoleSessionSchema, ...errors(400, 401, 403, 429) }),
      },
    },
    async (request, reply) => {
      checkSameOrigin(request, hosts);
      const { user, password } = request.body;
      const account = user.trim().toLowerCase();
      const wait = lockedFor(request, account);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        throw new KioskError('AUTH_LOCKED', { retryAfterSeconds: Math.ceil(wait / 1000) });
      }
      if (inFlight >= MAX_CONCURRENT_LOGINS) {
        reply.header('retry-after', '1');
        throw new KioskError('RATE_LIMITED');
      }
      const index = names.find(user.trim());
      const found = index === undefined ? undefined : config.api.accounts[index];
      inFlight++;
      let ok: boolean;
      try {
        // An unknown name costs the same scrypt work as a known one: the first account's hash (same
        // parameters) is checked, and the answer is false whatever it says.
        ok = (await verifyPassword(password, found?.passwordHash ?? config.api.accounts[0]!.passwordHash)) && found !== undefined;
      } finally {
        inFlight--;
      }
      if (!ok || !found) {
        state.attempts.fail(request.ip);
        state.accountAttempts.fail(account);
        state.audit.record({
          user: user.trim(),
          role: found?.role ?? '',
          action: 'login-failed',
          target: 'POST /api/v1/console/login',
          status: 401,
          details: { known: found !== undefined },
        });
        throw new KioskError('AUTH_LOGIN_FAILED');
      }
      state.attempts.succeed(request.ip);
      state.accountAttempts.succeed(account);
      const role: ConsoleRole = found.role;
      const id = state.sessions.create(found.user, role);
      reply.setCookie(SESSION_COOKIE, id, cookieOptions(request));
      state.audit.record({ user: found.user, role, action: 'login', target: 'POST /api/v1/console/login', status: 200, details: {} });
      return { user: found.user, role, expiresInSeconds: config.api.sessionIdleMinutes * 60 };
    },
  );

  const anyConsole = auth('admin', 'technician');

  app.post(
    '/console/logout',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '维护台退出 (ends the session on the daemon and clears the cookie)',
        response: replies({ 200: Type.Object({ ok: Type.Boolean() }), ...errors(401, 403) }),
      },
    },
    async (request, reply) => {
      const c = request.caller;
      if (c.kind !== 'admin' && c.kind !== 'technician') throw new KioskError('AUTH_FORBIDDEN');
      state.sessions.end(c.session);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      state.audit.record({
        user: c.user,
        role: c.kind === 'admin' ? 'hall-admin' : 'technician',
        action: 'logout',
        target: 'POST /api/v1/console/logout',
        status: 200,
        details: {},
      });
      return { ok: true };
    },
  );

  app.get(
    '/console/session',
    {
      config: anyConsole,
      schema: { tags: ['console'], summary: '当前登录的维护台账户与角色', response: replies({ 200: ConsoleSessionSchema, ...errors(401, 403) }) },
    },
    async (request) => {
      const c = request.caller;
      if (c.kind !== 'admin' && c.kind !== 'technician') throw new KioskError('AUTH_FORBIDDEN');
      const s = state.sessions.get(c.session, false);
      if (!s) throw new KioskError('AUTH_SESSION_EXPIRED');
      return { user: s.user, role: s.role, expiresInSeconds: state.sessions.remainingSeconds(s) };
    },
  );

  app.get(
    '/console/operations',
    {
      config: anyConsole,
      schema: {
        tags: ['console'],
        summary: '运行状态：版本、运行时长、时钟与时区、磁盘与数据库大小、未打印号票（技术人员可见，无个人信息）',
        response: replies({
          200: OperationsSchema,
          ...errors(401, 403),
        }),
      },
    },
    async () => operationsSnapshot(app.kiosk),
  );

  app.get(
    '/console/audit',
    {
      config: auth('admin'),
      schema: {
        tags: ['console'],
        summary: '维护台审计记录 (who, when, what; newest first; hall-admin only)',
        querystring: Type.Object({ limit: Type.Optional(Int(1, 500)), before: Type.Optional(IdSchema) }, { additionalProperties: false }),
        response: replies({ 200: Type.Object({ entries: Type.Array(AuditEntrySchema) }), ...errors(400, 401, 403) }),
      },
    },
    async (request) => ({ entries: state.audit.list(request.query.limit ?? 200, request.query.before) }),
  );

  const hallAdmin = auth('admin');
  const ConfigView = Type.Object({
    config: Type.Record(Type.String(), Type.Unknown()),
    hidden: Type.Array(Type.String(), { description: 'the secrets left out (their paths)' }),
    developmentSecrets: Type.Array(Type.String(), { description: 'secrets still at a published development value' }),
    siteFile: Type.Union([Type.String(), Type.Null()]),
    lastRollback: Type.Union([Type.Object({ at: Type.Integer(), reason: Type.String() }), Type.Null()], {
      description: 'the last automatic rollback of a change that did not start',
    }),
  });

  app.get(
    '/console/config',
    {
      config: hallAdmin,
      schema: { tags: ['console'], summary: '运行中的站点配置（不含密钥）与仍在使用的开发用密钥', response: replies({ 200: ConfigView, ...errors(401, 403) }) },
    },
    async () => {
      const { config: view, hidden } = withoutSecrets(running());
      return {
        config: view,
        hidden,
        developmentSecrets: developmentSecretsInUse(running()),
        siteFile: state.siteFile ?? null,
        lastRollback: lastRollback(state.siteFile),
      };
    },
  );

  app.get(
    '/console/config/export',
    { config: hallAdmin, schema: { tags: ['console'], summary: '导出站点配置 JSON（不含密钥）', response: replies({ ...errors(401, 403) }) } },
    async (_request, reply) => {
      reply.header('content-disposition', `attachment; filename="hall-kiosk-${running().hall.code}-config.json"`);
      reply.type('application/json; charset=utf-8');
      return `${JSON.stringify(withoutSecrets(running()).config, null, 2)}\n`;
    },
  );

  app.post(
    '/console/config/check',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '检查一项配置修改：与启动时相同的校验，每个问题用中文指出配置项 (nothing is written)',
        body: Type.Object(
          { patch: Type.Unknown({ description: 'laid over the running configuration: objects merge key by key, arrays replace' }) },
          { additionalProperties: false },
        ),
        response: replies({
          200: Type.Object({ ok: Type.Boolean(), problems: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })) }),
          ...errors(400, 401, 403),
        }),
      },
    },
    async (request) => {
      const problems = checkPatch(running(), request.body.patch);
      return { ok: problems.length === 0, problems };
    },
  );

  const CheckReply = Type.Object({
    ok: Type.Boolean(),
    problems: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    version: Type.Optional(Type.Integer()),
    restarting: Type.Optional(Type.Boolean()),
  });

  app.post(
    '/console/config/apply',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '应用配置修改：校验后原子写入站点配置文件、记录版本，并平滑重启；新配置无法启动时自动恢复上一版本',
        body: Type.Object({ patch: Type.Unknown() }, { additionalProperties: false }),
        response: replies({ 200: CheckReply, ...errors(400, 401, 403, 409) }),
      },
    },
    async (request, reply) => {
      const c = request.caller;
      if (c.kind !== 'admin') throw new KioskError('AUTH_FORBIDDEN');
      const file = state.siteFile;
      if (!file) throw new KioskError('REQUEST_INVALID', { reason: 'no-site-file' }, '本机未使用站点配置文件（--config / KIOSK_CONFIG），无法从维护台修改配置');
      const problems = checkPatch(running(), request.body.patch);
      if (problems.length) return { ok: false, problems };
      const before = readSite(file);
      const written = writeSitePatch(file, request.body.patch, { at: app.kiosk.clock(), user: c.user });
      const diff = versionDiff(before, JSON.parse(written.after) as unknown);
      const version = state.audit.recordConfigVersion(c.user, diff);
      const restart = state.requestRestart;
      if (restart) reply.raw.once('finish', () => setTimeout(restart, 50));
      return { ok: true, problems: [], version, restarting: restart !== undefined };
    },
  );

  app.get(
    '/console/config/versions',
    {
      config: hallAdmin,
      schema: {
        tags: ['console'],
        summary: '站点配置的修改历史（谁、何时、改了什么；密钥已隐藏）',
        response: replies({
          200: Type.Object({
            versions: Type.Array(Type.Object({ id: Type.Integer(), at: Type.Integer(), user: Type.String(), diff: Type.Array(Type.Unknown()) })),
          }),
          ...errors(401, 403),
        }),
      },
    },
    async () => ({ versions: state.audit.configVersions() }),
  );
};
