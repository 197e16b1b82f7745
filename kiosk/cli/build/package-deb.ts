/**
 * `npm run package`: builds `dist/hall-kiosk_<version>_<arch>.deb` with dpkg-deb from the compiled
 * daemon (run `npm run build` first; the npm script does) and the production dependency closure of
 * node_modules. Packaging sources (units, control template, maintainer scripts, udev template) are
 * in config/debian/.
 *
 * Layout of the package:
 *   /usr/lib/hall-kiosk/{package.json,dist/server,dist/ui,config/defaults.json,config/guides,node_modules}
 *   /usr/lib/hall-kiosk/bin/hall-kiosk-exec   sd_notify helper (see kiosk/systemd.ts)
 *   /usr/bin/hall-kiosk                        the command
 *   /etc/hall-kiosk/{site.json,secrets.env}    conffiles
 *   /lib/systemd/system/hall-kiosk{,-screen,-backup}.service, hall-kiosk-backup.timer
 *   /usr/share/hall-kiosk/99-hall-kiosk.rules.example   udev template
 *
 * Why not `npm ci --omit=dev` into a staging directory: it needs the registry (or a complete
 * cache) and re-runs the native modules' install scripts, which download prebuilt binaries; it
 * fails offline. Instead the closure of package.json's dependencies is resolved the way Node
 * resolves them and copied from the installed node_modules (same binaries the tests ran with).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteOverlay } from '../secrets.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEBIAN_SRC = join(ROOT, 'config/debian');

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Directory of package `name` as Node would resolve it from `fromDir`, or null if absent. */
function resolvePackageDir(name: string, fromDir: string): string | null {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Every package directory (relative to the app root: `node_modules/a`, `node_modules/a/node_modules/b`)
 * needed at run time: dependencies, optional dependencies that are installed, peers present.
 */
export function productionClosure(root: string): string[] {
  const seen = new Set<string>();
  const visit = (pkgDir: string, isRoot: boolean) => {
    const pkg = readJson<PackageJson>(join(pkgDir, 'package.json'));
    const names = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...(isRoot ? [] : Object.keys(pkg.peerDependencies ?? {})),
    ]);
    for (const name of names) {
      const dir = resolvePackageDir(name, pkgDir);
      if (!dir) continue; // optional or peer not installed (another platform's binary)
      const rel = relative(root, dir);
      if (seen.has(rel)) continue;
      seen.add(rel);
      visit(dir, false);
    }
  };
  visit(root, true);
  return [...seen].sort();
}

// Only at a package's top level: code lives in dist/doc, lib/test-utils and the like.
const JUNK_DIRS = new Set(['test', 'tests', '__tests__', 'docs', 'example', 'examples', 'benchmark', 'benchmarks', '.github', 'coverage', '.yarn']);
const JUNK_FILES =
  /(\.md|\.markdown|\.map|\.ts|\.tsbuildinfo|\.gyp|\.gypi|\.cc|\.cpp|\.c|\.h|\.o|\.obj|\.mk|Makefile|\.pdb|\.a|\.lib|\.exe|\.dll|test_extension\.node)$/i;
/** Font weights the daemon serves and embeds (drivers/common/fonts.ts, certificates); the other seven are 70 MB. */
const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';
const FONT_WEIGHTS_KEPT = new Set(['400Regular', '700Bold']);

function prebuildForOtherPlatform(name: string): boolean {
  // prebuilds/[HID-]<platform>-<arch>[-musl|+arm64] of native modules (node-pty, serialport, node-hid ...)
  const m = /(?:^|-)(linux|darwin|win32|android|freebsd|openbsd|sunos|aix)-(x64|arm64|arm|ia32|armv7|riscv64|ppc64|s390x)(.*)$/.exec(name);
  return m !== null && !(m[1] === process.platform && m[2] === process.arch && m[3] === '');
}

function copyPackage(srcDir: string, destDir: string): void {
  cpSync(srcDir, destDir, {
    recursive: true,
    dereference: true,
    filter: (src) => {
      const rel = relative(srcDir, src);
      if (!rel) return true;
      const parts = rel.split(sep);
      if (parts[0] === 'node_modules') return false; // nested packages are copied on their own
      const name = basename(src);
      let isDir = false;
      try {
        isDir = statSync(src).isDirectory();
      } catch {
        return false;
      }
      if (isDir) {
        if (JUNK_DIRS.has(name) && parts.length === 1) return false;
        if (srcDir.endsWith(FONT_PACKAGE) && parts.length === 1 && /^\d00[A-Z]/.test(name) && !FONT_WEIGHTS_KEPT.has(name)) return false;
        // Windows console host of node-pty; hidapi and sqlite sources (the binaries are prebuilt).
        if (name === 'third_party' || name === 'hidapi' || (name === 'obj' && parts.includes('build'))) return false;
        if (parts.includes('prebuilds') && prebuildForOtherPlatform(name)) return false;
        // Native build intermediates; the .node file under build/Release is what loads.
        if (name === 'obj.target' || name === '.deps' || (name === 'src' && existsSync(join(srcDir, 'binding.gyp')))) return false;
        if (name === 'deps' && existsSync(join(srcDir, 'binding.gyp'))) return false;
        return true;
      }
      if (name === 'package.json' || name === 'LICENSE' || /^licen[cs]e/i.test(name)) return true;
      return !JUNK_FILES.test(name);
    },
  });
}

