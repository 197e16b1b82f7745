import { randomUUID } from 'node:crypto';
import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import type { TicketRow } from '../queue/ticket-rows.ts';
import { all, get, run, type Tx } from '../store/sql.ts';
import type { CaseBook, CaseRow } from './cases.ts';
import { maskStoredText } from '../identity/free-text.ts';
import { evaluationError } from './errors.ts';
import { normalisePhone, type PhoneCipher } from './phone-crypto.ts';
import { checkReasons, type ReasonSet } from './reasons.ts';
import type { StaffRoster } from './staff.ts';
import type { EvaluationUnit } from './unit.ts';
import {
  isBad,
  type Channel,
  type EvaluationView,
  type KioskSubmit,
  type Level,
  type ScreenKind,
  type Subject,
  type SubmitInput,
  type TicketSubmit,
} from './types.ts';

const DAY_MS = 86_400_000;
const TICKET_WINDOW_MS = 10 * 60_000;

export interface EvaluationRow {
  id: number;
  uid: string;
  request_id: string | null;
  subject: Subject;
  ticket_id: number | null;
  seq: number;
  parent_id: number | null;
  day: string;
  ticket_day: string | null;
  channel: Channel;
  device: string;
  level: Level;
  is_bad: number;
  reason_codes: string;
  reason_set_version: string;
  comment: string | null;
  item_code: string | null;
  item_name: string | null;
  counter_no: number | null;
  staff_id: string | null;
  staff_name: string | null;
  anonymous: number;
  identity_hash: string | null;
  phone_enc: string | null;
  evaluated_at: number;
}

interface CleanInput {
  level: Level;
  reasons: string[];
  text: string | null;
  phone: string | null;
  requestId: string | null;
}

export interface StoredResult {
  readonly row: EvaluationRow;
  readonly caseRow: CaseRow | null;
  readonly existing: boolean;
  /** The rated ticket's number (null for the kiosk's own service). */
  readonly displayNo: string | null;
}

/** What evaluations need of the hall's queue (the queue engine fits): its unit of work. */
export interface EvaluationHall {
  readonly unit: EvaluationUnit;
}

/** An evaluation with its ticket's number. */
export type EvaluationWithTicket = EvaluationRow & { display_no: string | null };

const WITH_TICKET = 'SELECT e.*, t.display_no FROM evaluations e LEFT JOIN tickets t ON t.id = e.ticket_id';
const INSERT = `INSERT INTO evaluations (uid, request_id, subject, ticket_id, seq, parent_id, day, ticket_day, channel, device, level, is_bad,
    reason_codes, reason_set_version, comment, item_code, item_name, counter_no, staff_id, staff_name, anonymous, identity_hash,
    phone_enc, evaluated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`;
const OUTBOX = "INSERT INTO evaluation_outbox (evaluation_id, idempotency_key, state, next_at, created_at) VALUES (?, ?, 'pending', ?, ?)";
const SCREEN = 'INSERT INTO evaluation_screens (at, day, ticket_id, counter_no, device, kind, evaluation_id) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** The evaluation with this id (and its ticket's number), inside a body. */
export function* evaluationTx(id: number): Tx<EvaluationWithTicket> {
  const row = yield* get<EvaluationWithTicket>(`${WITH_TICKET} WHERE e.id = ?`, id);
  if (!row) throw evaluationError('EVALUATION_UNKNOWN', { evaluationId: id });
  return row;
}

/**
 * Writes evaluations. Each accepted evaluation, its outbox row, its 差评 case and its audit row are
 * one durable transaction of the unit of work (a body, on SQLite or PostgreSQL). Records are
 * immutable (the table refuses UPDATE and DELETE): one evaluation per ticket plus at most one
 * 追加评价, as a new row pointing at the first.
 */
export class EvaluationStore {
  #hall: EvaluationHall | null;
  #unit: EvaluationUnit;
  #config: KioskConfig;
  #clock: Clock;
  #reasons: ReasonSet;
  #roster: StaffRoster;
  #cases: CaseBook;
  #cipher: PhoneCipher;
  #attempts = new Map<number, number[]>();

  constructor(
    hall: EvaluationHall | null,
    unit: EvaluationUnit,
    config: KioskConfig,
    clock: Clock,
    deps: { reasons: ReasonSet; roster: StaffRoster; cases: CaseBook; cipher: PhoneCipher },
  ) {
    this.#hall = hall;
    this.#unit = unit;
    this.#config = config;
    this.#clock = clock;
    this.#reasons = deps.reasons;
    this.#roster = deps.roster;
    this.#cases = deps.cases;
    this.#cipher = deps.cipher;
  }

  get reasons(): ReasonSet {
    return this.#reasons;
  }

  row(id: number): Promise<EvaluationWithTicket> {
    return this.#unit.read(() => evaluationTx(id));
  }

