import { remoteQueueFactory } from '../../server/clients/remote-queue.ts';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { buildServer } from '../../server/app.ts';
import { fakeClock, tempDbPath } from '../helpers/engine.ts';
import { ADMIN, COUNTER, HALL, TERMINAL, makeServer, seededSessions, type TestServer } from '../helpers/server.ts';

const notice2027 = readFileSync(new URL('../kiosk/calendar/fixtures/notice-2027-TEST-FIXTURE.txt', import.meta.url), 'utf8');
const ITEM = 'pharmacy-designation'; // 20 working days

let s: TestServer;
beforeEach(async () => {
  s = await makeServer();
});
afterEach(async () => {
  await s.close();
});

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: object) =>
  s.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

async function importNotice(server: { app: TestServer['app'] }, text: string, operator = '李工') {
  const preview = await server.app.inject({
    method: 'POST',
    url: '/api/v1/admin/calendar/imports/preview',
    headers: ADMIN,
    payload: { format: 'notice', text },
  });
  expect(preview.statusCode).toBe(200);
  const p = preview.json();
  const commit = await server.app.inject({
    method: 'POST',
    url: '/api/v1/admin/calendar/imports',
    headers: ADMIN,
    payload: { format: 'notice', text, digest: p.digest, operator },
  });
  return { preview: p, commit };
}

describe('importing next year’s notice', () => {
  it('previews the year as a calendar, commits with who and when, and fixes a 20-working-day promise across New Year', async () => {
    s.clock.set('2026-12-15T10:00:00');
    const before = (await inject('GET', `/kiosk/guides/${ITEM}`)).json().item;
    expect(before.promisedDate).toBeNull();
    expect(before.promisedNote).toContain('2027');

    const { preview, commit } = await importNotice(s, notice2027);
    expect(preview).toMatchObject({
      year: 2027,
      committable: true,
      blockers: [],
      coverageBefore: { lastYear: 2026 },
      coverageAfter: { firstYear: 2004, lastYear: 2027 },
    });
    expect(preview.months).toHaveLength(12);
    const jan1 = preview.months[0].days[0];
    expect(jan1).toMatchObject({ date: '2027-01-01', weekday: 5, type: 'holiday', working: false, label: '元旦', changed: true });
    expect(preview.months[1].days.find((d: { date: string }) => d.date === '2027-02-20')).toMatchObject({ type: 'adjusted-workday', working: true });
    expect(preview.unparsed).toEqual([expect.objectContaining({ line: 1, blocking: false })]);
    // The preview stored nothing.
    expect(commit.statusCode).toBe(200);
    expect(commit.json()).toMatchObject({ year: 2027, days: 35, coverage: { lastYear: 2027 } });

    // The calendar is the hall's: the import is in the hall's store (PostgreSQL in the postgres project), for every daemon.
    expect(await s.query.get('SELECT year, operator FROM working_calendar_imports')).toEqual({ year: 2027, operator: '李工' });
    expect(await s.query.get("SELECT kind, name FROM working_calendar_days WHERE date = '2027-01-01'")).toEqual({ kind: 'holiday', name: '元旦' });

    const after = (await inject('GET', `/kiosk/guides/${ITEM}`)).json().item;
    // 12-16…12-31: 12 working days; 01-01…01-03 元旦; 01-04…01-08, 01-11, 01-12, 01-13 → 20.
    expect(after.promisedDate).toBe('2027-01-13');

    const imports = (await inject('GET', '/admin/calendar/imports', ADMIN)).json().imports;
    expect(imports[0]).toMatchObject({
      year: 2027,
      format: 'notice',
      source: '国办发明电〔2026〕99号',
      adminUser: 'admin',
      operator: '李工',
      importedAt: s.clock(),
    });
    const audit = (await inject('GET', '/admin/calendar/audit', ADMIN)).json().entries;
    expect(audit[0]).toMatchObject({ action: 'import', year: 2027, adminUser: 'admin', operator: '李工', importId: imports[0].id });
  });

  it('refuses a commit that differs from the preview, one with unread lines, and one that would leave a gap', async () => {
    const preview = (await inject('POST', '/admin/calendar/imports/preview', ADMIN, { format: 'notice', text: notice2027 })).json();
    expect(preview.committable).toBe(true);
    // The text was changed after the preview: the confirmed digest no longer matches.
    const changed = notice2027.replace('1月1日（周五）至3日（周日）放假，共3天', '1月1日（周五）放假1天，不调休');
    const stale = await inject('POST', '/admin/calendar/imports', ADMIN, { format: 'notice', text: changed, digest: preview.digest });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CALENDAR_PREVIEW_STALE');
    expect((await inject('GET', '/calendar/coverage', HALL)).json().lastYear).toBe(2026);

    const broken = `${notice2027}\n八、元宵节：2月20日前后放假。`;
    const p = (await inject('POST', '/admin/calendar/imports/preview', ADMIN, { format: 'notice', text: broken })).json();
    expect(p.committable).toBe(false);
    expect(p.unparsed.at(-1)).toMatchObject({ line: 19, blocking: true });
    const refused = await inject('POST', '/admin/calendar/imports', ADMIN, { format: 'notice', text: broken, digest: p.digest });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'CALENDAR_IMPORT_REJECTED' });

    const gap = (
      await inject('POST', '/admin/calendar/imports/preview', ADMIN, {
        format: 'json',
        text: JSON.stringify({ year: 2028, days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] }),
      })
    ).json();
    expect(gap.committable).toBe(false);
    expect(gap.blockers.join()).toContain('请先导入 2027 年');
    expect((await inject('POST', '/admin/calendar/imports/preview', HALL, { format: 'notice', text: notice2027 })).statusCode).toBe(403);
  });

  it('edits a single day only with a reason, and keeps it in the audit trail', async () => {
    const noReason = await inject('PUT', '/admin/calendar/days/2026-12-26', ADMIN, { kind: 'adjusted-workday', name: '补班' });
    expect(noReason.statusCode).toBe(400);
    const ok = await inject('PUT', '/admin/calendar/days/2026-12-26', ADMIN, {
      kind: 'adjusted-workday',
      name: '补班',
      reason: '县政府通知年底补班',
      operator: '王工',
    });
    expect(ok.statusCode).toBe(200);
    expect((await inject('GET', '/admin/calendar/working-days?from=2026-12-25&days=1', ADMIN)).json().date).toBe('2026-12-26');
    expect((await inject('DELETE', `/admin/calendar/days/2026-12-26?reason=${encodeURIComponent('通知撤回')}`, ADMIN)).json()).toEqual({ deleted: true });
    const audit = (await inject('GET', '/admin/calendar/audit', ADMIN)).json().entries;
    expect(audit.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([
      ['delete-day', '通知撤回'],
      ['set-day', '县政府通知年底补班'],
    ]);
    expect(audit[1]).toMatchObject({
      date: '2026-12-26',
      before: null,
      after: { kind: 'adjusted-workday', name: '补班' },
      operator: '王工',
      adminUser: 'admin',
    });
    const year = (await inject('GET', '/admin/calendar?year=2026', ADMIN)).json();
    expect(year.months[9].days[9]).toMatchObject({ date: '2026-10-10', type: 'adjusted-workday' });
  });
});

