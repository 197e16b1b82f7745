import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { SAMPLE_CARDS } from '../../drivers/idcard/index.ts';
import { doc, cut, feed, resolvePrinterProfile, text, encodeDocument, measurePaper } from '../../drivers/printer/index.ts';
import { applyPendingRestore, PENDING_RESTORE, recordAppliedRestore } from '../../kiosk/console/backups.ts';
import { LogRing } from '../../kiosk/console/log-ring.ts';
import { PAPER_FILE, PaperUsage } from '../../kiosk/console/paper.ts';
import { hashPassword } from '../../kiosk/console/passwords.ts';
import { createKiosk } from '../../kiosk/compose.ts';
import { act, until } from '../helpers/devices.ts';
import { ADMIN, COUNTER, makeServer, TECHNICIAN, type TestServer } from '../helpers/server.ts';

// 运行维护 of the technician console: backups (take, download, restore with its confirmation
// step and its audit row), the log tail, the paper counter, the diagnostics bundle.
const LAN = '10.60.0.1';
type Headers = Record<string, string>;
const get = (s: TestServer, url: string, headers: Headers = ADMIN) => s.app.inject({ method: 'GET', url: `/api/v1${url}`, headers, remoteAddress: LAN });
const post = (s: TestServer, url: string, body: unknown = {}, headers: Headers = ADMIN) =>
  s.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
    remoteAddress: LAN,
  });
let req = 0;
const take = (s: TestServer) =>
  s.app.inject({ method: 'POST', url: '/api/v1/kiosk/tickets', payload: { useIdentity: false, requestId: `ops-${++req}-abcdefgh`, serviceCode: 'general' } });
const ticketCount = (s: { kiosk: { db: { prepare(sql: string): { get(): unknown } } } }) =>
  (s.kiosk.db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
const auditActions = async (s: TestServer) =>
  ((await get(s, '/console/audit')).json().entries as { action: string; target: string }[]).map((e) => `${e.action} ${e.target}`);

describe('backups from the console', () => {
  it('backs up while serving, downloads (audited), and restores only after the confirmation, at the next start', async () => {
    let restarts = 0;
    const s = await makeServer({}, { requestRestart: () => restarts++ });
    const dbPath = s.kiosk.db.name;
    try {
      expect((await take(s)).statusCode).toBe(200);
      expect((await post(s, '/console/backups', {}, TECHNICIAN)).statusCode).toBe(403);
      const made = await post(s, '/console/backups');
      expect(made.statusCode, made.body).toBe(200);
      const name = made.json().backup.name as string;
      expect(name).toMatch(/^kiosk-\d{8}T\d{6}Z-console\.db$/);
      expect((await take(s)).statusCode).toBe(200);
      expect(ticketCount(s)).toBe(2);

      const list = (await get(s, '/console/backups')).json();
      expect(list).toMatchObject({ available: true, restarts: true, pendingRestore: null, lastRestore: null });
      expect(list.backups.map((b: { name: string }) => b.name)).toContain(name);

      // Download: the file itself, named for the hall; hall-admin only; a read that is audited.
      expect((await get(s, `/console/backups/${name}/download`, TECHNICIAN)).statusCode).toBe(403);
      const dl = await get(s, `/console/backups/${name}/download`);
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['content-disposition']).toBe(`attachment; filename="hall-kiosk-${s.kiosk.config.hall.code}-${name}"`);
      expect(dl.rawPayload.subarray(0, 15).toString()).toBe('SQLite format 3');
      expect((await get(s, '/console/backups/..%2Fkiosk.db/download')).statusCode).toBe(400);
      expect((await get(s, '/console/backups/kiosk-20000101T000000Z.db/download')).json().error).toMatchObject({
        code: 'NOT_FOUND',
        message: '没有名为 kiosk-20000101T000000Z.db 的备份',
      });

      // The confirmation step writes nothing; a restore with another digest is refused in Chinese.
      const check = await post(s, '/console/backups/restore/check', { name });
      expect(check.statusCode, check.body).toBe(200);
      expect(check.json()).toMatchObject({ name, userVersion: check.json().knownVersion });
      expect(existsSync(`${dbPath}${PENDING_RESTORE}`)).toBe(false);
      const wrong = await post(s, '/console/backups/restore', { name, digest: '0'.repeat(64) });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.message).toBe('备份文件与确认时检查的不一致，请重新检查后再确认恢复');
      expect(existsSync(`${dbPath}${PENDING_RESTORE}`)).toBe(false);

      const ok = await post(s, '/console/backups/restore', { name, digest: check.json().digest });
      expect(ok.json()).toEqual({ ok: true, backup: name, restarting: true });
      await until(() => restarts === 1);
      expect(existsSync(`${dbPath}${PENDING_RESTORE}`)).toBe(true);
      expect((await get(s, '/console/backups')).json().pendingRestore).toMatchObject({ backup: name, user: 'admin' });
      const actions = await auditActions(s);
      expect(actions).toContain(`download GET /api/v1/console/backups/${name}/download`);
      expect(actions).toContain('POST POST /api/v1/console/backups/restore');
    } finally {
      await s.close();
    }

    // The next start: swapped in before the store opens; the replaced database is kept.
    const outcome = applyPendingRestore(dbPath)!;
    expect(outcome).toMatchObject({ ok: true, user: 'admin', reason: null });
    expect(existsSync(`${dbPath}${PENDING_RESTORE}`)).toBe(false);
    expect(readdirSync(dirname(dbPath)).some((f) => f === outcome.previous)).toBe(true);
    const kiosk = createKiosk(loadConfig({ overlay: {} }), { dbPath });
    try {
      expect(ticketCount({ kiosk })).toBe(1); // the ticket taken after the backup is gone
      recordAppliedRestore(kiosk.db, kiosk.clock, outcome);
      const rows = kiosk.db.prepare("SELECT user, action, target FROM console_audit WHERE action = 'restore-applied'").all();
      expect(rows).toEqual([{ user: 'admin', action: 'restore-applied', target: `restore ${outcome.backup}` }]);
    } finally {
      await kiosk.close();
    }
    expect(applyPendingRestore(dbPath)).toBeNull(); // once only
  });
});

