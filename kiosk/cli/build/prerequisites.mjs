#!/usr/bin/env node
/**
 * `npm test`'s pre-test step: checks the system tools the tests still need and installs them.
 *
 * A tool is needed when a test (or a test helper) names it, so the list follows the tests: when
 * simulated devices stopped needing socat, socat stopped being required here. Missing tools are
 * installed with apt-get when running as root on Debian/Ubuntu; otherwise this stops with the
 * exact command to run. KIOSK_SKIP_PREREQUISITES=1 skips the check.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** name → how to find it, which Debian package provides it, what in the tests means it is needed. */
export const TOOLS = [
  { name: 'chromium', find: ['/usr/bin/chromium', '/usr/bin/chromium-browser'], pkg: 'chromium', uses: /\bchromium\b/ },
  { name: 'pdftotext', command: 'pdftotext', pkg: 'poppler-utils', uses: /\bpdfto(text|ppm)\b/ },
  { name: 'zbarimg', command: 'zbarimg', pkg: 'zbar-tools', uses: /\bzbarimg\b/ },
  { name: 'espeak-ng', command: 'espeak-ng', pkg: 'espeak-ng', uses: /\bespeak-ng\b/ },
  { name: 'socat', command: 'socat', pkg: 'socat', uses: /\bsocat\b/ },
  { name: 'python3', command: 'python3', pkg: 'python3', uses: /\bpython3\b/ },
  { name: 'dpkg-deb', command: 'dpkg-deb', pkg: 'dpkg', uses: /\bdpkg-deb\b/ },
  { name: 'openssl', command: 'openssl', pkg: 'openssl', uses: /\bopenssl\b/ },
  // Real PostgreSQL servers for the hall-store tests (test/helpers/postgres.ts): initdb, pg_ctl and
  // pg_basebackup of whichever major Debian installed; the package also creates the postgres user
  // the tools run as when the tests run as root.
  { name: 'PostgreSQL server', find: postgresInstalled, pkg: 'postgresql', uses: /\/usr\/lib\/postgresql/ },
  { name: 'WenQuanYi Micro Hei font', find: ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'], pkg: 'fonts-wqy-microhei', uses: /wqy-microhei/ },
];

/** Debian keeps each major's server tools in /usr/lib/postgresql/<major>/bin. */
function postgresInstalled() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return false;
  return readdirSync(root).some((major) => ['initdb', 'pg_ctl', 'pg_basebackup'].every((t) => existsSync(join(root, major, 'bin', t))));
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

function present(tool) {
  if (tool.command) return onPath(tool.command);
  if (typeof tool.find === 'function') return tool.find();
  return tool.find.some((p) => existsSync(p));
}

function testSources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) testSources(p, out);
    else if (/\.(ts|mjs|js|py)$/.test(name)) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

export function neededTools(root = ROOT) {
  const sources = testSources(join(root, 'test')).join('\n');
  return TOOLS.filter((t) => t.uses.test(sources));
}

export function missingTools(root = ROOT) {
  return neededTools(root).filter((t) => !present(t));
}

function isDebian() {
  return existsSync('/etc/debian_version') && onPath('apt-get');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.env.KIOSK_SKIP_PREREQUISITES === '1') process.exit(0);
  const missing = missingTools();
  if (!missing.length) process.exit(0);
  const pkgs = [...new Set(missing.map((t) => t.pkg))];
  const names = missing.map((t) => t.name).join(', ');
  const command = `apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
  if (process.getuid?.() === 0 && isDebian()) {
    process.stderr.write(`测试需要的系统工具缺失，正在安装 (installing what the tests need): ${names}\n`);
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      process.stderr.write(`安装失败 (installation failed); 请手动运行 (run): ${command}\n`);
      process.exit(1);
    }
    const still = missingTools();
    if (still.length) {
      process.stderr.write(`仍然缺少 (still missing): ${still.map((t) => t.name).join(', ')}\n`);
      process.exit(1);
    }
    process.exit(0);
  }
  process.stderr.write(
    `测试需要以下系统工具 (the tests need): ${names}\n请先运行 (run first):\n  sudo ${command}\n` +
      (isDebian() ? '' : '（非 Debian/Ubuntu 系统：请用本系统的包管理器安装同名工具 / install the same tools with your package manager）\n'),
  );
  process.exit(1);
}
