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
 * same files the bare Fastify baseline loads), except the few in BUNDLED. Source files find their data with
 * `new URL('../../config/guides/', import.meta.url)`; in a bundle every file would share the
 * bundle's URL, so each `import.meta.url` in our sources is rewritten to the URL its source file
 * had. Data files (config/defaults.json, config/guides/, dist/ui/) are thus read from the same
 * places as under tsx, in the repository and in the installed package alike.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/**
 * The boot schema's validator as JavaScript, generated once here instead of at every start:
 * ajv's standalone code for config/schema.ts with the options config/validator.ts uses (the same
 * validating function and the same error objects ajv compiles at run time). Returns the module
 * text that stands in for config/validator.ts in the bundles, and the source files it came from.
 */
/**
 * Packages bundled into the daemon instead of loaded from node_modules. TypeBox ships its ESM
 * build as ~250 small modules, each resolved, read and linked by Node's ESM loader at every start
 * (a third of the start-up CPU profile once the schema compile was gone); only our own code
 * imports it at run time, so one bundled copy is the only copy.
 */
export const BUNDLED = ['@sinclair/typebox'];

const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** Every bare import is external (resolved in node_modules at run time) except BUNDLED. */
const externalsPlugin = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.includes(packageName(args.path)) ? undefined : { path: args.path, external: true }));
  },
};

export async function configValidatorModule() {
  const { build, transform } = await import('esbuild');
  // The schema and the options, bundled to a temporary module next to the output (so it resolves
  // its packages from node_modules like the bundles do), imported, removed.
  const tmp = join(OUT, `.config-schema-${process.pid}.mjs`);
  const schemaBuild = await build({
    absWorkingDir: ROOT,
    stdin: {
      contents: "export { ConfigSchema } from './config/schema.ts'; export { CONFIG_AJV_OPTIONS } from './config/validator.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
  });
  let mod;
  try {
    mod = await import(`${pathToFileURL(tmp).href}?${Date.now()}`);
  } finally {
    rmSync(tmp, { force: true });
  }
  const [{ Ajv }, { default: standalone }] = await Promise.all([import('ajv'), import('ajv/dist/standalone/index.js')]);
  const options = { ...mod.CONFIG_AJV_OPTIONS, code: { source: true, esm: true } };
  const ajv = new Ajv(options);
  let code = (standalone.default ?? standalone)(ajv, ajv.compile(mod.ConfigSchema));
  // ajv's runtime helpers come as require() calls; the bundles are ESM: a require of their own.
  code = code.replaceAll('require("ajv/', '__ajvRequire("ajv/');
  if (/\brequire\(/.test(code)) throw new Error('the generated config validator requires something unexpected');
  const header = "import { createRequire as __createRequire } from 'node:module';\nconst __ajvRequire = __createRequire(import.meta.url);";
  const source = [
    '// Generated by kiosk/cli/build/build.mjs from config/schema.ts (ajv standalone code); stands in for config/validator.ts.',
    header,
    code,
    `export const CONFIG_AJV_OPTIONS = ${JSON.stringify(mod.CONFIG_AJV_OPTIONS)};`,
    'export function compileConfigValidator() { return validate; }',
  ].join('\n');
  // Minified: ~370 kB of generated code that V8 parses and compiles at every start (a third less).
  const { code: contents } = await transform(source, { minify: true, format: 'esm', target: 'node20', legalComments: 'inline' });
  const inputs = Object.keys(schemaBuild.metafile.inputs).filter((p) => !p.startsWith('<stdin>'));
  return { contents, inputs };
}

export async function buildServer() {
  const { build } = await import('esbuild');
  mkdirSync(OUT, { recursive: true });
  const validator = await configValidatorModule();
  // Chunk names carry a content hash: without this, every build would leave the previous ones
  // behind (and `npm run package` would ship them).
  rmSync(join(OUT, 'chunks'), { recursive: true, force: true });
  /** config/validator.ts → the validator generated above. */
  const configValidatorPlugin = {
    name: 'config-validator',
    setup(b) {
      b.onLoad({ filter: /[\\/]config[\\/]validator\.ts$/ }, (args) =>
        relative(ROOT, args.path).split('\\').join('/') === 'config/validator.ts'
          ? { contents: validator.contents, loader: 'js', resolveDir: join(ROOT, 'config') }
          : undefined,
      );
    },
  };
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    banner: { js: banner },
    plugins: [externalsPlugin, configValidatorPlugin, sourceUrlPlugin],
    logLevel: 'warning',
  });
  const inputs = new Set([...Object.keys(result.metafile.inputs), ...validator.inputs]);
  writeFileSync(META, JSON.stringify({ builtAt: Date.now(), inputs: [...inputs] }));
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