function dirSizeKb(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    total += s.isDirectory() ? dirSizeKb(p) * 1024 : s.size;
  }
  return Math.ceil(total / 1024);
}

function install(src: string, dest: string, mode: number): void {
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest);
  chmodSync(dest, mode);
}

export interface PackageResult {
  readonly deb: string;
  readonly version: string;
  readonly arch: string;
  readonly bytes: number;
  readonly packages: number;
}

export function buildPackage(options: { outDir?: string; compression?: 'xz' | 'gzip' | 'none' } = {}): PackageResult {
  const pkg = readJson<PackageJson>(join(ROOT, 'package.json'));
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  const outDir = options.outDir ?? join(ROOT, 'dist');
  for (const required of ['dist/server/main.js', 'dist/server/cli.js', 'dist/ui/index.html']) {
    if (!existsSync(join(ROOT, required))) throw new Error(`${required} is missing: run \`npm run build\` first`);
  }
  const stage = join(outDir, 'deb-root');
  rmSync(stage, { recursive: true, force: true });
  const app = join(stage, 'usr/lib/hall-kiosk');

  // The application
  cpSync(join(ROOT, 'dist/server'), join(app, 'dist/server'), { recursive: true, filter: (s) => !s.endsWith('meta.json') });
  cpSync(join(ROOT, 'dist/ui'), join(app, 'dist/ui'), { recursive: true });
  install(join(ROOT, 'config/defaults.json'), join(app, 'config/defaults.json'), 0o644);
  cpSync(join(ROOT, 'config/guides'), join(app, 'config/guides'), { recursive: true, filter: (s) => statSync(s).isDirectory() || s.endsWith('.json') });
  install(join(DEBIAN_SRC, 'hall-kiosk-exec'), join(app, 'config/debian/hall-kiosk-exec'), 0o755);
  mkdirSync(join(app, 'bin'), { recursive: true });
  symlinkSync('../config/debian/hall-kiosk-exec', join(app, 'bin/hall-kiosk-exec'));
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module', dependencies: pkg.dependencies }, null, 2)}\n`,
  );

  // Production node_modules
  const closure = productionClosure(ROOT);
  for (const rel of closure) copyPackage(realpathSync(join(ROOT, rel)), join(app, rel));

  // The command, configuration, units, udev template
  install(join(DEBIAN_SRC, 'hall-kiosk.sh'), join(stage, 'usr/bin/hall-kiosk'), 0o755);
  const defaults = readJson<Record<string, unknown>>(join(ROOT, 'config/defaults.json'));
  const site = {
    ...siteOverlay(defaults),
    storage: { dataDir: '/var/lib/hall-kiosk' },
  };
  mkdirSync(join(stage, 'etc/hall-kiosk'), { recursive: true });
  writeFileSync(join(stage, 'etc/hall-kiosk/site.json'), `${JSON.stringify(site, null, 2)}\n`, { mode: 0o644 });
  writeFileSync(
    join(stage, 'etc/hall-kiosk/secrets.env'),
    '# hall-kiosk site secrets (KIOSK_*=value). Filled with random values at installation by\n' +
      '# `hall-kiosk secrets`; run `sudo hall-kiosk secrets --rotate` to replace them all.\n',
    { mode: 0o600 },
  );
  for (const unit of ['hall-kiosk.service', 'hall-kiosk-screen.service', 'hall-kiosk-backup.service', 'hall-kiosk-backup.timer']) {
    install(join(DEBIAN_SRC, unit), join(stage, 'lib/systemd/system', unit), 0o644);
  }
  install(join(DEBIAN_SRC, '99-hall-kiosk.rules.in'), join(stage, 'usr/share/hall-kiosk/99-hall-kiosk.rules.example'), 0o644);

  // DEBIAN/
  const control = readFileSync(join(DEBIAN_SRC, 'control.in'), 'utf8')
    .replace('@VERSION@', pkg.version)
    .replace('@ARCH@', arch)
    .replace('@INSTALLED_SIZE@', String(dirSizeKb(stage)));
  mkdirSync(join(stage, 'DEBIAN'), { recursive: true });
  writeFileSync(join(stage, 'DEBIAN/control'), control);
  install(join(DEBIAN_SRC, 'conffiles'), join(stage, 'DEBIAN/conffiles'), 0o644);
  for (const script of ['postinst', 'prerm', 'postrm']) install(join(DEBIAN_SRC, script), join(stage, 'DEBIAN', script), 0o755);

  const deb = join(outDir, `${pkg.name}_${pkg.version}_${arch}.deb`);
  const z = options.compression ?? 'xz';
  execFileSync('dpkg-deb', ['--root-owner-group', `-Z${z}`, ...(z === 'xz' ? ['-z6'] : []), '--build', stage, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(stage, { recursive: true, force: true });
  return { deb, version: pkg.version, arch, bytes: statSync(deb).size, packages: closure.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const fast = process.argv.includes('--fast');
  try {
    const r = buildPackage({ compression: fast ? 'gzip' : 'xz' });
    process.stdout.write(`${r.deb}  ${(r.bytes / 1024 / 1024).toFixed(1)} MiB, ${r.packages} packages in node_modules\n`);
  } catch (err) {
    process.stderr.write(`打包失败 (packaging failed): ${(err as Error).message}\n`);
    process.exit(1);
  }
}