describe('log tail', () => {
  it('filters the ring by level and device, for technicians too, and masks what should never be there', async () => {
    const ring = new LogRing(5);
    const log = pino({ level: 'debug' }, ring);
    log.info('启动');
    for (let i = 0; i < 5; i++) log.child({ device: 'idcard' }).debug({ n: i }, 'poll');
    log.child({ device: 'printer' }).warn({ code: 'paper-out', detail: `卡号 ${SAMPLE_CARDS.adult.idNumber}` }, '打印机缺纸');
    log.child({ device: 'scanner' }).error({ err: { message: 'port closed' } }, '扫码器断开');
    const s = await makeServer({}, { logRing: ring });
    try {
      const all = (await get(s, '/console/logs', TECHNICIAN)).json();
      expect(all.records).toHaveLength(5); // bounded: the oldest went
      expect(all.records[0].msg).toBe('poll');
      expect(all.devices).toEqual(['idcard', 'printer', 'scanner']);
      const warn = (await get(s, '/console/logs?level=warn', TECHNICIAN)).json().records;
      expect(warn.map((r: { device: string }) => r.device)).toEqual(['printer', 'scanner']);
      const printer = (await get(s, '/console/logs?level=warn&device=printer')).json().records;
      expect(printer).toMatchObject([{ level: 'warn', device: 'printer', msg: '打印机缺纸', details: { code: 'paper-out' } }]);
      expect(JSON.stringify(printer)).not.toContain(SAMPLE_CARDS.adult.idNumber);
      expect((await get(s, '/console/logs?level=loud')).statusCode).toBe(400);
      expect((await get(s, '/console/logs', COUNTER(1))).statusCode).toBe(403);
    } finally {
      await s.close();
    }
  });
});

describe('paper counter', () => {
  it('measures the paper of a job from its ESC/POS bytes', () => {
    const profile = resolvePrinterProfile('generic-80', {});
    const bytes = encodeDocument(doc(text('第一行\n第二行'), feed(2), text('大字', { size: { width: 2, height: 2 } }), cut()), profile);
    if (!bytes.ok) throw new Error('encode');
    // 2 lines × 30 dots + 2 fed × 30 + one double-height line (2 × 24 + 6) + feedBeforeCut 4 × 30
    expect(measurePaper(bytes.bytes)).toEqual({ lines: 3, dots: 60 + 60 + 54 + 120 });
  });

  let s: TestServer;
  beforeAll(async () => {
    s = await makeServer({ devices: { dispenser: { mode: 'off' }, printer: { rollLengthM: 50 } } });
    await s.kiosk.startDevices();
    await until(() => s.kiosk.devices.status('printer').state === 'ready');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('counts what the printer printed since the roll change, persists it, and starts again on 纸卷已更换 (audited)', async () => {
    const before = (await get(s, '/console/paper', TECHNICIAN)).json();
    expect(before).toMatchObject({ jobs: 0, usedMetres: 0, rollLengthMetres: 50, remainingMetres: 50, remainingPercent: 100, persisted: true });
    expect((await take(s)).json().print.ok).toBe(true);
    expect((await post(s, '/admin/devices/printer/test-print', {}, TECHNICIAN)).json().ok).toBe(true);
    // A job the printer refused used no paper.
    await act(s, 'printer', 'paper-out');
    await until(() => s.kiosk.devices.status('printer').state === 'fault');
    expect((await take(s)).json().print.ok).toBe(false);
    await act(s, 'printer', 'paper-ok');
    await until(() => s.kiosk.devices.status('printer').state === 'ready');

    const after = (await get(s, '/console/paper')).json();
    expect(after.jobs).toBe(2);
    expect(after.lines).toBeGreaterThan(20);
    expect(after.usedMetres).toBeGreaterThan(0.1);
    expect(after.remainingMetres).toBeLessThan(50);
    // Written atomically to the data directory, read back by the next start.
    const file = join(dirname(s.kiosk.db.name), PAPER_FILE);
    expect(JSON.parse(readFileSync(file, 'utf8')).roll.jobs).toBe(2);
    expect(new PaperUsage(dirname(file), s.kiosk.clock, 50).view()).toEqual(after);

    const changed = await post(s, '/console/paper/roll-changed', {}, TECHNICIAN);
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ jobs: 0, usedMetres: 0, remainingPercent: 100, totalJobs: 2, rollChangedBy: 'tech' });
    expect(await auditActions(s)).toContain('POST POST /api/v1/console/paper/roll-changed');
    expect((await post(s, '/console/paper/roll-changed', {}, COUNTER(1))).statusCode).toBe(403);
  });
});

