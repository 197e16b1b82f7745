import { randomUUID } from 'node:crypto';
import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import type { QueueReader } from '../queue/reader.ts';
import type { Db } from '../store/database.ts';
import type { UnitOfWork } from '../store/unit-of-work.ts';
import type { CaseBook, CaseRow } from './cases.ts';
import { maskStoredText } from '../identity/free-text.ts';
import { evaluationError } from './errors.ts';
import { normalisePhone, type PhoneCipher } from './phone-crypto.ts';
import { checkReasons, type ReasonSet } from './reasons.ts';
import type { StaffRoster } from './staff.ts';
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
}

/** What evaluations need of the hall's queue (the queue engine fits): its unit of work and its ticket reader. */
export interface EvaluationHall {
  readonly unit: UnitOfWork;
  readonly reader: Pick<QueueReader, 'rowSync'>;
}

/**
 * Writes evaluations. Each accepted evaluation, its outbox row, its 差评 case and its audit row are
 * one durable transaction. Records are immutable (the table refuses UPDATE and DELETE): one
 * evaluation per ticket plus at most one 追加评价, as a new row pointing at the first.
 */
export class EvaluationStore {
  #db: Db;
  #hall: EvaluationHall | null;
  #unit: UnitOfWork;
  #config: KioskConfig;
  #clock: Clock;
  #reasons: ReasonSet;
  #roster: StaffRoster;
  #cases: CaseBook;
  #cipher: PhoneCipher;
  #attempts = new Map<number, number[]>();
  #stmts;

