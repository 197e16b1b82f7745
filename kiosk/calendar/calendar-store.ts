import { createHash } from 'node:crypto';
import { KioskError } from '../errors.ts';
import { EventEmitter } from 'node:events';
import { type Db, SqliteRunner } from '../store/database.ts';
import { all, get, run, type Runner, type Tx } from '../store/sql.ts';
import { addDays, dayOfWeek, formatIsoDate, type IsoDate } from './dates.ts';
import { DAY_KINDS, coverageOfRows, seedRowsFromChineseDays, type Coverage, type DayKind, type DayRow } from './day-rows.ts';
import { hasBlockingIssues, type ImportFormat, type ImportResult } from './import-types.ts';
import { CalendarCoverageError, CalendarRowError, WorkingDayCalendar, calendarFromRows, type DayType } from './working-day-calendar.ts';

interface DayDbRow {
  date: string;
  kind: string;
  name: string;
  note: string | null;
  source: string | null;
}

/** Who changed the calendar, and why. `adminUser` is the authenticated admin account. */
export interface EditMeta {
  readonly adminUser: string;
  /** The technician's own name, typed in the console (several people share the admin account). */
  readonly operator?: string | null | undefined;
  readonly reason: string;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  readonly action: 'set-day' | 'delete-day' | 'coverage' | 'import' | 'sync';
  readonly date: string | null;
  readonly year: number | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string;
  readonly adminUser: string;
  readonly operator: string | null;
  readonly importId: number | null;
}

export interface ImportRecord {
  readonly id: number;
  readonly year: number;
  readonly format: ImportFormat;
  readonly source: string | null;
  readonly adminUser: string;
  readonly operator: string | null;
  readonly importedAt: number;
  readonly days: number;
  readonly changed: number;
  readonly digest: string;
}

export interface DayChange {
  readonly date: IsoDate;
  readonly before: { kind: DayKind; name: string } | null;
  readonly after: { kind: DayKind; name: string } | null;
}

export interface PreviewDay {
  readonly date: IsoDate;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly type: DayType;
  readonly working: boolean;
  readonly label: string;
  /** The import changes this day compared with the calendar in use. */
  readonly changed: boolean;
}

export interface ImportPreview extends ImportResult {
  /** Binds a commit to exactly what was previewed. */
  readonly digest: string;
  readonly committable: boolean;
  /** Why it cannot be committed (Chinese), empty when it can. */
  readonly blockers: readonly string[];
  readonly coverageBefore: Coverage;
  readonly coverageAfter: Coverage | null;
  readonly changes: readonly DayChange[];
  /** The year as it would be after the import, month by month. */
  readonly months: readonly { readonly month: number; readonly days: readonly PreviewDay[] }[];
}

/** The whole calendar as one hall shares it (served to the hall's other terminals). */
export interface CalendarSnapshot {
  readonly revision: string;
  readonly coverage: Coverage;
  readonly days: readonly DayRow[];
}

const MAX_INPUT_CHARS = 200_000;

const UPSERT_DAY =
  'INSERT INTO working_calendar_days (date, kind, name, note, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, note = excluded.note, source = excluded.source';
const WRITE_COVERAGE =
  'INSERT INTO working_calendar_coverage (id, first_year, last_year) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET first_year = excluded.first_year, last_year = excluded.last_year';
/** Rows per multi-row INSERT of the seed (5 parameters each; well under both engines' limits). */
const SEED_BATCH = 200;

interface ImportDbRow {
  id: number;
  year: number;
  format: ImportFormat;
  source: string | null;
  admin_user: string;
  operator: string | null;
  imported_at: number;
  days: number;
  changed: number;
  digest: string;
}

/** What the synchronous reads answer from: the tables as last read. */
interface Loaded {
  readonly rows: readonly DayRow[];
  readonly coverage: Coverage | null;
  readonly calendar: WorkingDayCalendar | null;
  readonly revision: string;
  readonly lastImport: ImportRecord | null;
}

type CalendarEvents = { changed: [] };