  forTicket(ticketId: number): Promise<EvaluationRow[]> {
    return this.#unit.read(() => this.forTicketTx(ticketId));
  }

  *forTicketTx(ticketId: number): Tx<EvaluationRow[]> {
    return yield* all<EvaluationRow>('SELECT * FROM evaluations WHERE ticket_id = ? ORDER BY seq', ticketId);
  }

  /** Evaluation of a counter's service (or of a ticket at the kiosk / by QR). */
  submitTicket(input: TicketSubmit): Promise<StoredResult> {
    if (!this.#hall) return Promise.reject(evaluationError('EVALUATION_UNAVAILABLE'));
    try {
      this.#countAttempt(input.ticketId);
    } catch (err) {
      return Promise.reject(err);
    }
    const self = this;
    return this.#unit.transact(function* (now, day) {
      const clean = self.#clean(input);
      const same = yield* self.#replay(input.requestId);
      if (same) return same;
      const ticket = yield* get<TicketRow>('SELECT * FROM tickets WHERE id = ?', input.ticketId);
      if (!ticket) throw new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId: input.ticketId });
      if (input.counterNo !== undefined && ticket.counter_no !== input.counterNo) {
        throw evaluationError('EVALUATION_NOT_THIS_COUNTER', { ticketId: ticket.id, counterNo: input.counterNo });
      }
      if (ticket.status !== 'done' || ticket.done_at === null)
        throw evaluationError('EVALUATION_NOT_DONE', { ticketId: ticket.id, currentState: ticket.status });
      const earlier = yield* self.forTicketTx(ticket.id);
      const first = earlier[0];
      if (earlier.length >= 2) throw evaluationError('EVALUATION_ALREADY', { ticketId: ticket.id });
      const e = self.#config.evaluation;
      if (!first && now > ticket.done_at + e.windowDays * DAY_MS) {
        throw evaluationError('EVALUATION_WINDOW_CLOSED', { ticketId: ticket.id, windowDays: e.windowDays });
      }
      if (first && now > first.evaluated_at + e.appendWindowDays * DAY_MS) {
        throw evaluationError('EVALUATION_WINDOW_CLOSED', { ticketId: ticket.id, appendWindowDays: e.appendWindowDays });
      }
      const staff = ticket.counter_no === null ? null : yield* self.#roster.atTx(ticket.counter_no, ticket.done_at);
      const identity = input.anonymous ? (input.identityHash ?? null) : (input.identityHash ?? ticket.identity_hash);
      if (identity && staff && (staff.identityHash === identity || (yield* self.#roster.isStaffIdentityTx(identity, staff.staffId)))) {
        throw evaluationError('EVALUATION_SELF', { ticketId: ticket.id });
      }
      yield* self.#deviceLimit(input.device, now);
      const service = self.#config.services.find((s) => s.code === ticket.service_code);
      const stored = yield* self.#insert(now, day, clean, {
        subject: 'counter',
        ticket_id: ticket.id,
        seq: first ? 2 : 1,
        parent_id: first?.id ?? null,
        ticket_day: ticket.day,
        channel: input.channel,
        device: input.device,
        item_code: ticket.service_code,
        item_name: service?.name ?? ticket.service_code,
        counter_no: ticket.counter_no,
        staff_id: staff?.staffId ?? null,
        staff_name: staff?.staffName ?? null,
        identity_hash: identity,
      });
      return { ...stored, displayNo: ticket.display_no };
    });
  }

  /** Short evaluation of the kiosk's own service after a self-service task. */
  submitKiosk(input: KioskSubmit): Promise<StoredResult> {
    const self = this;
    return this.#unit.transact(function* (now, day) {
      const clean = self.#clean(input);
      const same = yield* self.#replay(input.requestId);
      if (same) return same;
      yield* self.#deviceLimit(input.device, now);
      return yield* self.#insert(now, day, clean, {
        subject: 'kiosk',
        ticket_id: null,
        seq: 1,
        parent_id: null,
        ticket_day: null,
        channel: 'kiosk',
        device: input.device,
        // Sent by the kiosk UI: free text as far as the daemon knows, stored masked.
        item_code: maskStoredText(input.itemCode ?? null),
        item_name: maskStoredText(input.itemName ?? null),
        counter_no: null,
        staff_id: null,
        staff_name: null,
        identity_hash: input.anonymous ? null : (input.identityHash ?? null),
      });
    });
  }

  /** Audit trail: an evaluation screen was shown, timed out (未评价) or was skipped. */
  async screen(kind: ScreenKind, where: { device: string; ticketId?: number | null | undefined; counterNo?: number | null | undefined }): Promise<void> {
    await this.#unit.transact(function* (now, day) {
      yield* run(SCREEN, now, day, where.ticketId ?? null, where.counterNo ?? null, where.device, kind, null);
    });
  }

  /** Runs the body `fn` builds in one durable transaction of the unit of work (the hall's when this daemon reaches the queue's store). */
  transact<T>(fn: (now: number, day: string) => Tx<T>): Promise<T> {
    return this.#unit.transact(fn);
  }

  #clean(input: SubmitInput): CleanInput {
    const typed = input.text?.trim() || null;
    const reasons = checkReasons(this.#reasons, input.level, input.reasons, typed);
    // Stored masked: an ID or mobile number typed into the comment never reaches the database.
    const text = maskStoredText(typed, this.#config.privacy.mask);
    const phone = input.phone?.trim() ? normalisePhone(input.phone) : null;
    return { level: input.level, reasons, text, phone, requestId: input.requestId ?? null };
  }

  *#replay(requestId: string | null | undefined): Tx<StoredResult | null> {
    if (!requestId) return null;
    const row = yield* get<EvaluationWithTicket>(`${WITH_TICKET} WHERE e.request_id = ?`, requestId);
    if (!row) return null;
    const { display_no: displayNo, ...evaluation } = row;
    return { row: evaluation, caseRow: (yield* this.#cases.byEvaluationTx(row.id)) ?? null, existing: true, displayNo };
  }

  *#deviceLimit(device: string, now: number): Tx<void> {
    const n = (yield* get<{ n: number }>('SELECT COUNT(*) AS n FROM evaluations WHERE device = ? AND evaluated_at > ?', device, now - 60_000))?.n ?? 0;
    const limit = this.#config.evaluation.rateLimits.perDevicePerMinute;
    if (Number(n) >= limit) throw evaluationError('EVALUATION_RATE_LIMITED', { device, limitPerMinute: limit });
  }

  /** Per-ticket attempts (accepted or refused) in a sliding 10-minute window, kept in memory. */
  #countAttempt(ticketId: number): void {
    const now = this.#clock();
    const recent = (this.#attempts.get(ticketId) ?? []).filter((t) => t > now - TICKET_WINDOW_MS);
    if (recent.length >= this.#config.evaluation.rateLimits.perTicketAttempts) {
      throw evaluationError('EVALUATION_RATE_LIMITED', { ticketId });
    }
    recent.push(now);
    this.#attempts.set(ticketId, recent);
    if (this.#attempts.size > 10_000) {
      for (const [k, v] of this.#attempts) if (!v.some((t) => t > now - TICKET_WINDOW_MS)) this.#attempts.delete(k);
    }
  }

  *#insert(
    now: number,
    day: string,
    clean: CleanInput,
    where: Pick<
      EvaluationRow,
      | 'subject'
      | 'ticket_id'
      | 'seq'
      | 'parent_id'
      | 'ticket_day'
      | 'channel'
      | 'device'
      | 'item_code'
      | 'item_name'
      | 'counter_no'
      | 'staff_id'
      | 'staff_name'
      | 'identity_hash'
    >,
  ): Tx<StoredResult> {
    const uid = randomUUID();
    const realName = where.identity_hash !== null || clean.phone !== null;
    const row = (yield* get<EvaluationRow>(
      INSERT,
      uid,
      clean.requestId,
      where.subject,
      where.ticket_id,
      where.seq,
      where.parent_id,
      day,
      where.ticket_day,
      where.channel,
      where.device,
      clean.level,
      isBad(clean.level) ? 1 : 0,
      JSON.stringify(clean.reasons),
      this.#reasons.version,
      clean.text,
      where.item_code,
      where.item_name,
      where.counter_no,
      where.staff_id,
      where.staff_name,
      realName ? 0 : 1,
      where.identity_hash,
      clean.phone ? this.#cipher.encrypt(clean.phone, uid) : null,
      now,
    )) as EvaluationRow;
    yield* run(OUTBOX, row.id, uid, now, now);
    yield* run(SCREEN, now, day, where.ticket_id, where.counter_no, where.device, 'submitted', row.id);
    const caseRow = isBad(clean.level) ? yield* this.#cases.openTx(row.id, realName, now, day) : null;
    return { row, caseRow, existing: false, displayNo: null };
  }
}

export function evaluationView(row: EvaluationRow, displayNo: string | null): EvaluationView {
  return {
    id: row.id,
    uid: row.uid,
    subject: row.subject,
    ticketId: row.ticket_id,
    displayNo,
    seq: row.seq,
    parentId: row.parent_id,
    day: row.day,
    channel: row.channel,
    level: row.level,
    bad: row.is_bad === 1,
    reasons: JSON.parse(row.reason_codes) as string[],
    reasonSetVersion: row.reason_set_version,
    text: row.comment,
    itemCode: row.item_code,
    itemName: row.item_name,
    counterNo: row.counter_no,
    staffId: row.staff_id,
    staffName: row.staff_name,
    anonymous: row.anonymous === 1,
    realName: row.anonymous === 0,
    evaluatedAt: row.evaluated_at,
  };
}
