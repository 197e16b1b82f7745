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
 * The dependencies the daemon imports at start are bundled with it, except native addons and the
 * few that find their own files (EXTERNAL); packages imported on first use stay in node_modules.
 * Source files find their data with
 * `new URL('../../config/guides/', import.meta.url)`; in a bundle every file would share the
 * bundle's URL, so each `import.meta.url` in our sources is rewritten to the URL its source file
 * had. Data files (config/defaults.json, config/guides/, dist/ui/) are thus read from the same
 * places as under tsx, in the repository and in the installed package alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = join(ROOT, 'dist/server');
const META = join(OUT, 'meta.json');
export const ENTRIES = { main: 'kiosk/main.ts', cli: 'kiosk/cli/bin.ts' };
const UNIT = join(ROOT, 'config/debian/hall-kiosk.service');

/** The node options of the daemon's systemd unit (its ExecStart), e.g. ['--max-semi-space-size=1', …]. */
export function unitNodeFlags() {
  const exec = /^ExecStart=.*?\/node((?: --[^\s]+)*) \S+\/dist\/server\/main\.js/m.exec(readFileSync(UNIT, 'utf8'));
  if (!exec) throw new Error('config/debian/hall-kiosk.service: no ExecStart running node on dist/server/main.js');
  return exec[1].trim().split(/\s+/).filter(Boolean);
}
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
  "import { createRequire as __kioskCreateRequire } from 'node:module';",
  'const __kioskRequire = __kioskCreateRequire(import.meta.url);',
  "const __kioskAppRoot = new URL(import.meta.url.slice(0, import.meta.url.lastIndexOf('/dist/server/') + 1));",
  'const __kioskSourceUrl = (p) => new URL(p, __kioskAppRoot).href;',
].join('\n');

/**
 * Packages the bundles load from node_modules (with require) instead of carrying them: native
 * addons, and packages that find files of their own at run time (pino starts its transports'
 * workers from files in its folder; pg's optional native binding; iconv-lite, whose ~300 kB of
 * encoding tables load one by one when an encoding is first used). Every other package the
 * daemon imports statically is bundled: Node's loader resolved, read and compiled ~300 files of
 * fastify, ajv, semver, TypeBox and their dependencies at every start, in one bundle it reads one.
 * Packages imported on first use (`await import(...)`: the XLSX and ICS readers, /docs, pdfkit,
 * @fastify/send) stay in node_modules and load as before. buildServer refuses a bundle that
 * refers to `__dirname`, `__filename` or `require.resolve` (a bundled package looking for its
 * own files: add it here).
 */
export const EXTERNAL = ['better-sqlite3', 'serialport', 'node-hid', 'node-pty', 'pino', 'pg', 'iconv-lite'];
const isExternal = (name) => EXTERNAL.includes(name) || name.startsWith('@serialport/');

const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const cjsCache = new Map();

/**
 * Whether `spec` names the same CommonJS file to `import` and to `require` (all of EXTERNAL
 * today). Such a package is loaded with require() from the bundles: the same module instance
 * Node's ESM loader would give, without its CommonJS translation (a lexer pass over the package's
 * entry and an ESM wrapper for it).
 */
function isPlainCommonJs(spec) {
  if (cjsCache.has(spec)) return cjsCache.get(spec);
  let cjs = false;
  try {
    const viaImport = fileURLToPath(import.meta.resolve(spec, pathToFileURL(join(ROOT, 'package.json')).href));
    const viaRequire = requireFromRoot.resolve(spec);
    cjs = viaImport === viaRequire && (viaImport.endsWith('.cjs') || (viaImport.endsWith('.js') && nearestPackageType(viaImport) !== 'module'));
  } catch {
    cjs = false; // not resolvable one way or the other: leave it to the ESM loader at run time
  }
  cjsCache.set(spec, cjs);
  return cjs;
}

function nearestPackageType(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) return JSON.parse(readFileSync(pj, 'utf8')).type ?? 'commonjs';
  }
  return 'commonjs';
}

/**
 * Bare imports: built-in modules and first-use (dynamic) imports stay imports; EXTERNAL packages
 * are required from node_modules (an ESM one stays an import); everything else is bundled. A
 * require() of a built-in or an EXTERNAL package inside bundled CommonJS code is answered by the
 * bundle's own require (esbuild's ESM output has none).
 */