/**
 * The working-day calendar kept in the database: seeded once from chinese-days, then extended by
 * importing each year's 国务院办公厅 notice (or an ICS file / JSON list) and corrected by single-day
 * edits. Every change is audited (who, when, why). Computations past the covered years are
 * refused with CALENDAR_NOT_COVERED instead of guessing Mon-Fri.
 *
 * Where it lives: the calendar is the hall's (one per hall), so on a daemon that reaches the hall's
 * store its tables are there — SQLite's file or PostgreSQL, shared by every daemon — and every
 * statement is a transaction body (kiosk/store/sql.ts). A terminal of a remote queue keeps a copy
 * in its own SQLite file (kiosk/calendar/remote-sync.ts). Reads are synchronous (deadlines are
 * computed inside other transaction bodies) and answer from the tables as last loaded: on SQLite
 * at once after each change; elsewhere `open()` loads them, a change reloads them after its
 * commit (`reload()`), and a change by another daemon is announced by a `calendar.changed` hall
 * event on which the daemon reloads (kiosk/compose.ts).
 */
export class CalendarStore extends EventEmitter<CalendarEvents> {
  readonly runner: Runner;
  #clock: () => number;
  #loaded: Loaded | null = null;
  /** A change was written since the last load (it may still roll back: the next load tells). */
  #stale = true;

