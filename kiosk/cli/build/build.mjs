#!/usr/bin/env node
/**
 * `npm run build` / `npm start`: compiles the daemon and the `hall-kiosk` command to JavaScript
 * (esbuild, one ESM bundle per entry point in dist/server/) and builds the UI (vite → dist/ui/).
 *
 *   node kiosk/cli/build/build.mjs            build everything
 *   node kiosk/cli/build/build.mjs --if-stale build only what changed since the last build
 *
 * Plain JavaScript on purpose: `npm start` runs it on every start, with no TypeScript loader.
 *
 * Dependencies stay external (resolved from node_modules at run time: native modules, and the
 * same files the bare Fastify baseline loads). Source files find their data with
 * `new URL('../../config/guides/', import.meta.url)`; in a bundle every file would share the
 * bundle's URL, so each `import.meta.url` in our sources is rewritten to the URL its source file
 * had. Data files (config/defaults.json, config/guides/, dist/ui/) are thus read from the same
 * places as under tsx, in the repository and in the installed package alike.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = join(ROOT, 'dist/server');
export const ENTRIES = { main: 'kiosk/main.ts', cli: 'kiosk/cli/bin.ts' };
const META = join(OUT, 'meta.json');

/** Rewrites `import.meta.url` in our own sources to that source file's URL under the app root. */
const sourceUrlPlugin = {
  name: 'source-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      const rel = relative(ROOT, args.path).split('\\').join('/');
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      return { contents: text.replaceAll('import.meta.url', `__kioskSourceUrl(${JSON.stringify(rel)})`), loader: 'ts' };
    });
  },
};

// Bundles live in <root>/dist/server/ (shared chunks one level deeper): the app root is the
// directory that holds dist/server/.
const banner = [
  "const __kioskAppRoot = new URL(import.meta.url.slice(0, import.meta.url.lastIndexOf('/dist/server/') + 1));",
  'const __kioskSourceUrl = (p) => new URL(p, __kioskAppRoot).href;',
].join('\n');

export async function buildServer() {
  const { build } = await import('esbuild');
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    banner: { js: banner },
    plugins: [sourceUrlPlugin],
    logLevel: 'warning',
  });
  writeFileSync(META, JSON.stringify({ builtAt: Date.now(), inputs: Object.keys(result.metafile.inputs) }));
  writeFileSync(join(OUT, 'package.json'), '{"type":"module"}\n');
}

export async function buildUi() {
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

function newestMtime(path) {
  if (!existsSync(path)) return Infinity;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function serverStale() {
  if (!existsSync(META) || !existsSync(join(OUT, 'main.js')) || !existsSync(join(OUT, 'cli.js'))) return true;
  const meta = JSON.parse(readFileSync(META, 'utf8'));
  const inputs = [...meta.inputs, 'package.json', relative(ROOT, fileURLToPath(import.meta.url))];
  // A new source file changes a directory's mtime; the directories of known inputs catch it.
  const dirs = new Set(meta.inputs.map((p) => dirname(p)));
  return [...inputs, ...dirs].some((p) => newestMtimeShallow(join(ROOT, p)) > meta.builtAt);
}

function newestMtimeShallow(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Infinity; // an input disappeared
  }
}

export function uiStale() {
  const built = join(ROOT, 'dist/ui/index.html');
  if (!existsSync(built)) return true;
  const at = statSync(built).mtimeMs;
  return Math.max(newestMtime(join(ROOT, 'ui')), newestMtime(join(ROOT, 'vite.config.ts'))) > at;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  const started = Date.now();
  const jobs = [];
  if (!ifStale || serverStale()) jobs.push(['daemon', buildServer]);
  if (!ifStale || uiStale()) jobs.push(['ui', buildUi]);
  try {
    for (const [name, job] of jobs) {
      await job();
      process.stderr.write(`built ${name}\n`);
    }
    if (jobs.length) process.stderr.write(`build done in ${Date.now() - started} ms\n`);
  } catch (err) {
    process.stderr.write(`构建失败 (build failed): ${err?.message ?? err}\n`);
    process.exit(1);
  }
}
