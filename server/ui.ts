import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PRODUCT_FONTS, type ProductFontName } from '../drivers/common/fonts.ts';

export const UI_DIR = fileURLToPath(new URL('../dist/ui/', import.meta.url));

/**
 * Serves the built Lit UI (`vite build` → dist/ui) at `/`. `npm start` builds it first; when it is
 * missing (API-only tests, a hall server) `/` says how to build it instead of failing.
 */
export async function uiRoutes(app: FastifyInstance): Promise<void> {
  // The UI's own font (drivers/common/fonts.ts): whole TTFs, cached for a year (the file names
  // change with the font, so they are immutable); see ui/styles.ts for the @font-face.
  app.get<{ Params: { name: string } }>('/fonts/:name', { schema: { hide: true } }, async (req, reply) => {
    const file = Object.hasOwn(PRODUCT_FONTS, req.params.name) ? PRODUCT_FONTS[req.params.name as ProductFontName] : null;
    if (!file) return reply.callNotFound();
    return reply.type('font/ttf').header('cache-control', 'public, max-age=31536000, immutable').send(createReadStream(file));
  });
  if (!existsSync(UI_DIR)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('界面尚未构建：请运行 npm run build（npm start 会自动构建）。'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: UI_DIR, prefix: '/', index: ['index.html'], wildcard: false });
}
