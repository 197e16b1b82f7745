import type { KioskConfig } from '../../config/schema.ts';
import { businessDay, type Clock } from '../clock.ts';
import type { DayRow, Coverage } from '../calendar/index.ts';
import type { Db } from '../store/database.ts';
import type { UnitOfWork } from '../store/unit-of-work.ts';
import type { CalendarStore } from '../calendar/calendar-store.ts';
import { caseView, type CaseAction, type CaseActionInput, type CaseBook } from './cases.ts';
import { evaluationError } from './errors.ts';
import type { EvaluationOutbox } from './outbox.ts';
import type { PhoneCipher } from './phone-crypto.ts';
import type { StaffOnDuty, StaffRoster } from './staff.ts';
import { statistics, type Grouping, type Statistics } from './statistics.ts';
import { evaluationView, type EvaluationHall, type EvaluationRow, type EvaluationStore, type StoredResult } from './store.ts';
import type { CaseStatus, CaseView, EvaluationView, KioskSubmit, ScreenKind, SubmitResult, TicketSubmit } from './types.ts';

export interface EvaluationParts {
  readonly store: EvaluationStore;
  readonly cases: CaseBook;
  readonly calendar: CalendarStore;
  readonly roster: StaffRoster;
  readonly outbox: EvaluationOutbox;
  readonly cipher: PhoneCipher;
}

/** The 好差评 module as the HTTP layer and the daemon see it. */
export class Evaluations {
  readonly config: KioskConfig;
  readonly store: EvaluationStore;
  readonly cases: CaseBook;
  readonly calendar: CalendarStore;
  readonly roster: StaffRoster;
  readonly outbox: EvaluationOutbox;
  /** The hall's queue when this daemon holds it (null on a terminal reaching it remotely). */
  readonly hall: EvaluationHall | null;
  #unit: UnitOfWork;
  #db: Db;
  #clock: Clock;
  #cipher: PhoneCipher;

  constructor(db: Db, hall: EvaluationHall | null, unit: UnitOfWork, config: KioskConfig, clock: Clock, parts: EvaluationParts) {
    this.#db = db;
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
  }

  /** The hall's business day now (for overdue lists and default periods). */
  today(): string {
    const now = businessDay(this.#clock(), this.config.hall.timeZone, this.config.hall.dailyResetTime);
    const day = this.#unit.day;
    return day > now ? day : now;
  }

  submitTicket(input: TicketSubmit): SubmitResult {
    return this.#result(this.store.submitTicket(input));
  }

  submitKiosk(input: KioskSubmit): SubmitResult {
    return this.#result(this.store.submitKiosk(input));
  }

  screen(kind: ScreenKind, where: { device: string; ticketId?: number | null | undefined; counterNo?: number | null | undefined }): void {
    this.store.screen(kind, where);
  }

  get(id: number): EvaluationView {
    return this.#view(this.store.row(id));
  }

  list(filter: { from: string; to: string; counterNo?: number | undefined; bad?: boolean | undefined; limit?: number | undefined }): EvaluationView[] {
    const rows = this.#db
      .prepare(
        `SELECT e.*, t.display_no FROM evaluations e LEFT JOIN tickets t ON t.id = e.ticket_id
         WHERE e.day BETWEEN @from AND @to AND (@counterNo IS NULL OR e.counter_no = @counterNo) AND (@bad IS NULL OR e.is_bad = @bad)
         ORDER BY e.id LIMIT @limit`,
      )
      .all({
        from: filter.from,
        to: filter.to,
        counterNo: filter.counterNo ?? null,
        bad: filter.bad === undefined ? null : filter.bad ? 1 : 0,
        limit: filter.limit ?? 1000,
      }) as (EvaluationRow & {
      display_no: string | null;
    })[];
    return rows.map((r) => evaluationView(r, r.display_no));
  }

  /** Whether a completed ticket can still be evaluated, and how (first or 追加). */
  ticketState(ticketId: number): { evaluations: number; canEvaluate: boolean; appendOnly: boolean } {
    const n = this.store.forTicket(ticketId).length;
    return { evaluations: n, canEvaluate: n < 2, appendOnly: n === 1 };
  }

  // ------------------------------------------------------------ staff

  signIn(counterNo: number, staffId: string, name?: string | null, identityHash?: string | null): StaffOnDuty {
    return this.store.write((now) => this.roster.signIn(counterNo, staffId, now, name, identityHash));
  }

  signOut(counterNo: number): void {
    this.store.write((now) => this.roster.signOut(counterNo, now));
  }

  staffAt(counterNo: number): StaffOnDuty | null {
    return this.roster.current(counterNo);
  }

  // ------------------------------------------------------------ 差评 cases

  caseList(status?: CaseStatus): CaseView[] {
    const today = this.today();
    return this.cases.list({ status }).map((r) => caseView(r, today));
  }

  overdue(): CaseView[] {
    const today = this.today();
    return this.cases.overdue(today).map((r) => caseView(r, today));
  }

  caseDetail(caseId: number): { case: CaseView; evaluation: EvaluationView; actions: ReturnType<CaseBook['actions']> } {
    const row = this.cases.row(caseId);
    return { case: caseView(row, this.today()), evaluation: this.get(row.evaluation_id), actions: this.cases.actions(caseId) };
  }

  caseAct(caseId: number, action: CaseAction, input: CaseActionInput): CaseView {
    const row = this.store.write((now) => this.cases.act(caseId, action, input, now));
    return caseView(row, this.today());
  }

  /** The 回访 phone number, decrypted for the staff member doing the 回访; the access is audited. */
  contact(caseId: number, actor: string): { phone: string | null; realName: boolean } {
    const row = this.cases.row(caseId);
    const evaluation = this.store.row(row.evaluation_id);
    this.store.write((now) => {
      this.#db
        .prepare(
          "INSERT INTO evaluation_case_actions (case_id, at, action, actor, from_status, to_status, details) VALUES (?, ?, 'contact-viewed', ?, ?, ?, '{}')",
        )
        .run(caseId, now, actor, row.status, row.status);
    });
    return { phone: evaluation.phone_enc ? this.#cipher.decrypt(evaluation.phone_enc, evaluation.uid) : null, realName: evaluation.anonymous === 0 };
  }

  // ------------------------------------------------------------ calendar

  setCalendarDay(row: DayRow): number {
    return this.store.write((now) => {
      this.calendar.setDay(row);
      return this.cases.fillMissingDeadlines(now);
    });
  }

  deleteCalendarDay(date: string): boolean {
    return this.store.write(() => this.calendar.deleteDay(date));
  }

  setCalendarCoverage(coverage: Coverage): number {
    return this.store.write((now) => {
      this.calendar.setCoverage(coverage);
      return this.cases.fillMissingDeadlines(now);
    });
  }

  // ------------------------------------------------------------ statistics

  statistics(period: string, by: Grouping): Statistics {
    return statistics(this.#db, this.config, period, by);
  }

  #view(row: EvaluationRow): EvaluationView {
    const displayNo = row.ticket_id === null ? null : (this.hall?.reader.rowSync(row.ticket_id)?.display_no ?? null);
    return evaluationView(row, displayNo);
  }

  #result(r: StoredResult): SubmitResult {
    if (!r.existing) this.outbox.kick();
    return { evaluation: this.#view(r.row), case: r.caseRow ? caseView(r.caseRow, this.today()) : null, existing: r.existing };
  }
}

export { evaluationError };
