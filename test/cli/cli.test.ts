import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runVerb } from '../../kiosk/cli/main.ts';
import { backupDatabase, DatabaseTooNewError, listBackups, pruneBackups } from '../../kiosk/store/backup.ts';
import { openDatabase } from '../../kiosk/store/database.ts';
import { MIGRATIONS } from '../../kiosk/store/migrations.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
});
afterEach(() => vi.restoreAllMocks());

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
}

function siteWith(dir: string): string {
  const file = join(dir, 'site.json');
  writeFileSync(file, JSON.stringify({ storage: { dataDir: dir } }));
  return file;
}

describe('hall-kiosk command', () => {
  it('every verb has --help, exits 0, and no output is a stack trace', async () => {
    for (const verb of ['doctor', 'config', 'secrets', 'passwd', 'backup', 'restore', 'version']) {
      out = '';
      expect(await runVerb(verb, ['--help']), verb).toBe(0);
      expect(out, verb).toMatch(/用法 \(usage\): hall-kiosk/);
    }
    expect(await runVerb('--help', [])).toBe(0);
    expect(out).toMatch(/config check/);
  });

  it('bad input is one line in Chinese and English with a sysexits code, never a stack', async () => {
    expect(await runVerb('frobnicate', [])).toBe(64);
    expect(await runVerb('backup', ['--bogus'])).toBe(64);
    expect(await runVerb('config', ['lint'])).toBe(64);
    expect(await runVerb('backup', ['--keep-days', 'many'])).toBe(64);
    expect(await runVerb('restore', [])).toBe(64);
    const broken = join(dataDir(), 'site.json');
    writeFileSync(broken, '{ not json');
    expect(await runVerb('config', ['check', '--config', broken])).toBe(78);
    expect(await runVerb('backup', ['--db', join(dataDir(), 'missing.db')])).toBe(74);
    expect(err).not.toMatch(/\n\s+at /);
    for (const line of err
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('hall-kiosk:'))) {
      expect(line).toMatch(/[\u4e00-\u9fff]/);
      expect(line).toMatch(/[a-z]{3,}/);
    }
  });

  it('`npm run doctor -- --help` prints the usage, not a stack trace', () => {
    const r = spawnSync('npm', ['run', '--silent', 'doctor', '--', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hall-kiosk doctor/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
    const bad = spawnSync('npm', ['run', '--silent', 'doctor', '--', '--nonsense'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/参数错误 \(bad arguments\)/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 240_000);

  it('version names the program and the database schema', async () => {
    expect(await runVerb('version', ['--json'])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), databaseSchema: MIGRATIONS.length });
  });

  it('config check fails (78) when a live kiosk would still use development secrets, passes otherwise', async () => {
    const dir = dataDir();
    expect(await runVerb('config', ['check', '--config', siteWith(dir)])).toBe(0);
    const lan = join(dir, 'lan.json');
    writeFileSync(lan, JSON.stringify({ api: { host: '0.0.0.0' } }));
    expect(await runVerb('config', ['check', '--config', lan])).toBe(78);
    expect(err).toMatch(/privacy\.hmacKey/);
  });

  it('secrets keeps what is set, fills what is missing, --rotate replaces all', async () => {
    const dir = dataDir();
    const file = join(dir, 'secrets.env');
    writeFileSync(file, 'KIOSK_HMAC_KEY=kept-hmac-key-value-0123456789\n');
    expect(await runVerb('secrets', ['--out', file])).toBe(0);
    const { parseEnvFile } = await import('../../config/load.ts');
    const first = parseEnvFile(readFileSync(file, 'utf8'));
    expect(first.KIOSK_HMAC_KEY).toBe('kept-hmac-key-value-0123456789');
    expect(first.KIOSK_COUNTER_3_TOKEN).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await runVerb('secrets', ['--out', file, '--rotate'])).toBe(0);
    const second = parseEnvFile(readFileSync(file, 'utf8'));
    expect(second.KIOSK_HMAC_KEY).not.toBe(first.KIOSK_HMAC_KEY);
    expect(existsSync(`${file}.old`)).toBe(true);
  });

  it('secrets stores the console admin password as a scrypt hash and shows the password once', async () => {
    const file = join(dataDir(), 'secrets.env');
    expect(await runVerb('secrets', ['--out', file])).toBe(0);
    const { parseEnvFile } = await import('../../config/load.ts');
    const { verifyPassword } = await import('../../kiosk/console/passwords.ts');
    const hash = parseEnvFile(readFileSync(file, 'utf8')).KIOSK_ADMIN_PASSWORD_HASH!;
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    const password = /初始密码.*: (\S+)\n/.exec(out)?.[1];
    expect(password).toBeDefined();
    expect(readFileSync(file, 'utf8')).not.toContain(password);
    expect(await verifyPassword(password!, hash)).toBe(true);
    out = '';
    expect(await runVerb('secrets', ['--out', file])).toBe(0);
    expect(out).not.toMatch(/初始密码/); // kept: not generated (nor shown) again
  });

  it('passwd prints the api.accounts entry with a scrypt hash of the password read from stdin; weak passwords are refused', async () => {
    const { verifyPassword } = await import('../../kiosk/console/passwords.ts');
    const bin = join(ROOT, 'kiosk/cli/bin.ts');
    const run = (args: string[], input: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', bin, 'passwd', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
    const ok = run(['zhang.wei', '--role', 'hall-admin'], 'a-long-site-password-7\n');
    expect(ok.status, ok.stderr).toBe(0);
    const entry = JSON.parse(ok.stdout) as { user: string; role: string; passwordHash: string };
    expect(entry).toMatchObject({ user: 'zhang.wei', role: 'hall-admin' });
    expect(await verifyPassword('a-long-site-password-7', entry.passwordHash)).toBe(true);
    expect(await verifyPassword('a-long-site-password-8', entry.passwordHash)).toBe(false);
    const { loadConfig } = await import('../../config/load.ts');
    expect(loadConfig({ overlay: { api: { accounts: [entry] } } }).api.accounts[0]!.user).toBe('zhang.wei');
    expect(run(['zhang.wei'], 'short\n').status).toBe(65);
    expect(run(['zhang.wei'], 'dev-admin-password-0001\n').status).toBe(65);
    expect(run(['zhang.wei', '--role', 'root'], 'a-long-site-password-7\n').status).toBe(64);
    expect(run([], 'a-long-site-password-7\n').status).toBe(64);
  }, 120_000);
});

describe('backups', () => {
  it('backup → restore round trip: the restored store is the backed-up one, the replaced one is kept', async () => {
    const dir = dataDir();
    const site = siteWith(dir);
    const dbPath = join(dir, 'kiosk.db');
    const db = openDatabase(dbPath);
    db.prepare("INSERT INTO meta (key, value) VALUES ('marker', 'before-backup')").run();
    db.close();

    expect(await runVerb('backup', ['--config', site, '--keep-days', '7'])).toBe(0);
    expect(out).toMatch(/integrity ok/);
    const [backup] = listBackups(join(dir, 'backups'));
    expect(backup).toBeDefined();
    expect(statSync(backup!.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'backups')).mode & 0o777).toBe(0o700);

    const later = openDatabase(dbPath);
    later.prepare("UPDATE meta SET value = 'after-backup' WHERE key = 'marker'").run();
    later.close();

    // Refused while a daemon holds the data directory.
    writeFileSync(join(dir, 'daemon.pid'), `${process.ppid}\n`);
    expect(await runVerb('restore', ['--config', site, '--latest'])).toBe(75);
    expect(err).toMatch(/systemctl stop hall-kiosk/);
    writeFileSync(join(dir, 'daemon.pid'), '999999999\n'); // stale: that process is gone

    expect(await runVerb('restore', ['--config', site, '--latest'])).toBe(0);
    const restored = new Database(dbPath, { readonly: true });
    expect(restored.prepare("SELECT value FROM meta WHERE key = 'marker'").pluck().get()).toBe('before-backup');
    restored.close();
    const kept = readdirSync(dir).find((n) => n.startsWith('kiosk.db.before-restore-'));
    const previous = new Database(join(dir, kept!), { readonly: true });
    expect(previous.prepare("SELECT value FROM meta WHERE key = 'marker'").pluck().get()).toBe('after-backup');
    previous.close();
  });

  it('restore refuses a damaged backup (integrity check first) and leaves the store alone', async () => {
    const dir = dataDir();
    const dbPath = join(dir, 'kiosk.db');
    openDatabase(dbPath).close();
    const { file } = await backupDatabase(dbPath, { dir: join(dir, 'backups') });
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 4096, 8192); // scribble over the second page
    writeFileSync(file, bytes);
    const before = statSync(dbPath).mtimeMs;
    expect(await runVerb('restore', ['--db', dbPath, file])).toBe(65);
    expect(err).toMatch(/备份文件损坏|无法打开/);
    expect(statSync(dbPath).mtimeMs).toBe(before);
  });

  it('old backups are pruned after N days, the newest always kept', () => {
    const dir = join(dataDir(), 'backups');
    mkdirSync(dir, { recursive: true });
    const names = ['kiosk-20260101T023000Z.db', 'kiosk-20260110T023000Z.db', 'kiosk-20260120T023000Z.db'];
    for (const n of names) writeFileSync(join(dir, n), 'x');
    const pruned = pruneBackups(dir, 7, new Date('2026-01-21T00:00:00Z'));
    expect(pruned.map((p) => p.split('/').pop())).toEqual(['kiosk-20260110T023000Z.db', 'kiosk-20260101T023000Z.db']);
    expect(pruneBackups(dir, 0, new Date('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('a migration backs the store up first; a database newer than the code is refused', () => {
    const dir = dataDir();
    const dbPath = join(dir, 'kiosk.db');
    // A store as an older release left it: only the first migration ran.
    const old = new Database(dbPath);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO meta (key, value) VALUES ('from', 'v1')").run();
    old.close();
    openDatabase(dbPath).close();
    const [pre] = listBackups(join(dir, 'backups'));
    expect(pre!.file).toMatch(new RegExp(`pre-migration-v1-v${MIGRATIONS.length}\\.db$`));
    const copy = new Database(pre!.file, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    expect(copy.prepare("SELECT value FROM meta WHERE key = 'from'").pluck().get()).toBe('v1');
    copy.close();

    const newer = new Database(dbPath);
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    expect(() => openDatabase(dbPath)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(dbPath)).toThrow(/拒绝降级|refusing to downgrade/);
  });
});
