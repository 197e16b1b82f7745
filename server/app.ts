import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kiosk } from '../kiosk/compose.ts';
import { envelope, clientErrorHandler, errorHandler, frameworkErrorHandler, notFoundHandler } from './error-handler.ts';
import authPlugin from './plugins/auth.ts';
import kioskPlugin from './plugins/kiosk.ts';
import schemaPolicy, { lazySerializers } from './plugins/schema-policy.ts';
import security from './plugins/security.ts';
import { SHARED_SCHEMAS } from './schemas.ts';
import { assistanceRoutes, queueRoutes } from './routes/queue.ts';
import { eventRoutes } from './routes/events.ts';
import { counterRoutes } from './routes/counters.ts';
import { ticketRoutes } from './routes/tickets.ts';
import { appointmentRoutes } from './routes/appointments.ts';
import { terminalRoutes } from './routes/terminal.ts';
import { deviceRoutes } from './routes/devices.ts';
import { kioskGuideRoutes } from './routes/kiosk-guides.ts';
import { kioskSessionRoutes } from './routes/kiosk-session.ts';
import { kioskTicketRoutes } from './routes/kiosk-tickets.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import calendarRoutes from './routes/calendar.ts';
import { displayRoutes } from './routes/display.ts';
import { kioskCertificateRoutes, restContractOpenApi } from './routes/kiosk-certificates.ts';
import { verifyPageRoutes, verifyRoutes } from './routes/verify.ts';
import { alertRoutes } from './routes/alerts.ts';
import { counterWorkstationRoutes } from './routes/counter-workstation.ts';
import { consolePlugin, consoleRoutes } from './routes/console.ts';
import { consoleOpsRoutes } from './routes/console-ops.ts';
import { consoleDeviceRoutes } from './routes/console-devices.ts';
import { consoleHallRoutes } from './routes/console-hall.ts';
import { consoleGuideRoutes } from './routes/console-guides.ts';
import { consoleConfigImportRoutes } from './routes/console-config-import.ts';
import type { LogRing } from '../kiosk/console/log-ring.ts';
import type { ConsoleSessions } from './plugins/console-sessions.ts';
import { uiRoutes } from './ui.ts';
import { lazyDocs } from './docs.ts';

export interface BuildServerOptions {
  /** A pino logger (the daemon's); tests leave it out and get no logging. */
  logger?: FastifyServerOptions['loggerInstance'];
  /** Extra route plugins (the citizen UI, devices, guides...), registered after the core API. */
  plugins?: ((app: FastifyInstance, kiosk: Kiosk) => Promise<void>)[];
  /** Serve HTTPS with this key and certificate (api.tls, read by server/tls.ts); plain HTTP without. */
  https?: { readonly key: Buffer; readonly cert: Buffer } | null;
  /** The console session store (tests seed one; the daemon gets a fresh one). */
  consoleSessions?: ConsoleSessions;
  /** The site file the console may change (none: the console can check changes but not apply them). */
  siteFile?: string | undefined;
  /** Graceful restart with the new site file (the daemon: stop, exit RESTART_EXIT_CODE; systemd restarts it). */
  requestRestart?: () => void;
  /** The daemon's log ring (kiosk/main.ts tees pino into it) for the console's log tail and diagnostics. */
  logRing?: LogRing;
}

/** The route plugins of /api/v1, each registered with its prefix; they reach the kiosk as `app.kiosk`. */
const API_ROUTES = [
  queueRoutes,
  assistanceRoutes,
  eventRoutes,
  counterRoutes,
  ticketRoutes,
  appointmentRoutes,
  terminalRoutes,
  deviceRoutes,
  kioskTicketRoutes,
  kioskGuideRoutes,
  kioskSessionRoutes,
  evaluationRoutes,
  calendarRoutes,
  displayRoutes,
  kioskCertificateRoutes,
  verifyRoutes,
  alertRoutes,
  counterWorkstationRoutes,
  consoleRoutes,
  consoleOpsRoutes,
  consoleDeviceRoutes,
  consoleHallRoutes,
  consoleGuideRoutes,
  consoleConfigImportRoutes,
];