  constructor(store: Db | Runner, clock: () => number = Date.now) {
    super();
    this.runner = 'prepare' in store ? new SqliteRunner(store) : store;
    this.#clock = clock;
    if (this.runner instanceof SqliteRunner) {
      this.runner.transactionSync(() => this.#seedTx());
      this.#reloadSync();
    }
  }

  /** Seeds an empty calendar and loads it (a store that is not SQLite: before use). */
  async open(): Promise<void> {
    await this.runner.transaction(() => this.#seedTx());
    await this.reload();
  }

  /** Reads the tables again (after a change committed here or on another daemon of the hall). */
  async reload(): Promise<void> {
    this.#stale = false;
    this.#loaded = await this.runner.read(() => this.#loadTx());
  }

  #reloadSync(): void {
    this.#stale = false;
    this.#loaded = (this.runner as SqliteRunner).readSync(() => this.#loadTx());
  }

  #state(): Loaded {
    // Inside a change's transaction the change itself loaded what it wrote (#changedTx).
    if (this.#stale && this.runner instanceof SqliteRunner && !this.runner.db.inTransaction) this.#reloadSync();
    if (!this.#loaded) throw new Error('CalendarStore: call open() before use');
    return this.#loaded;
  }

  *#loadTx(): Tx<Loaded> {
    const c = yield* get<{ first_year: number; last_year: number }>('SELECT first_year, last_year FROM working_calendar_coverage WHERE id = 1');
    const rows = (yield* all<DayDbRow>('SELECT * FROM working_calendar_days ORDER BY date')).map(toDayRow);
    const last = yield* get<ImportDbRow>(
      'SELECT id, year, format, source, admin_user, operator, imported_at, days, changed, digest FROM working_calendar_imports ORDER BY id DESC LIMIT 1',
    );
    const coverage = c ? { firstYear: c.first_year, lastYear: c.last_year } : null;
    const revision = digestOf({ coverage, rows: rows.map((r) => [r.date, r.kind, r.name, r.note ?? null]) });
    return { rows, coverage, calendar: coverage ? new WorkingDayCalendar(rows, coverage) : null, revision, lastImport: last ? toImport(last) : null };
  }

  calendar(): WorkingDayCalendar {
    const calendar = this.#state().calendar;
    if (!calendar) throw new KioskError('CALENDAR_INVALID', {}, '工作日历没有覆盖范围');
    return calendar;
  }

  /** Changes whenever a day or the coverage changes (an ETag for the hall's other terminals). */
  revision(): string {
    return this.#state().revision;
  }

  coverage(): Coverage {
    const c = this.#state().coverage;
    if (!c) throw new KioskError('CALENDAR_INVALID', {}, '工作日历没有覆盖范围');
    return c;
  }

  rows(year?: number): DayRow[] {
    const rows = this.#state().rows;
    return year === undefined ? [...rows] : rows.filter((r) => r.date >= `${year}-01-01` && r.date <= `${year}-12-31`);
  }

  snapshot(): CalendarSnapshot {
    return { revision: this.revision(), coverage: this.coverage(), days: this.rows() };
  }

  /** The newest import (the coverage report names it). */
  lastImport(): ImportRecord | null {
    return this.#state().lastImport;
  }

  /** Runs a change body in its own transaction and reloads after the commit. */
  async change<T>(body: (now: number) => Tx<T>): Promise<T> {
    try {
      return await this.runner.transaction(() => body(this.#clock()));
    } finally {
      await this.changed();
    }
  }

  /** After a change body committed (or rolled back) in a caller's transaction: reload, and tell. */
  async changed(): Promise<void> {
    await this.reload();
    this.emit('changed');
  }

  /** Add or replace one exception day (holiday, adjusted-workday or workday override). */
  *setDayTx(row: DayRow, meta: EditMeta = SYSTEM, now = this.#clock()): Tx<void> {
    if (!(DAY_KINDS as readonly string[]).includes(row.kind)) {
      throw new KioskError('CALENDAR_INVALID', { kind: row.kind }, `未知的日期类型：${row.kind}`);
    }
    const current = yield* this.#currentTx();
    this.#validate([...current.rows.filter((r) => r.date !== row.date), row], current.coverage);
    const before = yield* this.#rowTx(row.date);
    yield* run(UPSERT_DAY, row.date, row.kind, row.name, row.note ?? null, row.source ?? 'admin');
    yield* this.#auditTx(now, 'set-day', meta, { date: row.date, before, after: yield* this.#rowTx(row.date) });
    yield* this.#changedTx();
  }

  *deleteDayTx(date: string, meta: EditMeta = SYSTEM, now = this.#clock()): Tx<boolean> {
    const before = yield* this.#rowTx(date);
    if (!before) return false;
    yield* run('DELETE FROM working_calendar_days WHERE date = ?', date);
    yield* this.#auditTx(now, 'delete-day', meta, { date, before, after: null });
    yield* this.#changedTx();
    return true;
  }

  /** Declare which years are complete (after entering a new year's arrangement by hand). */
  *setCoverageTx(coverage: Coverage, meta: EditMeta = SYSTEM, now = this.#clock()): Tx<void> {
    if (!Number.isInteger(coverage.firstYear) || !Number.isInteger(coverage.lastYear) || coverage.firstYear > coverage.lastYear) {
      throw new KioskError('CALENDAR_INVALID', { ...coverage }, '覆盖年份有误');
    }
    const before = (yield* this.#currentTx()).coverage;
    yield* run(WRITE_COVERAGE, coverage.firstYear, coverage.lastYear);
    yield* this.#auditTx(now, 'coverage', meta, { before, after: coverage });
    yield* this.#changedTx();
  }

  /** What an import would do, for the technician to confirm. Stores nothing. */
  preview(result: ImportResult): ImportPreview {
    return previewOf(result, this.coverage(), this.rows());
  }

  /**
   * Stores an import: the year's rows are replaced by the imported ones (the notice is the whole
   * arrangement of the year) and the coverage is extended to the year. Refused when the preview
   * would not allow it, or when `digest` is not the one the technician confirmed (both checked
   * against the tables inside the transaction, not the loaded copy).
   */
  *commitImportTx(
    result: ImportResult,
    meta: Omit<EditMeta, 'reason'> & { readonly digest: string; readonly input: string; readonly reason?: string },
    now = this.#clock(),
  ): Tx<{ importId: number; preview: ImportPreview }> {
    const current = yield* this.#currentTx();
    if (!current.coverage) throw new KioskError('CALENDAR_INVALID', {}, '工作日历没有覆盖范围');
    const preview = previewOf(result, current.coverage, current.rows);
    if (preview.digest !== meta.digest) throw new KioskError('CALENDAR_PREVIEW_STALE', { expected: meta.digest, actual: preview.digest });
    if (!preview.committable || preview.year === null || !preview.coverageAfter) {
      throw new KioskError('CALENDAR_IMPORT_REJECTED', { blockers: preview.blockers, unparsed: preview.unparsed, problems: preview.problems });
    }
    const year = preview.year;
    const coverageBefore = preview.coverageBefore;
    const coverageAfter = preview.coverageAfter;
    const source = (preview.source ?? preview.format).slice(0, 100);
    const inserted = yield* get<{ id: number }>(
      'INSERT INTO working_calendar_imports (year, format, source, admin_user, operator, imported_at, days, changed, digest, input) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      year,
      preview.format,
      preview.source,
      meta.adminUser,
      meta.operator ?? null,
      now,
      preview.days.length,
      preview.changes.length,
      preview.digest,
      meta.input.slice(0, MAX_INPUT_CHARS),
    );
    const id = inserted!.id;
    yield* run('DELETE FROM working_calendar_days WHERE date >= ? AND date <= ?', `${year}-01-01`, `${year}-12-31`);
    for (const d of preview.days) yield* run(UPSERT_DAY, d.date, d.kind, d.name, null, source);
    yield* run(WRITE_COVERAGE, coverageAfter.firstYear, coverageAfter.lastYear);
    yield* this.#auditTx(
      now,
      'import',
      { ...meta, reason: meta.reason ?? `导入 ${year} 年节假日安排（${source}）` },
      {
        year,
        before: { coverage: coverageBefore },
        after: { coverage: coverageAfter, days: preview.days.length, changed: preview.changes.length },
        importId: id,
      },
    );
    yield* this.#changedTx();
    return { importId: id, preview };
  }

  /** Replaces the whole calendar with the hall holder's copy (on a terminal of a remote queue). */
  async replaceAll(snapshot: CalendarSnapshot): Promise<boolean> {
    if (snapshot.revision === this.revision()) return false;
    calendarFromRows(snapshot.days, snapshot.coverage);
    await this.change(
      function* (this: CalendarStore, now: number) {
        yield* run('DELETE FROM working_calendar_days');
        yield* insertRowsTx(snapshot.days, 'INSERT INTO working_calendar_days (date, kind, name, note, source) VALUES');
        yield* run(WRITE_COVERAGE, snapshot.coverage.firstYear, snapshot.coverage.lastYear);
        yield* this.#auditTx(
          now,
          'sync',
          { adminUser: 'hall-holder', reason: '与排队主机的工作日历同步' },
          { after: { coverage: snapshot.coverage, revision: snapshot.revision } },
        );
        yield* this.#changedTx();
      }.bind(this),
    );
    return true;
  }

  async imports(limit = 50): Promise<ImportRecord[]> {
    const rows = await this.runner.read(() =>
      all<ImportDbRow>(
        'SELECT id, year, format, source, admin_user, operator, imported_at, days, changed, digest FROM working_calendar_imports ORDER BY id DESC LIMIT ?',
        limit,
      ),
    );
    return rows.map(toImport);
  }

  async auditTrail(limit = 100): Promise<AuditEntry[]> {
    const rows = await this.runner.read(() =>
      all<{
        id: number;
        at: number;
        action: AuditEntry['action'];
        date: string | null;
        year: number | null;
        before: string | null;
        after: string | null;
        reason: string;
        admin_user: string;
        operator: string | null;
        import_id: number | null;
      }>('SELECT * FROM working_calendar_audit ORDER BY id DESC LIMIT ?', limit),
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      action: r.action,
      date: r.date,
      year: r.year,
      before: r.before === null ? null : (JSON.parse(r.before) as unknown),
      after: r.after === null ? null : (JSON.parse(r.after) as unknown),
      reason: r.reason,
      adminUser: r.admin_user,
      operator: r.operator,
      importId: r.import_id,
    }));
  }