  constructor(
    db: Db,
    hall: EvaluationHall | null,
    unit: UnitOfWork,
    config: KioskConfig,
    clock: Clock,
    deps: { reasons: ReasonSet; roster: StaffRoster; cases: CaseBook; cipher: PhoneCipher },
  ) {
    this.#db = db;
    this.#hall = hall;
    this.#unit = unit;
    this.#config = config;
    this.#clock = clock;
    this.#reasons = deps.reasons;
    this.#roster = deps.roster;
    this.#cases = deps.cases;
    this.#cipher = deps.cipher;
    this.#stmts = {
      byId: db.prepare<[number], EvaluationRow>('SELECT * FROM evaluations WHERE id = ?'),
      byRequest: db.prepare<[string], EvaluationRow>('SELECT * FROM evaluations WHERE request_id = ?'),
      byTicket: db.prepare<[number], EvaluationRow>('SELECT * FROM evaluations WHERE ticket_id = ? ORDER BY seq'),
      recentByDevice: db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM evaluations WHERE device = ? AND evaluated_at > ?'),
      insert: db.prepare(
        `INSERT INTO evaluations (uid, request_id, subject, ticket_id, seq, parent_id, day, ticket_day, channel, device, level, is_bad,
           reason_codes, reason_set_version, comment, item_code, item_name, counter_no, staff_id, staff_name, anonymous, identity_hash,
           phone_enc, evaluated_at)
         VALUES (@uid, @request_id, @subject, @ticket_id, @seq, @parent_id, @day, @ticket_day, @channel, @device, @level, @is_bad,
           @reason_codes, @reason_set_version, @comment, @item_code, @item_name, @counter_no, @staff_id, @staff_name, @anonymous,
           @identity_hash, @phone_enc, @evaluated_at)`,
      ),
      outbox: db.prepare<[number, string, number, number]>(
        "INSERT INTO evaluation_outbox (evaluation_id, idempotency_key, state, next_at, created_at) VALUES (?, ?, 'pending', ?, ?)",
      ),
      screen: db.prepare<[number, string, number | null, number | null, string, string, number | null]>(
        'INSERT INTO evaluation_screens (at, day, ticket_id, counter_no, device, kind, evaluation_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
  }

  get reasons(): ReasonSet {
    return this.#reasons;
  }

  row(id: number): EvaluationRow {
    const row = this.#stmts.byId.get(id);
    if (!row) throw evaluationError('EVALUATION_UNKNOWN', { evaluationId: id });
    return row;
  }

  forTicket(ticketId: number): EvaluationRow[] {
    return this.#stmts.byTicket.all(ticketId);
  }

  /** Evaluation of a counter's service (or of a ticket at the kiosk / by QR). */
  submitTicket(input: TicketSubmit): StoredResult {
    const hall = this.#hall;
    if (!hall) throw evaluationError('EVALUATION_UNAVAILABLE');
    this.#countAttempt(input.ticketId);
    const clean = this.#clean(input);
    return this.#unit.write((now, day) => {
      const same = this.#replay(input.requestId);
      if (same) return same;
      const ticket = hall.reader.rowSync(input.ticketId);
      if (!ticket) throw new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId: input.ticketId });
      if (input.counterNo !== undefined && ticket.counter_no !== input.counterNo) {
        throw evaluationError('EVALUATION_NOT_THIS_COUNTER', { ticketId: ticket.id, counterNo: input.counterNo });
      }
      if (ticket.status !== 'done' || ticket.done_at === null)
        throw evaluationError('EVALUATION_NOT_DONE', { ticketId: ticket.id, currentState: ticket.status });
      const earlier = this.forTicket(ticket.id);
      const first = earlier[0];
      if (earlier.length >= 2) throw evaluationError('EVALUATION_ALREADY', { ticketId: ticket.id });
      const e = this.#config.evaluation;
      if (!first && now > ticket.done_at + e.windowDays * DAY_MS) {
        throw evaluationError('EVALUATION_WINDOW_CLOSED', { ticketId: ticket.id, windowDays: e.windowDays });
      }
      if (first && now > first.evaluated_at + e.appendWindowDays * DAY_MS) {
        throw evaluationError('EVALUATION_WINDOW_CLOSED', { ticketId: ticket.id, appendWindowDays: e.appendWindowDays });
      }
      const staff = ticket.counter_no === null ? null : this.#roster.at(ticket.counter_no, ticket.done_at);
      const identity = input.anonymous ? (input.identityHash ?? null) : (input.identityHash ?? ticket.identity_hash);
      if (identity && staff && (staff.identityHash === identity || this.#roster.isStaffIdentity(identity, staff.staffId))) {
        throw evaluationError('EVALUATION_SELF', { ticketId: ticket.id });
      }
      this.#deviceLimit(input.device, now);
      const service = this.#config.services.find((s) => s.code === ticket.service_code);
      return this.#insert(now, day, clean, {
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
    });
  }

  /** Short evaluation of the kiosk's own service after a self-service task. */
  submitKiosk(input: KioskSubmit): StoredResult {
    const clean = this.#clean(input);
    return this.#write((now, day) => {
      const same = this.#replay(input.requestId);
      if (same) return same;
      this.#deviceLimit(input.device, now);
      return this.#insert(now, day, clean, {
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
  screen(kind: ScreenKind, where: { device: string; ticketId?: number | null | undefined; counterNo?: number | null | undefined }): void {
    this.#write((now, day) => {
      this.#stmts.screen.run(now, day, where.ticketId ?? null, where.counterNo ?? null, where.device, kind, null);
    });
  }

  /** Runs `fn` in one durable transaction of the unit of work (the hall's when this daemon holds the queue). */
  write<T>(fn: (now: number, day: string) => T): T {
    return this.#write(fn);
  }

  #write<T>(fn: (now: number, day: string) => T): T {
    return this.#unit.write(fn);
  }

  #clean(input: SubmitInput): CleanInput {
    const typed = input.text?.trim() || null;
    const reasons = checkReasons(this.#reasons, input.level, input.reasons, typed);
    // Stored masked: an ID or mobile number typed into the comment never reaches the database.
    const text = maskStoredText(typed, this.#config.privacy.mask);
    const phone = input.phone?.trim() ? normalisePhone(input.phone) : null;
    return { level: input.level, reasons, text, phone, requestId: input.requestId ?? null };
  }

  #replay(requestId: string | null | undefined): StoredResult | null {
    if (!requestId) return null;
    const row = this.#stmts.byRequest.get(requestId);
    return row ? { row, caseRow: this.#cases.byEvaluation(row.id) ?? null, existing: true } : null;
  }

  #deviceLimit(device: string, now: number): void {
    const n = this.#stmts.recentByDevice.get(device, now - 60_000)?.n ?? 0;
    const limit = this.#config.evaluation.rateLimits.perDevicePerMinute;
    if (n >= limit) throw evaluationError('EVALUATION_RATE_LIMITED', { device, limitPerMinute: limit });
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

  #insert(
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
  ): StoredResult {
    const uid = randomUUID();
    const realName = where.identity_hash !== null || clean.phone !== null;
    const info = this.#stmts.insert.run({
      ...where,
      uid,
      request_id: clean.requestId,
      day,
      level: clean.level,
      is_bad: isBad(clean.level) ? 1 : 0,
      reason_codes: JSON.stringify(clean.reasons),
      reason_set_version: this.#reasons.version,
      comment: clean.text,
      anonymous: realName ? 0 : 1,
      phone_enc: clean.phone ? this.#cipher.encrypt(clean.phone, uid) : null,
      evaluated_at: now,
    });
    const id = Number(info.lastInsertRowid);
    this.#stmts.outbox.run(id, uid, now, now);
    this.#stmts.screen.run(now, day, where.ticket_id, where.counter_no, where.device, 'submitted', id);
    const caseRow = isBad(clean.level) ? this.#cases.open(id, realName, now, day) : null;
    return { row: this.row(id), caseRow, existing: false };
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