/** Request limits: a slow or stuck client cannot hold a connection or a request forever. */
export const TIMEOUTS = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000, idleSocketMs: 120_000 } as const;

/**
 * Builds the HTTP adapter around a Kiosk without listening, so tests can use `inject`. The kiosk
 * is closed with the server (onClose).
 */
export async function buildServer(kiosk: Kiosk, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  // HTTPS changes only the socket: Fastify's typings model it as another server type, but every
  // route, hook and inject() is the same, so the instance keeps the HTTP typing.
  const https: object = options.https ? { https: { key: options.https.key, cert: options.https.cert } } : {};
  const app = Fastify({
    ...https,
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // The hall server polls all day: one line per request would bury what matters. Requests are
    // logged at debug level; server errors and slow requests at warn (see the onResponse hook).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: kiosk.config.api.trustProxy,
    requestTimeout: TIMEOUTS.requestMs,
    keepAliveTimeout: TIMEOUTS.keepAliveMs,
    connectionTimeout: TIMEOUTS.idleSocketMs,
    bodyLimit: 256 * 1024,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.server.headersTimeout = TIMEOUTS.headersMs;

  app.addHook('onResponse', async (request, reply) => {
    const ms = reply.elapsedTime;
    // The route pattern, not the URL: query strings never reach the log.
    const entry = { method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode, ms: Math.round(ms) };
    if (reply.statusCode >= 500 || ms > 1_000) request.log.warn(entry, 'request');
    else request.log.debug(entry, 'request');
  });
  // JSON bodies only: a cross-site form or text/plain "simple request" cannot reach a handler.
  app.removeContentTypeParser(['text/plain']);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  await app.register(kioskPlugin, { kiosk });
  await app.register(security, { maxConnectionsPerAddress: kiosk.config.api.maxConnectionsPerAddress });
  await app.register(rateLimit, {
    max: kiosk.config.api.rateLimitPerMinute,
    timeWindow: 60_000,
    // By client address: a new Authorization value is not a new bucket.
    keyGenerator: (request) => request.ip,
    // Thrown as an error and shaped by the common error handler like every other error reply.
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(envelope('RATE_LIMITED').error.message), { statusCode: context.statusCode, code: 'RATE_LIMITED' }),
  });
  await app.register(cookie);
  await app.register(consolePlugin, {
    kiosk,
    sessions: options.consoleSessions,
    siteFile: options.siteFile,
    requestRestart: options.requestRestart,
    logRing: options.logRing,
  });
  await app.register(authPlugin, { config: kiosk.config, sessions: app.console.sessions, attempts: app.console.attempts });
  await app.register(schemaPolicy);
  const restContract = restContractOpenApi();
  // /docs and the OpenAPI document are made on their first request (server/docs.ts).
  lazyDocs(app, {
    swagger: {
      openapi: {
        tags: [restContract.tag],
        info: { title: 'hall-kiosk API (医保大厅自助终端)', version: '1.0.0', description: 'Queue, counters, devices and the citizen kiosk.' },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'hall-server, counter or terminal token' },
            console: { type: 'apiKey', in: 'cookie', name: 'hk_console', description: 'console session (POST /api/v1/console/login)' },
          },
          schemas: restContract.schemas as never,
        },
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}` },
    },
    ui: {
      routePrefix: '/docs',
      staticCSP: true,
      // swagger-ui's own policy, made as strict as the pages': no framing, no https upgrade on the LAN.
      transformStaticCSP: (header) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
    },
  });

  for (const routes of API_ROUTES) await app.register(routes, { prefix: '/api/v1' });
  for (const plugin of options.plugins ?? []) await plugin(app, kiosk);
  await uiRoutes(app);
  await verifyPageRoutes(app);
  return app;
}
