import { createHash } from 'node:crypto';
import { KioskError } from '../errors.ts';
import { writeTx, type Db } from '../store/database.ts';
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

/**
 * The working-day calendar kept in the database: seeded once from chinese-days, then extended by
 * importing each year's 国务院办公厅 notice (or an ICS file / JSON list) and corrected by single-day
 * edits. Every change is audited (who, when, why). Computations past the covered years are
 * refused with CALENDAR_NOT_COVERED instead of guessing Mon-Fri.
 */
export class CalendarStore {
  #db: Db;
  #clock: () => number;
  #cached: { calendar: WorkingDayCalendar; revision: string } | null = null;

  constructor(db: Db, clock: () => number = Date.now) {
    this.#db = db;
    this.#clock = clock;
    this.#seedIfEmpty();
  }

  calendar(): WorkingDayCalendar {
    return this.#load().calendar;
  }

  /** Changes whenever a day or the coverage changes (an ETag for the hall's other terminals). */
  revision(): string {
    return this.#load().revision;
  }

  #load(): { calendar: WorkingDayCalendar; revision: string } {
    if (this.#cached) return this.#cached;
    const rows = this.rows();
    const coverage = this.coverage();
    const revision = digestOf({ coverage, rows: rows.map((r) => [r.date, r.kind, r.name, r.note ?? null]) });
    this.#cached = { calendar: new WorkingDayCalendar(rows, coverage), revision };
    return this.#cached;
  }

  coverage(): Coverage {
    const c = this.#db.prepare('SELECT first_year, last_year FROM working_calendar_coverage WHERE id = 1').get() as
      { first_year: number; last_year: number } | undefined;
    if (!c) throw new KioskError('CALENDAR_INVALID', {}, '工作日历没有覆盖范围');
    return { firstYear: c.first_year, lastYear: c.last_year };
  }