  /** The N-th working day after `from` (限时办结 counting); refuses past the covered years. */
  addWorkingDays(from: string, n: number): string {
    try {
      return this.calendar().addWorkingDays(from, n);
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  isWorkingDay(date: string): boolean {
    try {
      return this.calendar().isWorkingDay(date);
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  /**
   * The end of every change body: the rest of the transaction (the deadline refill of the cases)
   * computes with the calendar as changed; after the commit — or a rollback — it is loaded again.
   */
  *#changedTx(): Tx<void> {
    this.#loaded = yield* this.#loadTx();
    this.#stale = true;
  }

  /** The tables as they are inside the running transaction (a change validates against these). */
  *#currentTx(): Tx<{ rows: DayRow[]; coverage: Coverage | null }> {
    const c = yield* get<{ first_year: number; last_year: number }>('SELECT first_year, last_year FROM working_calendar_coverage WHERE id = 1');
    const rows = (yield* all<DayDbRow>('SELECT * FROM working_calendar_days ORDER BY date')).map(toDayRow);
    return { rows, coverage: c ? { firstYear: c.first_year, lastYear: c.last_year } : null };
  }

  *#rowTx(date: string): Tx<DayRow | null> {
    const r = yield* get<DayDbRow>('SELECT * FROM working_calendar_days WHERE date = ?', date);
    return r ? toDayRow(r) : null;
  }

  *#auditTx(
    now: number,
    action: AuditEntry['action'],
    meta: EditMeta,
    what: { date?: string; year?: number; before?: unknown; after?: unknown; importId?: number },
  ): Tx<void> {
    yield* run(
      'INSERT INTO working_calendar_audit (at, action, date, year, before, after, reason, admin_user, operator, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      now,
      action,
      what.date ?? null,
      what.year ?? (what.date ? Number(what.date.slice(0, 4)) : null),
      what.before === undefined || what.before === null ? null : JSON.stringify(what.before),
      what.after === undefined || what.after === null ? null : JSON.stringify(what.after),
      meta.reason,
      meta.adminUser,
      meta.operator ?? null,
      what.importId ?? null,
    );
  }

