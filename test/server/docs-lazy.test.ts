import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagesLoadedAround } from '../helpers/loaded-packages.ts';
import { makeServer, type TestServer } from '../helpers/server.ts';

/**
 * /docs and the OpenAPI document are made on their first request (server/docs.ts), not at
 * start-up: the daemon does not load @fastify/swagger, swagger-ui or yaml to
 * start, and the document still lists every route, registered before or after.
 */
let s: TestServer;

beforeAll(async () => {
  s = await makeServer(
    {},
    {
      plugins: [
        async (app) => {
          app.get(
            '/api/v1/docs-lazy-probe',
            { config: { auth: { allow: [], public: true } }, schema: { summary: 'probe', response: { 200: Type.Object({ probe: Type.Literal(true) }) } } },
            async () => ({ probe: true as const }),
          );
        },
      ],
    },
  );
});

afterAll(() => s.close());

describe('/docs made on first use', () => {
  it('does not load the documentation packages to start, and loads them for /docs/json', () => {
    const { before, status, after } = packagesLoadedAround(['@fastify/swagger/', '@fastify/swagger-ui/', '/yaml/'], '/docs/json');
    expect(before).toEqual([]);
    expect(status).toBe(200);
    expect(after).toEqual(['@fastify/swagger/', '@fastify/swagger-ui/', '/yaml/']);
  }, 120_000);

  it('documents routes registered after it, with their schemas, and not the /docs routes themselves', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/api/v1/docs-lazy-probe'].get).toMatchObject({
      summary: 'probe',
      responses: { 200: { content: { 'application/json': { schema: { properties: { probe: { type: 'boolean' } } } } } } },
    });
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/docs'))).toEqual([]);
    expect(doc.components.securitySchemes).toHaveProperty('console');
  });

  it('serves the page, its files, YAML and HEAD; an unknown /docs path is the daemon own 404', async () => {
    const page = await s.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(String(page.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
    expect((await s.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/docs/yaml' })).body).toMatch(/^openapi: 3/);
    const head = await s.app.inject({ method: 'HEAD', url: '/docs/json' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    const missing = await s.app.inject({ method: 'GET', url: '/docs/no-such-file' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });
});
