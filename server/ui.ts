import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PRODUCT_FONTS, type ProductFontName } from '../drivers/common/fonts.ts';

export const UI_DIR = fileURLToPath(new URL('../dist/ui/', import.meta.url));

/** The built UI's files, relative to UI_DIR with `/` separators (dotfiles left out). */
function uiFiles(dir = UI_DIR, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e) => (e.isDirectory() ? uiFiles(`${dir}${e.name}/`, `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

const loadSend = () => import('@fastify/send');
let send: ReturnType<typeof loadSend> | undefined;

/**
 * Serves the built Lit UI (`vite build` → dist/ui) at `/`. `npm start` builds it first; when it is
 * missing (API-only tests, a hall server) `/` says how to build it instead of failing.
 *
 * One route per file of dist/ui (and `/` for index.html), listed when the server is built, so
 * any other path is the API's 404. The files are sent by @fastify/send (ranges, ETag and
 * Last-Modified, conditional GET), the library @fastify/static is made of; it is imported on the
 * first page request rather than at start-up, and @fastify/static itself (with the glob it lists
 * the directory with) is not loaded at all: together ~50 ms of every start (issue 11).
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
  for (const file of uiFiles()) {
    const path = `/${file.split('/').map(encodeURIComponent).join('/')}`;
    const serve = async (req: FastifyRequest, reply: FastifyReply) => {
      const { default: sendFile } = await (send ??= loadSend());
      const { statusCode, headers, stream } = await sendFile(req.raw, path, { root: UI_DIR });
      return reply.code(statusCode).headers(headers).send(stream);
    };
    app.get(path, { schema: { hide: true } }, serve);
    if (file === 'index.html') app.get('/', { schema: { hide: true } }, serve);
  }
}
