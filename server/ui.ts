import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const UI_DIR = fileURLToPath(new URL('../dist/ui/', import.meta.url));

/**
 * Serves the built Lit UI (`vite build` → dist/ui) at `/`. `npm start` builds it first; when it is
 * missing (API-only tests, a hall server) `/` says how to build it instead of failing.
 */
export async function uiRoutes(app: FastifyInstance): Promise<void> {
  if (!existsSync(UI_DIR)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('界面尚未构建：请运行 npm run build（npm start 会自动构建）。'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: UI_DIR, prefix: '/', index: ['index.html'], wildcard: false });
}