describe('diagnostics bundle', () => {
  it('has configuration, versions, devices and recent warnings, and no secret and no personal data', async () => {
    const secrets = {
      hmac: 'seeded-hmac-key-7f3a9c1e5b2d4f6a8c0e2b4d6f8a1c3e',
      hall: 'seeded-hall-server-token-5a1b2c3d4e5f',
      terminal: 'seeded-terminal-token-9e8d7c6b5a4f',
      phone: 'seeded-phone-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      password: hashPassword('seeded-admin-password-31415'),
    };
    const ring = new LogRing();
    const log = pino({ level: 'info' }, ring);
    log.child({ device: 'printer' }).warn({ code: 'paper-near-end' }, '纸将用尽');
    log.warn(`误记的号码 ${SAMPLE_CARDS.elder.idNumber} 13812345678`);
    const s = await makeServer(
      {
        privacy: { hmacKey: secrets.hmac },
        evaluation: { phoneKey: secrets.phone },
        api: {
          hallServerTokens: [secrets.hall],
          terminalTokens: [secrets.terminal],
          accounts: [
            { user: 'admin', role: 'hall-admin', passwordHash: secrets.password },
            { user: 'tech', role: 'technician', passwordHash: secrets.password },
          ],
        },
        devices: { dispenser: { mode: 'off' } },
      },
      { logRing: ring },
    );
    try {
      await s.kiosk.startDevices();
      // A citizen at the kiosk: the card's data is in the session and the database (hashed).
      await act(s, 'idcard', 'insert-card', { fixture: 'elder' });
      await until(() => s.kiosk.session.identity);
      await s.app.inject({
        method: 'POST',
        url: '/api/v1/kiosk/tickets',
        payload: { useIdentity: true, requestId: 'diag-1-abcdefgh', serviceCode: 'general' },
      });

      const res = await get(s, '/console/diagnostics', TECHNICIAN);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="hall-kiosk-[A-Za-z0-9_-]+-diagnostics-\d{8}T\d{6}Z\.json"$/);
      const bundle = res.json();
      expect(bundle).toMatchObject({
        format: 'hall-kiosk-diagnostics/1',
        versions: { databaseSchema: expect.any(Number), node: process.version, sqlite: expect.any(String) },
        devices: { printer: { mode: 'simulator', status: { state: expect.any(String) } } },
        configuration: { config: { hall: { name: s.kiosk.config.hall.name } } },
      });
      expect(bundle.configuration.secretsLeftOut).toEqual(
        expect.arrayContaining(['privacy.hmacKey', 'api.hallServerTokens[0]', 'api.accounts[0].passwordHash']),
      );
      expect(bundle.recentWarnings.map((r: { msg: string }) => r.msg)).toContain('纸将用尽');

      const body = res.body;
      for (const value of Object.values(secrets)) expect(body).not.toContain(value);
      for (const value of [secrets.password.split('$').at(-1)!, secrets.password.split('$').at(-2)!]) expect(body).not.toContain(value);
      const card = SAMPLE_CARDS.elder;
      for (const value of [card.idNumber, card.name, card.address, '13812345678']) expect(body).not.toContain(value);
      expect(await auditActions(s)).toContain('download GET /api/v1/console/diagnostics');
      expect((await get(s, '/console/diagnostics', COUNTER(1))).statusCode).toBe(403);
    } finally {
      await s.close();
    }
  });
});
