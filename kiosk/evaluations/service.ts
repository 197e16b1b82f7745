import type { KioskConfig } from '../../config/schema.ts';
import { businessDay, type Clock } from '../clock.ts';
import type { DayRow, Coverage } from '../calendar/index.ts';
import type { CalendarStore } from '../calendar/calendar-store.ts';
import { all, type Param, type Tx } from '../store/sql.ts';
import { caseView, type CaseAction, type CaseActionInput, type CaseActionView, type CaseBook } from './cases.ts';
import { evaluationError } from './errors.ts';
import { exportRecord, type ExportRecord } from './export-record.ts';
import type { EvaluationOutbox } from './outbox.ts';
import type { PhoneCipher } from './phone-crypto.ts';
import { reasonSetByVersionTx, type ReasonSet } from './reasons.ts';
import type { StaffOnDuty, StaffRoster } from './staff.ts';
import { statisticsTx, type Grouping, type Statistics } from './statistics.ts';
import { evaluationTx, evaluationView, type EvaluationHall, type EvaluationStore, type EvaluationWithTicket, type StoredResult } from './store.ts';
import type { CaseStatus, CaseView, EvaluationView, KioskSubmit, ScreenKind, SubmitResult, TicketSubmit } from './types.ts';
import type { EvaluationUnit } from './unit.ts';
import { SqliteRunner } from '../store/database.ts';

export interface EvaluationParts {
  readonly store: EvaluationStore;
  readonly cases: CaseBook;
  readonly calendar: CalendarStore;
  readonly roster: StaffRoster;
  readonly outbox: EvaluationOutbox;
  readonly cipher: PhoneCipher;
  /** Stores the configured reason list (done at construction on SQLite; `open()` elsewhere). */
  readonly register: () => Tx<ReasonSet>;
}

/**
 * The 好差评 module as the HTTP layer and the daemon see it. Every method reads or writes through
 * the unit of work in transaction bodies, so it runs on SQLite and on PostgreSQL alike (no
 * synchronous, SQLite-only twin is left: callers use signInStaff, signOutStaff, staffOnDuty and
 * overdueCases).
 */
export class Evaluations {
  readonly config: KioskConfig;
  readonly store: EvaluationStore;
  readonly cases: CaseBook;
  readonly calendar: CalendarStore;
  readonly roster: StaffRoster;
  readonly outbox: EvaluationOutbox;
  /** The hall's queue when this daemon reaches its store (null on a terminal reaching it remotely). */
  readonly hall: EvaluationHall | null;
  #unit: EvaluationUnit;
  #clock: Clock;
  #cipher: PhoneCipher;
  #register: () => Tx<ReasonSet>;

  constructor(hall: EvaluationHall | null, unit: EvaluationUnit, config: KioskConfig, clock: Clock, parts: EvaluationParts) {
    this.hall = hall;
    this.#unit = unit;
    this.config = config;
    this.#clock = clock;
    this.store = parts.store;
    this.cases = parts.cases;
    this.calendar = parts.calendar;
    this.roster = parts.roster;
    this.outbox = parts.outbox;
    this.#cipher = parts.cipher;
    this.#register = parts.register;
  }

  /** Stores the configured reason list on a store that is not SQLite (there it is done at construction). Idempotent. */
  async open(): Promise<void> {
    await this.#unit.transact(() => this.#register());
    if (!(this.calendar.runner instanceof SqliteRunner)) await this.calendar.open();
  }

  /** The hall's business day now (for overdue lists and default periods). */
  today(): string {
    const now = businessDay(this.#clock(), this.config.hall.timeZone, this.config.hall.dailyResetTime);
    const day = this.#unit.day;
    return day > now ? day : now;
  }

  async submitTicket(input: TicketSubmit): Promise<SubmitResult> {
    return this.#result(await this.store.submitTicket(input));
  }

  async submitKiosk(input: KioskSubmit): Promise<SubmitResult> {
    return this.#result(await this.store.submitKiosk(input));
  }

  screen(kind: ScreenKind, where: { device: string; ticketId?: number | null | undefined; counterNo?: number | null | undefined }): Promise<void> {
    return this.store.screen(kind, where);
  }

  async get(id: number): Promise<EvaluationView> {
    const row = await this.store.row(id);
    return evaluationView(row, row.display_no);
  }

  async list(filter: {
    from: string;
    to: string;
    counterNo?: number | undefined;
    bad?: boolean | undefined;
    limit?: number | undefined;
  }): Promise<EvaluationView[]> {
    const where = ['e.day BETWEEN ? AND ?'];
    const params: Param[] = [filter.from, filter.to];
    if (filter.counterNo !== undefined) {
      where.push('e.counter_no = ?');
      params.push(filter.counterNo);
    }
    if (filter.bad !== undefined) {
      where.push('e.is_bad = ?');
      params.push(filter.bad ? 1 : 0);
    }
    params.push(filter.limit ?? 1000);
    const rows = await this.#unit.read(() =>
      all<EvaluationWithTicket>(
        `SELECT e.*, t.display_no FROM evaluations e LEFT JOIN tickets t ON t.id = e.ticket_id WHERE ${where.join(' AND ')} ORDER BY e.id LIMIT ?`,
        ...params,
      ),
    );
    return rows.map((r) => evaluationView(r, r.display_no));
  }

