import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUiOnce, DIST_UI } from '../helpers/browser.ts';
import { makeServer, type TestServer } from '../helpers/server.ts';

/**
 * The built UI as the daemon serves it (server/ui.ts): one route per file of dist/ui, sent by
 * @fastify/send, which is imported on the first page request and not at start-up.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
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
    // A process of its own: the test worker may have loaded either for another file.
    const script = `
      const { makeServer } = await import('./test/helpers/server.ts');
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => ['@fastify/send/', '@fastify/static/'].filter((p) => Object.keys(cache).some((f) => f.includes('/node_modules/' + p)));
      const s = await makeServer();
      const before = loaded();
      const status = (await s.app.inject({ method: 'GET', url: '/' })).statusCode;
      const after = loaded();
      await s.close();
      process.stdout.write(JSON.stringify({ before, status, after }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const { before, status, after } = JSON.parse(out.slice(out.indexOf('{'))) as { before: string[]; status: number; after: string[] };
    expect(before).toEqual([]);
    expect(status).toBe(200);
    expect(after).toEqual(['@fastify/send/']);
  }, 120_000);
});
