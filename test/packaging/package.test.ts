import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, type PackageResult } from '../../kiosk/cli/build/package-deb.ts';
import { parseEnvFile } from '../../config/load.ts';
import { buildIfStale, daemonNodeFlags, freePort, notifySocket, waitForHttp, watch } from './helpers.ts';
import { checkUnitSyntax } from './unit-syntax.ts';

/**
 * Builds the .deb once (gzip: fast), unpacks it into a temporary root and runs the packaged daemon
 * and command from there on simulated devices: readiness and watchdog pings on a NOTIFY_SOCKET the
 * test binds, a blocked event loop stops the pings, development secrets refused when live.
 */
const work = mkdtempSync(join(tmpdir(), 'kiosk-deb-'));
const unpacked = join(work, 'root');
const app = join(unpacked, 'usr/lib/hall-kiosk');
let pkg: PackageResult;

const UNITS = ['hall-kiosk.service', 'hall-kiosk-screen.service', 'hall-kiosk-backup.service', 'hall-kiosk-backup.timer'];

beforeAll(() => {
  buildIfStale();
  pkg = buildPackage({ outDir: work, compression: 'gzip' });
  execFileSync('dpkg-deb', ['-x', pkg.deb, unpacked]);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function site(overlay: object): string {
  const file = join(mkdtempSync(join(work, 'site-')), 'site.json');
  writeFileSync(file, JSON.stringify(overlay));
  return file;
}

/** Starts the packaged daemon the way the unit does (through hall-kiosk-exec, its node options), from the unpacked root. */
function daemon(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(join(app, 'bin/hall-kiosk-exec'), ['node', ...daemonNodeFlags(), join(app, 'dist/server/main.js'), ...args], {
    env: { ...process.env, NODE_ENV: undefined, NOTIFY_SOCKET: undefined, KIOSK_NOTIFY_FD: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, ...watch(child) };
}

describe('the Debian package', () => {
  it('holds the compiled app, production node_modules only, conffiles, units and maintainer scripts', () => {
    expect(pkg.deb).toMatch(/hall-kiosk_\d+\.\d+\.\d+_[a-z0-9]+\.deb$/);
    const list = execFileSync('dpkg-deb', ['-c', pkg.deb], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const paths = new Set(
      list.split('\n').map((l) =>
        l
          .split(/\s+/)
          .slice(5)
          .join(' ')
          .replace(/ -> .*$/, ''),
      ),
    );
    for (const p of [
      './usr/bin/hall-kiosk',
      './usr/lib/hall-kiosk/dist/server/main.js',
      './usr/lib/hall-kiosk/dist/server/cli.js',
      './usr/lib/hall-kiosk/dist/ui/index.html',
      './usr/lib/hall-kiosk/config/defaults.json',
      './usr/lib/hall-kiosk/config/guides/categories.json',
      './usr/lib/hall-kiosk/bin/hall-kiosk-exec',
      './usr/lib/hall-kiosk/node_modules/fastify/package.json',
      './usr/lib/hall-kiosk/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      './usr/lib/hall-kiosk/node_modules/pino/package.json',
      './etc/hall-kiosk/site.json',
      './etc/hall-kiosk/secrets.env',
      './usr/share/hall-kiosk/99-hall-kiosk.rules.example',
      ...UNITS.map((u) => `./lib/systemd/system/${u}`),
    ]) {
      expect(paths, p).toContain(p);
    }
    for (const dev of ['tsx', 'vite', 'esbuild', 'vitest', 'typescript', 'eslint', 'playwright-core', 'prettier']) {
      expect(paths, dev).not.toContain(`./usr/lib/hall-kiosk/node_modules/${dev}/`);
    }
    expect([...paths].some((p) => p.includes('/src/') && p.endsWith('.ts'))).toBe(false);
    // Secrets are root's only, from the archive on.
    expect(list).toMatch(/-rw------- root\/root\s+\d+ .* \.\/etc\/hall-kiosk\/secrets\.env/);

    const info = execFileSync('dpkg-deb', ['-I', pkg.deb], { encoding: 'utf8' });
    expect(info).toMatch(/Package: hall-kiosk/);
    expect(info).toMatch(new RegExp(`Version: ${pkg.version.replace(/\./g, '\\.')}`));
    expect(info).toMatch(new RegExp(`Architecture: ${pkg.arch}`));
    expect(info).toMatch(/Depends: .*nodejs \(>= 20/);
    const control = join(work, 'control');
    execFileSync('dpkg-deb', ['-e', pkg.deb, control]);
    expect(readFileSync(join(control, 'conffiles'), 'utf8').trim().split('\n')).toEqual(['/etc/hall-kiosk/site.json', '/etc/hall-kiosk/secrets.env']);
    const postinst = readFileSync(join(control, 'postinst'), 'utf8');
    expect(postinst).toMatch(/adduser --system .* kiosk/);
    expect(postinst).toMatch(/for g in dialout lp/);
    expect(postinst).toMatch(/hall-kiosk secrets --out \/etc\/hall-kiosk\/secrets\.env/);
    expect(spawnSync('sh', ['-n', join(control, 'postinst')]).status).toBe(0);
    expect(spawnSync('sh', ['-n', join(control, 'prerm')]).status).toBe(0);
    expect(spawnSync('sh', ['-n', join(control, 'postrm')]).status).toBe(0);
  });

  it('ships units systemd accepts: notify with watchdog, hardening, the screen after the daemon, a nightly backup', () => {
    const dir = join(unpacked, 'lib/systemd/system');
    for (const unit of UNITS) {
      expect(checkUnitSyntax(readFileSync(join(dir, unit), 'utf8'), unit.endsWith('.timer') ? 'timer' : 'service'), unit).toEqual([]);
    }
    const service = readFileSync(join(dir, 'hall-kiosk.service'), 'utf8');
    for (const line of [
      'Type=notify',
      'Restart=always',
      'ProtectSystem=strict',
      'PrivateTmp=true',
      'NoNewPrivileges=true',
      'ReadWritePaths=/var/lib/hall-kiosk',
      'User=kiosk',
      'EnvironmentFile=/etc/hall-kiosk/secrets.env',
      'StandardOutput=journal',
    ]) {
      expect(service).toContain(line);
    }
    expect(service).toMatch(/^WatchdogSec=\d+s$/m);
    const screen = readFileSync(join(dir, 'hall-kiosk-screen.service'), 'utf8');
    expect(screen).toMatch(/^Requires=hall-kiosk\.service$/m);
    expect(screen).toMatch(/^After=hall-kiosk\.service/m);
    expect(screen).toMatch(/ExecStart=\/usr\/bin\/cage .*chromium --kiosk/);
    expect(screen).toContain('Restart=always');
    expect(readFileSync(join(dir, 'hall-kiosk-backup.timer'), 'utf8')).toMatch(/OnCalendar=\*-\*-\* 02:30:00/);

    if (existsSync('/usr/bin/systemd-analyze')) {
      // Paths of the package point into the unpacked root; cage is not on a build machine, so a stub stands in.
      const verifyDir = mkdtempSync(join(work, 'units-'));
      const cage = join(verifyDir, 'cage');
      writeFileSync(cage, '#!/bin/sh\n');
      chmodSync(cage, 0o755);
      for (const unit of UNITS) {
        const text = readFileSync(join(dir, unit), 'utf8').replaceAll('/usr/lib/hall-kiosk', app).replace('/usr/bin/cage', cage);
        writeFileSync(join(verifyDir, unit), text);
      }
      const r = spawnSync('systemd-analyze', ['verify', ...UNITS.map((u) => join(verifyDir, u))], { encoding: 'utf8', timeout: 120_000 });
      const complaints = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !/chromium is not executable/.test(l));
      expect(complaints).toEqual([]);
      expect(r.status).toBe(0);
    }
  }, 180_000);

  it('runs from the unpacked root: READY=1 once it listens, watchdog pings from the event loop, none while the loop is blocked', async () => {
    const port = await freePort();
    const sock = join(work, 'notify.sock');
    const notify = await notifySocket(sock);
    // The test's own hook, not the product's: SIGUSR2 blocks the event loop for 3 s (20 ping
    // intervals), marking the start and end on the daemon's own notify descriptor, so the listener
    // sees the markers in order with the pings — no clock is compared.
    const hang = join(work, 'hang.mjs');
    writeFileSync(
      hang,
      [
        "import { writeSync } from 'node:fs';",
        'const fd = Number(process.env.KIOSK_NOTIFY_FD);',
        "process.on('SIGUSR2', () => {",
        "  writeSync(fd, 'X-TEST-BLOCK=begin');",
        '  const end = Date.now() + 3000;',
        '  while (Date.now() < end) {}',
        "  writeSync(fd, 'X-TEST-BLOCK=end');",
        '});',
        '',
      ].join('\n'),
    );
    const d = daemon(['--config', site({ storage: { dataDir: join(work, 'data-run') }, api: { port } })], {
      NOTIFY_SOCKET: sock,
      WATCHDOG_USEC: '300000',
      NODE_OPTIONS: `--import ${hang}`,
    });
    try {
      const ready = await notify.waitFor((m) => m.msg.includes('READY=1'), 120_000);
      // Ready means listening: the API answers right away.
      const info = await fetch(`http://127.0.0.1:${port}/api/v1/kiosk/info`);
      expect(info.status).toBe(200);
      // Same PID as the process systemd started: NotifyAccess=main accepts it.
      expect(ready.msg).toContain(`MAINPID=${d.child.pid}`);
      // The config validator came from the build's V8 code cache (made under the unit's node options).
      for (let i = 0; i < 100 && !d.output().includes('自助终端已启动'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(d.output()).toMatch(/"configCodeCache":"accepted".*自助终端已启动/);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);

      const msgs = () => notify.messages.map((m) => m.msg);
      await notify.waitFor(() => msgs().filter((m) => m === 'WATCHDOG=1').length >= 4, 30_000);
      d.child.kill('SIGUSR2');
      await notify.waitFor((m) => m.msg === 'X-TEST-BLOCK=end', 30_000);
      // Pings resume once the loop is free again.
      const endAt = msgs().indexOf('X-TEST-BLOCK=end');
      await notify.waitFor(() => msgs().slice(endAt).includes('WATCHDOG=1'), 30_000);
      const all = msgs();
      const during = all.slice(all.indexOf('X-TEST-BLOCK=begin') + 1, all.indexOf('X-TEST-BLOCK=end'));
      // Pings sent by anything but the main event loop (a relay's own timer, a worker) would land here.
      expect(during).toEqual([]);
      expect(all.slice(0, all.indexOf('X-TEST-BLOCK=begin'))).toContain('WATCHDOG=1');

      d.child.kill('SIGTERM');
      expect(await d.exited).toBe(0);
      expect(notify.messages.some((m) => m.msg === 'STOPPING=1')).toBe(true);
    } finally {
      d.child.kill('SIGKILL');
      notify.close();
    }
  }, 240_000);

  it('refuses the published development secrets when live (exit 78, naming each), runs a demo with --insecure-dev, and runs live with generated secrets', async () => {
    const dataDir = join(work, 'data-secrets');
    const port = await freePort();
    const refused = daemon(['--port', String(port), '--data-dir', dataDir], { NODE_ENV: 'production' });
    expect(await refused.exited).toBe(78);
    for (const key of [
      'privacy.hmacKey',
      'api.accounts[0].passwordHash',
      'api.hallServerTokens[0]',
      'counters[0].token',
      'counters[5].token',
      'evaluation.phoneKey',
    ]) {
      expect(refused.output()).toContain(key);
    }
    // Hardware mode or a LAN address is live too, without NODE_ENV.
    const lan = daemon(['--config', site({ api: { host: '0.0.0.0', port } }), '--data-dir', dataDir]);
    expect(await lan.exited).toBe(78);
    expect(lan.output()).toContain('api.host=0.0.0.0');

    const demo = daemon(['--port', String(port), '--data-dir', dataDir, '--insecure-dev'], { NODE_ENV: 'production' });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/v1/kiosk/info`, 120_000, () => demo.child.exitCode === null);
      expect(demo.output()).toMatch(/INSECURE DEMO/);
    } finally {
      demo.child.kill('SIGTERM');
      await demo.exited;
    }

    // The packaged command writes the secrets the packaged site.json refers to.
    const secrets = join(work, 'secrets.env');
    const gen = spawnSync(join(unpacked, 'usr/bin/hall-kiosk'), ['secrets', '--out', secrets, '--config', join(unpacked, 'etc/hall-kiosk/site.json')], {
      encoding: 'utf8',
    });
    expect(gen.status, gen.stderr).toBe(0);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    const values = parseEnvFile(readFileSync(secrets, 'utf8'));
    expect(Object.keys(values)).toEqual(
      expect.arrayContaining(['KIOSK_HMAC_KEY', 'KIOSK_ADMIN_PASSWORD_HASH', 'KIOSK_PHONE_KEY', 'KIOSK_COUNTER_1_TOKEN', 'KIOSK_COUNTER_6_TOKEN']),
    );
    expect(new Set(Object.values(values)).size).toBe(Object.keys(values).length);
    const check = spawnSync(join(unpacked, 'usr/bin/hall-kiosk'), ['config', 'check'], {
      encoding: 'utf8',
      env: { ...process.env, KIOSK_CONFIG: join(unpacked, 'etc/hall-kiosk/site.json'), KIOSK_SECRETS_FILE: secrets, NODE_ENV: 'production' },
    });
    expect(check.status, check.stderr).toBe(0);

    const live = daemon(['--config', join(unpacked, 'etc/hall-kiosk/site.json'), '--secrets', secrets, '--port', String(port), '--data-dir', dataDir], {
      NODE_ENV: 'production',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/v1/kiosk/info`, 120_000, () => live.child.exitCode === null);
      expect(live.output()).not.toMatch(/开发用密钥|development secrets/);
    } finally {
      live.child.kill('SIGTERM');
      expect(await live.exited).toBe(0);
    }

    // The packaged command backs the store up (what the nightly timer runs).
    const backup = spawnSync(join(unpacked, 'usr/bin/hall-kiosk'), ['backup', '--db', join(dataDir, 'kiosk.db'), '--keep-days', '3'], { encoding: 'utf8' });
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/integrity ok/);
  }, 400_000);
});
