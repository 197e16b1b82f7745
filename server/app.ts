import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Kiosk } from '../kiosk/compose.ts';
import { identify } from './auth.ts';
import { errorHandler } from './error-handler.ts';
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
import { displayRoutes } from './routes/display.ts';
import { alertRoutes } from './routes/alerts.ts';
import { counterWorkstationRoutes } from './routes/counter-workstation.ts';
import { uiRoutes } from './ui.ts';

export interface BuildServerOptions {
  /** A pino logger (the daemon's); tests leave it out and get no logging. */
  logger?: FastifyServerOptions['loggerInstance'];
  /** Extra route plugins (the citizen UI, devices, guides...), registered after the core API. */
  plugins?: ((app: FastifyInstance, kiosk: Kiosk) => Promise<void>)[];
}

/** Builds the HTTP adapter around a Kiosk without listening, so tests can use `inject`. */
export async function buildServer(kiosk: Kiosk, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // The hall server polls all day: one line per request would bury what matters. Requests are
    // logged at debug level; server errors and slow requests at warn (see the onResponse hook).
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: kiosk.config.api.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  app.decorateRequest('caller', null as never);
  app.addHook('onRequest', async (request) => {
    request.caller = identify(kiosk.config, request);
  });
  app.addHook('onResponse', async (request, reply) => {
    const ms = reply.elapsedTime;
    // The route pattern, not the URL: query strings never reach the log.
    const entry = { method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode, ms: Math.round(ms) };
    if (reply.statusCode >= 500 || ms > 1_000) request.log.warn(entry, 'request');
    else request.log.debug(entry, 'request');
  });
  app.setErrorHandler(errorHandler);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  await app.register(rateLimit, {
    max: kiosk.config.api.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.headers.authorization ?? request.ip,
    // Thrown as an error and shaped by the common error handler like every other error reply.
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error('请求过于频繁，请稍后再试'), { statusCode: context.statusCode, code: 'RATE_LIMITED' }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'hall-kiosk API (医保大厅自助终端)', version: '1.0.0', description: 'Queue, counters, devices and the citizen kiosk.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'hall-server, counter or terminal token' },
          admin: { type: 'http', scheme: 'basic' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(
    async (api) => {
      await queueRoutes(api, kiosk);
      await assistanceRoutes(api, kiosk);
      await eventRoutes(api, kiosk);
      await counterRoutes(api, kiosk);
      await ticketRoutes(api, kiosk);
      await appointmentRoutes(api, kiosk);
      await terminalRoutes(api, kiosk);
      await deviceRoutes(api, kiosk);
      await kioskTicketRoutes(api, kiosk);
      await kioskGuideRoutes(api, kiosk);
      await kioskSessionRoutes(api, kiosk);
      await evaluationRoutes(api, kiosk);
      await displayRoutes(api, kiosk);
      await alertRoutes(api, kiosk);
      await counterWorkstationRoutes(api, kiosk);
    },
    { prefix: '/api/v1' },
  );
  for (const plugin of options.plugins ?? []) await plugin(app, kiosk);
  await uiRoutes(app);
  return app;
}