const externalsPlugin = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageName(args.path);
      const required = { path: args.path, namespace: 'cjs-external' };
      if (args.path.startsWith('node:') || builtinModules.includes(name)) return args.kind === 'require-call' ? required : { path: args.path, external: true };
      if (args.kind === 'dynamic-import') return { path: args.path, external: true };
      if (isExternal(name)) return args.kind === 'require-call' || isPlainCommonJs(args.path) ? required : { path: args.path, external: true };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'cjs-external' }, (args) => ({
      contents: `module.exports = __kioskRequire(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * The boot schema's validator as JavaScript, generated once here instead of at every start:
 * ajv's standalone code for config/schema.ts with the options config/validator.ts uses (the same
 * validating function and the same error objects ajv compiles at run time). Returns the module
 * text that stands in for config/validator.ts in the bundles, the validator's own source (which
 * that module compiles with node:vm, see writeValidatorCodeCache) and the source files it came from.
 */
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
  const options = { ...mod.CONFIG_AJV_OPTIONS, code: { source: true, esm: false } };
  const ajv = new Ajv(options);
  const code = (standalone.default ?? standalone)(ajv, ajv.compile(mod.ConfigSchema));
  // ajv's runtime helpers come as require() calls, answered from node_modules like the bundles' own.
  if ([...code.matchAll(/\brequire\("([^"]+)"\)/g)].some(([, spec]) => !spec.startsWith('ajv/')))
    throw new Error('the generated config validator requires something unexpected');
  // Minified: ~370 kB of generated code that V8 parses and compiles at every start (a third less).
  const { code: minified } = await transform(code, { minify: true, format: 'cjs', target: 'node20', legalComments: 'none' });
  const validatorSource = `(function (module, exports, require) {${minified}\n})`;
  // The validator is compiled with node:vm rather than as part of the bundle, so V8's code cache for
  // it (made by writeValidatorCodeCache) can be handed back: compiling ~280 kB of generated code was
  // ~40 ms of every start. V8 checks the cache against the source, its own version and the node
  // options, and compiles the source instead when it does not match (state 'rejected').
  const source = `// Generated by kiosk/cli/build/build.mjs from config/schema.ts (ajv standalone code); stands in for config/validator.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
const SOURCE = ${JSON.stringify(validatorSource)};
export const CONFIG_AJV_OPTIONS = ${JSON.stringify(mod.CONFIG_AJV_OPTIONS)};
let validate;
let codeCache = 'not-loaded';
/** Whether V8 took the build's code cache for the validator: 'accepted', 'rejected', 'absent' (none found), 'not-loaded'. */
export function configValidatorCodeCache() {
  return codeCache;
}
export function compileConfigValidator() {
  if (validate) return validate;
  let cachedData;
  try {
    // __kioskAppRoot: the bundles' banner; a copy of this module outside them has no cache to read.
    if (typeof __kioskAppRoot !== 'undefined') cachedData = readFileSync(new URL(${JSON.stringify(VALIDATOR_CACHE)}, __kioskAppRoot));
  } catch {
    cachedData = undefined;
  }
  const script = new Script(SOURCE, { filename: 'config-validator.cjs', cachedData });
  codeCache = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const m = { exports: {} };
  script.runInThisContext()(m, m.exports, createRequire(import.meta.url));
  return (validate = m.exports.default ?? m.exports);
}
`;
  const { code: contents } = await transform(source, { minify: true, format: 'esm', target: 'node20', legalComments: 'inline' });
  const inputs = Object.keys(schemaBuild.metafile.inputs).filter((p) => !p.startsWith('<stdin>'));
  return { contents, validatorSource, inputs };
}

/** Where the validator's V8 code cache is kept, relative to the app root (shipped in the package). */
const VALIDATOR_CACHE = 'dist/server/config-validator.cache';

/**
 * V8's code cache for the config validator, made by a node started with the daemon's unit options
 * (V8 rejects a cache made under other options): the validator compiled with node:vm, run once on
 * config/defaults.json so the functions a start runs are compiled, then serialised.
 */
function writeValidatorCodeCache(validatorSource) {
  const script = `
    const { readFileSync, writeFileSync } = require('node:fs');
    const { createRequire } = require('node:module');
    const { Script } = require('node:vm');
    const [source, root, out] = [readFileSync(0, 'utf8'), process.argv[1], process.argv[2]];
    const s = new Script(source, { filename: 'config-validator.cjs' });
    const m = { exports: {} };
    s.runInThisContext()(m, m.exports, createRequire(root + '/package.json'));
    if (!(m.exports.default ?? m.exports)(JSON.parse(readFileSync(root + '/config/defaults.json', 'utf8')))) throw new Error('config/defaults.json does not pass the generated validator');
    writeFileSync(out, s.createCachedData());
  `;
  const r = spawnSync(process.execPath, [...unitNodeFlags(), '--input-type=commonjs', '-e', script, ROOT, join(ROOT, VALIDATOR_CACHE)], {
    input: validatorSource,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`the config validator's code cache could not be made: ${r.stderr || r.error?.message}`);
}

export async function buildServer() {
  const { build } = await import('esbuild');
  mkdirSync(OUT, { recursive: true });
  const validator = await configValidatorModule();
  // Chunk names carry a content hash: without this, every build would leave the previous ones
  // behind (and `npm run package` would ship them).
  rmSync(join(OUT, 'chunks'), { recursive: true, force: true });
  rmSync(join(ROOT, VALIDATOR_CACHE), { force: true });
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
  for (const out of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(ROOT, out), 'utf8');
    const found = ['__dirname', '__filename', 'require.resolve'].filter((w) => code.includes(w));
    if (found.length) throw new Error(`${out} refers to ${found.join(', ')}: a bundled package looks for its own files; add it to EXTERNAL in build.mjs`);
  }
  const inputs = new Set([...Object.keys(result.metafile.inputs), ...validator.inputs]);
  writeFileSync(META, JSON.stringify({ builtAt: Date.now(), inputs: [...inputs] }));
  writeFileSync(join(OUT, 'package.json'), '{"type":"module"}\n');
  writeValidatorCodeCache(validator.validatorSource);
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
  if (!existsSync(META) || !existsSync(join(OUT, 'main.js')) || !existsSync(join(OUT, 'cli.js')) || !existsSync(join(ROOT, VALIDATOR_CACHE))) return true;
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

/**
 * Builds the daemon and the UI (only what is stale with `ifStale`), saying what it built on
 * stderr; on failure says so and ends the process with exit code 1. For `npm run build` and
 * `npm start` (start.mjs).
 */
export async function buildOrExit({ ifStale }) {
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildOrExit({ ifStale: process.argv.includes('--if-stale') });