  /** Every evaluation of a period as export records (the CSV export), oldest first. */
  exportRecords(from: string, to: string, config: KioskConfig = this.config): Promise<ExportRecord[]> {
    return this.#unit.read(function* () {
      const rows = yield* all<EvaluationWithTicket>(
        'SELECT e.*, t.display_no FROM evaluations e LEFT JOIN tickets t ON t.id = e.ticket_id WHERE e.day BETWEEN ? AND ? ORDER BY e.id',
        from,
        to,
      );
      const sets = new Map<string, ReasonSet | undefined>();
      const out: ExportRecord[] = [];
      for (const r of rows) {
        if (!sets.has(r.reason_set_version)) sets.set(r.reason_set_version, yield* reasonSetByVersionTx(r.reason_set_version));
        out.push(exportRecord(config, r, r.display_no, sets.get(r.reason_set_version)));
      }
      return out;
    });
  }

  /** Whether a completed ticket can still be evaluated, and how (first or 追加). */
  async ticketState(ticketId: number): Promise<{ evaluations: number; canEvaluate: boolean; appendOnly: boolean }> {
    const n = (await this.store.forTicket(ticketId)).length;
    return { evaluations: n, canEvaluate: n < 2, appendOnly: n === 1 };
  }

  // ------------------------------------------------------------ staff

  signInStaff(counterNo: number, staffId: string, name?: string | null, identityHash?: string | null): Promise<StaffOnDuty> {
    return this.#unit.transact((now) => this.roster.signInTx(counterNo, staffId, now, name, identityHash));
  }

  signOutStaff(counterNo: number): Promise<void> {
    return this.#unit.transact((now) => this.roster.signOutTx(counterNo, now));
  }

  staffOnDuty(counterNo: number): Promise<StaffOnDuty | null> {
    return this.roster.current(counterNo);
  }

  // ------------------------------------------------------------ 差评 cases

  async caseList(status?: CaseStatus): Promise<CaseView[]> {
    const today = this.today();
    return (await this.#unit.read(() => this.cases.listTx({ status }))).map((r) => caseView(r, today));
  }

  async overdueCases(): Promise<CaseView[]> {
    const today = this.today();
    return (await this.#unit.read(() => this.cases.overdueTx(today))).map((r) => caseView(r, today));
  }

  async caseDetail(caseId: number): Promise<{ case: CaseView; evaluation: EvaluationView; actions: CaseActionView[] }> {
    const cases = this.cases;
    const { row, evaluation, actions } = await this.#unit.read(function* () {
      const row = yield* cases.rowTx(caseId);
      return { row, evaluation: yield* evaluationTx(row.evaluation_id), actions: yield* cases.actionsTx(caseId) };
    });
    return { case: caseView(row, this.today()), evaluation: evaluationView(evaluation, evaluation.display_no), actions };
  }

  async caseAct(caseId: number, action: CaseAction, input: CaseActionInput): Promise<CaseView> {
    const row = await this.#unit.transact((now) => this.cases.actTx(caseId, action, input, now));
    return caseView(row, this.today());
  }

  /** The 回访 phone number, decrypted for the staff member doing the 回访; the access is audited. */
  async contact(caseId: number, actor: string): Promise<{ phone: string | null; realName: boolean }> {
    const cases = this.cases;
    const evaluation = await this.#unit.transact(function* (now) {
      const row = yield* cases.rowTx(caseId);
      const evaluation = yield* evaluationTx(row.evaluation_id);
      yield* cases.noteTx(caseId, 'contact-viewed', actor, row.status, now);
      return evaluation;
    });
    return { phone: evaluation.phone_enc ? this.#cipher.decrypt(evaluation.phone_enc, evaluation.uid) : null, realName: evaluation.anonymous === 0 };
  }

  // ------------------------------------------------------------ calendar

  /**
   * A change of the working-day calendar with the refill of the case deadlines it makes
   * computable, in one transaction of the hall's store (SQLite or PostgreSQL: the calendar is the
   * hall's). The calendar is loaded again after the commit, and told to the other daemons.
   */
  async calendarChange<T>(change: (now: number) => Tx<T>): Promise<{ value: T; filledDeadlines: number }> {
    const cases = this.cases;
    try {
      return await this.#unit.transact(function* (now) {
        const value = yield* change(now);
        return { value, filledDeadlines: yield* cases.fillMissingDeadlinesTx(now) };
      });
    } finally {
      await this.calendar.changed();
    }
  }

  async setCalendarDay(row: DayRow): Promise<number> {
    return (await this.calendarChange((now) => this.calendar.setDayTx(row, undefined, now))).filledDeadlines;
  }

  async deleteCalendarDay(date: string): Promise<boolean> {
    return (await this.calendarChange((now) => this.calendar.deleteDayTx(date, undefined, now))).value;
  }

  async setCalendarCoverage(coverage: Coverage): Promise<number> {
    return (await this.calendarChange((now) => this.calendar.setCoverageTx(coverage, undefined, now))).filledDeadlines;
  }

  // ------------------------------------------------------------ statistics

  statistics(period: string, by: Grouping): Promise<Statistics> {
    return this.#unit.read(() => statisticsTx(this.config, period, by));
  }

  #result(r: StoredResult): SubmitResult {
    if (!r.existing) this.outbox.kick();
    return { evaluation: evaluationView(r.row, r.displayNo), case: r.caseRow ? caseView(r.caseRow, this.today()) : null, existing: r.existing };
  }
}

export { evaluationError };
