import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUiOnce, DIST_UI } from '../helpers/browser.ts';
import { packagesLoadedAround } from '../helpers/loaded-packages.ts';
import { makeServer, type TestServer } from '../helpers/server.ts';

/**
 * The built UI as the daemon serves it (server/ui.ts): one route per file of dist/ui, sent by
 * @fastify/send, which is imported on the first page request and not at start-up.
 */
let s: TestServer;

beforeAll(async () => {
  await buildUiOnce();
  s = await makeServer();
}, 180_000);

afterAll(() => s.close());

describe('the built UI', () => {
  it('serves index.html at / and by name, with the security headers and a validator', async () => {
    const root = await s.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toMatch(/^text\/html/);
    expect(root.body).toContain('<kiosk-app');
    expect(String(root.headers['content-security-policy'])).toMatch(/default-src 'self'/);
    expect(root.headers.etag).toBeTruthy();
    expect((await s.app.inject({ method: 'GET', url: '/index.html' })).body).toBe(root.body);
    const head = await s.app.inject({ method: 'HEAD', url: '/console.html' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers a conditional GET of an asset with 304', async () => {
    const asset = readdirSync(`${DIST_UI}/assets`).find((f) => f.endsWith('.js'))!;
    const first = await s.app.inject({ method: 'GET', url: `/assets/${asset}` });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/javascript/);
    const again = await s.app.inject({ method: 'GET', url: `/assets/${asset}`, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('answers any other path with the API 404, traversal included', async () => {
    for (const url of ['/no-such-page.html', '/assets/no-such.js', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const r = await s.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code, url).toBe('NOT_FOUND');
    }
  });

  it('loads @fastify/send on the first page request, and @fastify/static never', () => {
    const { before, status, after } = packagesLoadedAround(['@fastify/send/', '@fastify/static/'], '/');
    expect(before).toEqual([]);
    expect(status).toBe(200);
    expect(after).toEqual(['@fastify/send/']);
  }, 120_000);
});