  #validate(rows: DayRow[], coverage: Coverage | null): void {
    try {
      if (!coverage) throw new KioskError('CALENDAR_INVALID', {}, '工作日历没有覆盖范围');
      calendarFromRows(rows, coverage);
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  /** The first daemon of a hall (or a new SQLite file) seeds the calendar; the others find it. */
  *#seedTx(): Tx<void> {
    if (yield* get('SELECT 1 AS one FROM working_calendar_coverage WHERE id = 1')) return;
    const seed = seedRowsFromChineseDays();
    const coverage = coverageOfRows(seed);
    yield* insertRowsTx(seed, 'INSERT INTO working_calendar_days (date, kind, name, note, source) VALUES', ' ON CONFLICT (date) DO NOTHING');
    if (coverage) {
      yield* run(
        'INSERT INTO working_calendar_coverage (id, first_year, last_year) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING',
        coverage.firstYear,
        coverage.lastYear,
      );
    }
  }
}

/** Many day rows in a few multi-row INSERTs (one round trip per batch on PostgreSQL). */
function* insertRowsTx(rows: readonly DayRow[], head: string, tail = ''): Tx<void> {
  for (let i = 0; i < rows.length; i += SEED_BATCH) {
    const batch = rows.slice(i, i + SEED_BATCH);
    const params = batch.flatMap((r) => [r.date, r.kind, r.name, r.note ?? null, r.source ?? null]);
    yield* run(`${head} ${batch.map(() => '(?, ?, ?, ?, ?)').join(', ')}${tail}`, ...params);
  }
}

function toImport(r: ImportDbRow): ImportRecord {
  return {
    id: r.id,
    year: r.year,
    format: r.format,
    source: r.source,
    adminUser: r.admin_user,
    operator: r.operator,
    importedAt: r.imported_at,
    days: r.days,
    changed: r.changed,
    digest: r.digest,
  };
}

