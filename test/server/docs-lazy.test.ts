import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServer, type TestServer } from '../helpers/server.ts';

/**
 * /docs and the OpenAPI document are made on their first request (server/docs.ts), not at
 * start-up: the daemon does not load @fastify/swagger, swagger-ui or yaml to
 * start, and the document still lists every route, registered before or after.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
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
    // A process of its own: the test worker may have loaded swagger for another file.
    const script = `
      const { makeServer } = await import('./test/helpers/server.ts');
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => ['@fastify/swagger/', '@fastify/swagger-ui/', '/yaml/'].filter((p) => Object.keys(cache).some((f) => f.includes('/node_modules/' + p.replace(/^\\//, ''))));
      const s = await makeServer();
      const before = loaded();
      const status = (await s.app.inject({ method: 'GET', url: '/docs/json' })).statusCode;
      const after = loaded();
      await s.close();
      process.stdout.write(JSON.stringify({ before, status, after }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const { before, status, after } = JSON.parse(out.slice(out.indexOf('{'))) as { before: string[]; status: number; after: string[] };
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
