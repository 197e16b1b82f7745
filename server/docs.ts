import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

/** What a route needs to be documented, as it was registered (the schemas are the live objects). */
type DocumentedRoute = Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config' | 'constraints'>;

/** Reply headers of the documentation app that the daemon's own reply sets for itself. */
const HOP_HEADERS = new Set(['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'date']);

/**
 * The OpenAPI document (/docs/json, /docs/yaml) and the swagger-ui page (/docs), made on the first
 * request instead of at start-up. @fastify/swagger, swagger-ui and yaml are
 * ~100 modules, a fifth of the start-up CPU profile (issue 11), and a kiosk's docs are read by a
 * technician now and then, not at every start.
 *
 * At start-up only the routes are noted (an onRoute hook, as @fastify/swagger's own, so it sees
 * every route registered after this call). The first /docs request builds a second Fastify
 * instance that never listens, with the same swagger and swagger-ui options, the daemon's shared
 * schemas and every noted route (no validators, no handlers that run), and answers /docs/* from
 * it with `inject`: the same document, page, files and headers as with the plugins on the daemon
 * itself. The daemon's own hooks (credentials for /docs, security headers, the request log) run
 * first, as for any route; a path the documentation does not have is the daemon's own 404.
 *
 * Call it on the root instance before the routes are registered.
 */
export function lazyDocs(
  app: FastifyInstance,
  options: { swagger: FastifyDynamicSwaggerOptions; ui: FastifySwaggerUiOptions & { routePrefix: string } },
): void {
  const routes: DocumentedRoute[] = [];
  const prefix = options.ui.routePrefix;
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url === prefix || route.url.startsWith(`${prefix}/`)) return; // swagger-ui's own routes come with it
    routes.push({
      method: route.method,
      url: route.url,
      schema: route.schema,
      config: route.config,
      ...(route.constraints ? { constraints: route.constraints } : {}),
    });
  });

  let docs: Promise<FastifyInstance> | undefined;
  const build = async (): Promise<FastifyInstance> => {
    const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('fastify'),
      import('@fastify/swagger'),
      import('@fastify/swagger-ui'),
    ]);
    // HEAD twins of GET routes were noted too: the copy takes them as noted instead of adding its own.
    const copy = Fastify({ logger: false, exposeHeadRoutes: false });
    copy.setValidatorCompiler(() => () => true);
    copy.setSerializerCompiler(() => (data) => JSON.stringify(data));
    for (const schema of Object.values(app.getSchemas())) copy.addSchema(schema);
    await copy.register(swagger, options.swagger);
    await copy.register(swaggerUi, options.ui);
    const unused = async () => undefined;
    for (const route of routes) copy.route({ ...route, handler: unused });
    await copy.ready();
    return copy;
  };

  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    docs ??= build().catch((err: unknown) => {
      docs = undefined; // a later request tries again
      throw err;
    });
    // GET for HEAD too: the daemon's own HEAD handling drops the body.
    const res = await (
      await docs
    ).inject({
      method: 'GET',
      url: request.url,
      headers: { ...request.headers, host: request.headers.host ?? 'localhost' },
    });
    if (res.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name.toLowerCase())) reply.header(name, value);
    }
    reply.code(res.statusCode);
    return res.rawPayload.length ? reply.send(res.rawPayload) : reply.send();
  };
  const hidden = { schema: { hide: true } };
  app.get(prefix, hidden, answer);
  app.get(`${prefix}/*`, hidden, answer);
}