describe('coverage warnings', () => {
  it('appear when coverage ends within 60 days (from 1 November), for the hall server, counters and the status snapshot', async () => {
    // A hall whose business day is still in October (the shared server opened its day in November).
    await s.close();
    s = await makeServer({}, {}, { clock: fakeClock('2026-10-31T10:00:00') });
    const oct = (await inject('GET', '/calendar/coverage', HALL)).json();
    expect(oct).toMatchObject({ firstYear: 2004, lastYear: 2026, coveredUntil: '2026-12-31', daysLeft: 61, warnings: [], source: 'local' });
    expect((await inject('GET', '/queue/status', HALL)).json().warnings).toEqual([]);

    s.clock.set('2026-11-01T10:00:00');
    const nov = (await inject('GET', '/calendar/coverage', COUNTER(1))).json();
    expect(nov.daysLeft).toBe(60);
    expect(nov.warnings).toEqual([
      expect.objectContaining({ year: 2027, message: '工作日历尚未包含 2027 年', reasons: [expect.objectContaining({ kind: 'season' })] }),
    ]);
    const status = await inject('GET', '/queue/status', HALL);
    expect(status.json().warnings).toEqual([{ code: 'CALENDAR_YEAR_MISSING', year: 2027, message: '工作日历尚未包含 2027 年' }]);
    expect(status.headers.etag).toMatch(/\.2027"$/);
    expect((await inject('GET', '/calendar/coverage')).statusCode).toBe(200); // loopback (the kiosk's own UI)
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/calendar/coverage', remoteAddress: '10.0.0.9' })).statusCode).toBe(401);
  });

  it('names the promised dates that fall past the range, and goes away once the year is imported', async () => {
    s.clock.set('2026-12-10T10:00:00');
    const dec = (await inject('GET', '/calendar/coverage', HALL)).json();
    expect(dec.warnings[0].reasons.map((r: { kind: string }) => r.kind)).toEqual(['season', 'promised-date']);
    expect(dec.warnings[0].reasons[1].detail).toContain('20 个工作日');
    s.clock.set('2026-12-29T10:00:00');
    expect((await inject('GET', '/calendar/coverage', HALL)).json().warnings[0].reasons.map((r: { kind: string }) => r.kind)).toEqual([
      'season',
      'promised-date',
      'case-deadline',
    ]);
    const { commit } = await importNotice(s, notice2027);
    expect(commit.statusCode).toBe(200);
    const after = (await inject('GET', '/calendar/coverage', HALL)).json();
    expect(after).toMatchObject({ lastYear: 2027, warnings: [], lastImport: { year: 2027, operator: '李工' } });
    expect((await inject('GET', '/queue/status', HALL)).json().warnings).toEqual([]);
  });
});

describe('multi-terminal hall: one calendar per hall', () => {
  let remote: { kiosk: Kiosk; app: TestServer['app']; url: string } | null = null;
  afterEach(async () => {
    if (remote) {
      await remote.app.close();
      await remote.kiosk.close();
      remote = null;
    }
  });

  async function startRemote(holderUrl: string, dbPath = tempDbPath()) {
    const clock = fakeClock('2026-12-15T10:00:00');
    const kiosk = createKiosk(loadConfig({ overlay: { queue: { remote: { url: holderUrl, token: 'dev-terminal-token-0001' } } } }), {
      clock,
      dbPath,
      remoteQueue: remoteQueueFactory,
    });
    const app = await buildServer(kiosk, { consoleSessions: seededSessions() });
    await app.listen({ host: '127.0.0.1', port: 0 });
    return { kiosk, app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, dbPath };
  }

  it('a remote terminal uses the holder’s import over real HTTP, keeps its copy when the holder is down, and refuses local edits', async () => {
    s.clock.set('2026-12-15T10:00:00');
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    const holderUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    expect((await fetch(`${holderUrl}/api/v1/terminal/calendar`)).status).toBe(401); // the holder's own UI is not a terminal
    const r = await startRemote(holderUrl);
    remote = r;
    expect(await r.kiosk.calendarSync!.refresh()).toBe(false); // same seed: nothing to change
    const guide = async () =>
      ((await (await fetch(`${r.url}/api/v1/kiosk/guides/${ITEM}`)).json()) as { item: { promisedDate: string | null } }).item.promisedDate;
    expect(await guide()).toBeNull();

    const { commit } = await importNotice(s, notice2027);
    expect(commit.statusCode).toBe(200);
    expect(await r.kiosk.calendarSync!.refresh()).toBe(true);
    expect(await guide()).toBe('2027-01-13');
    expect(r.kiosk.calendarSync!.status()).toMatchObject({ lastError: null, revision: s.kiosk.evaluations.calendar.revision() });
    // Unchanged on the holder: answered 304, nothing rewritten.
    expect(await r.kiosk.calendarSync!.refresh()).toBe(false);

    const coverage = (await (await fetch(`${r.url}/api/v1/calendar/coverage`, { headers: TERMINAL })).json()) as {
      lastYear: number;
      source: string;
      sync: { holder: string };
    };
    expect(coverage).toMatchObject({ lastYear: 2027, source: 'holder', sync: { holder: holderUrl } });
    const edit = await fetch(`${r.url}/api/v1/admin/calendar/days/2027-03-01`, {
      method: 'PUT',
      headers: { ...ADMIN, origin: r.url, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'holiday', name: '测试', reason: '不应生效' }),
    });
    expect(edit.status).toBe(409);
    expect(((await edit.json()) as { error: { code: string } }).error.code).toBe('CALENDAR_READ_ONLY');

    // The holder goes away: the copy stays, the error is reported, and a restart keeps the copy.
    await s.app.close();
    expect(await r.kiosk.calendarSync!.refresh()).toBe(false);
    expect(r.kiosk.calendarSync!.status().lastError).not.toBeNull();
    expect(await guide()).toBe('2027-01-13');
    await r.app.close();
    await r.kiosk.close();
    remote = await startRemote(holderUrl, r.dbPath);
    expect(remote.kiosk.calendar.coverage.lastYear).toBe(2027);
  });
});