  rows(year?: number): DayRow[] {
    const all =
      year === undefined
        ? (this.#db.prepare('SELECT * FROM working_calendar_days ORDER BY date').all() as DayDbRow[])
        : (this.#db
            .prepare('SELECT * FROM working_calendar_days WHERE date >= ? AND date <= ? ORDER BY date')
            .all(`${year}-01-01`, `${year}-12-31`) as DayDbRow[]);
    return all.map(toDayRow);
  }

  snapshot(): CalendarSnapshot {
    return { revision: this.revision(), coverage: this.coverage(), days: this.rows() };
  }

  /** Add or replace one exception day (holiday, adjusted-workday or workday override). */
  setDay(row: DayRow, meta: EditMeta = SYSTEM): void {
    if (!(DAY_KINDS as readonly string[]).includes(row.kind)) {
      throw new KioskError('CALENDAR_INVALID', { kind: row.kind }, `未知的日期类型：${row.kind}`);
    }
    this.#validate([...this.rows().filter((r) => r.date !== row.date), row]);
    const before = this.#row(row.date);
    this.#tx(() => {
      this.#db
        .prepare(
          'INSERT INTO working_calendar_days (date, kind, name, note, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, note = excluded.note, source = excluded.source',
        )
        .run(row.date, row.kind, row.name, row.note ?? null, row.source ?? 'admin');
      this.#audit('set-day', meta, { date: row.date, before, after: this.#row(row.date) });
    });
  }

  deleteDay(date: string, meta: EditMeta = SYSTEM): boolean {
    const before = this.#row(date);
    if (!before) return false;
    this.#tx(() => {
      this.#db.prepare('DELETE FROM working_calendar_days WHERE date = ?').run(date);
      this.#audit('delete-day', meta, { date, before, after: null });
    });
    return true;
  }

  /** Declare which years are complete (after entering a new year's arrangement by hand). */
  setCoverage(coverage: Coverage, meta: EditMeta = SYSTEM): void {
    if (!Number.isInteger(coverage.firstYear) || !Number.isInteger(coverage.lastYear) || coverage.firstYear > coverage.lastYear) {
      throw new KioskError('CALENDAR_INVALID', { ...coverage }, '覆盖年份有误');
    }
    const before = this.coverage();
    this.#tx(() => {
      this.#writeCoverage(coverage);
      this.#audit('coverage', meta, { before, after: coverage });
    });
  }

  /** What an import would do, for the technician to confirm. Stores nothing. */
  preview(result: ImportResult): ImportPreview {
    const coverageBefore = this.coverage();
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
    const { changes, after } = year === null ? { changes: [], after: [] } : this.#changes(result);
    const months = year === null ? [] : monthsOf(year, after, new Set(changes.map((c) => c.date)));
    const committable = blockers.length === 0 && !hasBlockingIssues(result);
    return { ...result, digest: importDigest(result), committable, blockers, coverageBefore, coverageAfter, changes, months };
  }

  /**
   * Stores an import: the year's rows are replaced by the imported ones (the notice is the whole
   * arrangement of the year) and the coverage is extended to the year. Refused when the preview
   * would not allow it, or when `digest` is not the one the technician confirmed.
   */
  commitImport(
    result: ImportResult,
    meta: Omit<EditMeta, 'reason'> & { readonly digest: string; readonly input: string; readonly reason?: string },
  ): { importId: number; preview: ImportPreview } {
    const preview = this.preview(result);
    if (preview.digest !== meta.digest) throw new KioskError('CALENDAR_PREVIEW_STALE', { expected: meta.digest, actual: preview.digest });
    if (!preview.committable || preview.year === null || !preview.coverageAfter) {
      throw new KioskError('CALENDAR_IMPORT_REJECTED', { blockers: preview.blockers, unparsed: preview.unparsed, problems: preview.problems });
    }
    const year = preview.year;
    const coverageBefore = preview.coverageBefore;
    const coverageAfter = preview.coverageAfter;
    const source = (preview.source ?? preview.format).slice(0, 100);
    const importId = this.#tx(() => {
      const info = this.#db
        .prepare(
          'INSERT INTO working_calendar_imports (year, format, source, admin_user, operator, imported_at, days, changed, digest, input) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          year,
          preview.format,
          preview.source,
          meta.adminUser,
          meta.operator ?? null,
          this.#clock(),
          preview.days.length,
          preview.changes.length,
          preview.digest,
          meta.input.slice(0, MAX_INPUT_CHARS),
        );
      const id = Number(info.lastInsertRowid);
      this.#db.prepare('DELETE FROM working_calendar_days WHERE date >= ? AND date <= ?').run(`${year}-01-01`, `${year}-12-31`);
      const insert = this.#db.prepare(
        'INSERT INTO working_calendar_days (date, kind, name, note, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, note = excluded.note, source = excluded.source',
      );
      for (const d of preview.days) insert.run(d.date, d.kind, d.name, null, source);
      this.#writeCoverage(coverageAfter);
      this.#audit(
        'import',
        { ...meta, reason: meta.reason ?? `导入 ${year} 年节假日安排（${source}）` },
        {
          year,
          before: { coverage: coverageBefore },
          after: { coverage: coverageAfter, days: preview.days.length, changed: preview.changes.length },
          importId: id,
        },
      );
      return id;
    });
    return { importId, preview };
  }

  /** Replaces the whole calendar with the hall holder's copy (on a terminal of a remote queue). */
  replaceAll(snapshot: CalendarSnapshot): boolean {
    if (snapshot.revision === this.revision()) return false;
    calendarFromRows(snapshot.days, snapshot.coverage);
    this.#tx(() => {
      this.#db.prepare('DELETE FROM working_calendar_days').run();
      const insert = this.#db.prepare('INSERT INTO working_calendar_days (date, kind, name, note, source) VALUES (?, ?, ?, ?, ?)');
      for (const r of snapshot.days) insert.run(r.date, r.kind, r.name, r.note ?? null, r.source ?? null);
      this.#writeCoverage(snapshot.coverage);
      this.#audit(
        'sync',
        { adminUser: 'hall-holder', reason: '与排队主机的工作日历同步' },
        { after: { coverage: snapshot.coverage, revision: snapshot.revision } },
      );
    });
    return true;
  }

  imports(limit = 50): ImportRecord[] {
    const rows = this.#db
      .prepare(
        'SELECT id, year, format, source, admin_user, operator, imported_at, days, changed, digest FROM working_calendar_imports ORDER BY id DESC LIMIT ?',
      )
      .all(limit) as {
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
    }[];
    return rows.map((r) => ({
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
    }));
  }

  auditTrail(limit = 100): AuditEntry[] {
    const rows = this.#db.prepare('SELECT * FROM working_calendar_audit ORDER BY id DESC LIMIT ?').all(limit) as {
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
    }[];
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

  #changes(result: ImportResult): { changes: DayChange[]; after: DayRow[] } {
    const year = result.year!;
    const current = new Map(this.rows(year).map((r) => [r.date, r]));
    for (const d of result.days)
      if (!d.date.startsWith(`${year}-`)) {
        const r = this.#row(d.date);
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

  #row(date: string): DayRow | null {
    const r = this.#db.prepare('SELECT * FROM working_calendar_days WHERE date = ?').get(date) as DayDbRow | undefined;
    return r ? toDayRow(r) : null;
  }

  #writeCoverage(coverage: Coverage): void {
    this.#db
      .prepare(
        'INSERT INTO working_calendar_coverage (id, first_year, last_year) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET first_year = excluded.first_year, last_year = excluded.last_year',
      )
      .run(coverage.firstYear, coverage.lastYear);
  }

  #audit(action: AuditEntry['action'], meta: EditMeta, what: { date?: string; year?: number; before?: unknown; after?: unknown; importId?: number }): void {
    this.#db
      .prepare(
        'INSERT INTO working_calendar_audit (at, action, date, year, before, after, reason, admin_user, operator, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        this.#clock(),
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

  /** Nested inside a caller's transaction this is a savepoint; the cache is dropped either way. */
  #tx<T>(fn: () => T): T {
    try {
      return this.#db.inTransaction ? this.#db.transaction(fn)() : writeTx(this.#db, fn);
    } finally {
      this.#cached = null;
    }
  }

  #validate(rows: DayRow[]): void {
    try {
      calendarFromRows(rows, this.coverage());
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  #seedIfEmpty(): void {
    const has = this.#db.prepare('SELECT 1 FROM working_calendar_coverage WHERE id = 1').get();
    if (has) return;
    const seed = seedRowsFromChineseDays();
    const coverage = coverageOfRows(seed);
    const insert = this.#db.prepare('INSERT OR IGNORE INTO working_calendar_days (date, kind, name, note, source) VALUES (?, ?, ?, ?, ?)');
    writeTx(this.#db, () => {
      for (const r of seed) insert.run(r.date, r.kind, r.name, r.note ?? null, r.source ?? null);
      if (coverage) {
        this.#db
          .prepare('INSERT OR IGNORE INTO working_calendar_coverage (id, first_year, last_year) VALUES (1, ?, ?)')
          .run(coverage.firstYear, coverage.lastYear);
      }
    });
  }
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