/** What an import would do against a calendar's coverage and rows. */
function previewOf(result: ImportResult, coverageBefore: Coverage, rows: readonly DayRow[]): ImportPreview {
  const blockers: string[] = [];
  if (result.year === null) blockers.push('未能确定年份');
  if (result.days.length === 0) blockers.push('没有读到任何放假或上班日');
  const blockingLines = result.unparsed.filter((u) => u.blocking);
  if (blockingLines.length > 0) blockers.push(`有 ${blockingLines.length} 行未能识别（第 ${blockingLines.map((u) => u.line).join('、')} 行）`);
  if (result.problems.length > 0) blockers.push(`发现 ${result.problems.length} 个问题`);
  let coverageAfter: Coverage | null = null;
  const year = result.year;
  if (year !== null) {
    if (year > coverageBefore.lastYear + 1)
      blockers.push(`工作日历只覆盖到 ${coverageBefore.lastYear} 年：请先导入 ${coverageBefore.lastYear + 1} 年，年份之间不能留空`);
    else if (year < coverageBefore.firstYear - 1) blockers.push(`工作日历从 ${coverageBefore.firstYear} 年开始：请先导入 ${coverageBefore.firstYear - 1} 年`);
    else coverageAfter = { firstYear: Math.min(year, coverageBefore.firstYear), lastYear: Math.max(year, coverageBefore.lastYear) };
    for (const d of result.days) {
      const y = Number(d.date.slice(0, 4));
      if (y !== year && (y < coverageBefore.firstYear || y > coverageBefore.lastYear)) blockers.push(`${d.date} 所在年份未覆盖，不能一并导入`);
    }
  }
  const { changes, after } = year === null ? { changes: [], after: [] } : changesOf(result, rows);
  const months = year === null ? [] : monthsOf(year, after, new Set(changes.map((c) => c.date)));
  const committable = blockers.length === 0 && !hasBlockingIssues(result);
  return { ...result, digest: importDigest(result), committable, blockers, coverageBefore, coverageAfter, changes, months };
}

function changesOf(result: ImportResult, rows: readonly DayRow[]): { changes: DayChange[]; after: DayRow[] } {
  const year = result.year!;
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const current = new Map(rows.filter((r) => r.date.startsWith(`${year}-`)).map((r) => [r.date, r]));
  for (const d of result.days)
    if (!d.date.startsWith(`${year}-`)) {
      const r = byDate.get(d.date);
      if (r) current.set(d.date, r);
    }
  const next = new Map(result.days.map((d) => [d.date, { kind: d.kind, name: d.name }]));
  const changes: DayChange[] = [];
  for (const date of [...new Set([...current.keys(), ...next.keys()])].sort()) {
    const b = current.get(date);
    const a = next.get(date);
    if (b && a && b.kind === a.kind && b.name === a.name) continue;
    changes.push({ date, before: b ? { kind: b.kind, name: b.name } : null, after: a ?? null });
  }
  const after = result.days.filter((d) => d.date.startsWith(`${year}-`)).map((d) => ({ date: d.date, kind: d.kind, name: d.name }));
  return { changes, after };
}

const SYSTEM: EditMeta = { adminUser: 'system', reason: '（程序内部修改）' };

export function importDigest(result: ImportResult): string {
  return digestOf({ year: result.year, days: result.days.map((d) => [d.date, d.kind, d.name]) });
}

function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function monthsOf(year: number, rows: readonly DayRow[], changed: ReadonlySet<string>): ImportPreview['months'] {
  const calendar = new WorkingDayCalendar(rows, { firstYear: year, lastYear: year });
  const months: { month: number; days: PreviewDay[] }[] = [];
  for (let m = 1; m <= 12; m++) {
    const days: PreviewDay[] = [];
    for (let d = formatIsoDate({ year, month: m, day: 1 }); Number(d.slice(5, 7)) === m && d.startsWith(`${year}-`); d = addDays(d, 1)) {
      const info = calendar.dayInfo(d);
      days.push({ date: d, weekday: dayOfWeek(d), type: info.type, working: info.working, label: info.label, changed: changed.has(d) });
    }
    months.push({ month: m, days });
  }
  return months;
}

export function asCalendarError(err: unknown): unknown {
  if (err instanceof CalendarCoverageError) {
    return new KioskError(
      'CALENDAR_NOT_COVERED',
      { requestedYear: err.requestedYear, firstCoveredYear: err.firstCoveredYear, lastCoveredYear: err.lastCoveredYear },
      `${err.messageZh}，请管理员先录入 ${err.requestedYear} 年的节假日安排`,
    );
  }
  if (err instanceof CalendarRowError) return new KioskError('CALENDAR_INVALID', { problems: err.problems });
  if (err instanceof TypeError || err instanceof RangeError) return new KioskError('CALENDAR_INVALID', {}, err.message);
  return err;
}

function toDayRow(r: DayDbRow): DayRow {
  return {
    date: r.date,
    kind: r.kind as DayKind,
    name: r.name,
    ...(r.note !== null ? { note: r.note } : {}),
    ...(r.source !== null ? { source: r.source } : {}),
  };
}
