import type { StaffConfig } from '../../config/evaluation-schema.ts';
import { all, get, run, type Tx } from '../store/sql.ts';
import { evaluationError } from './errors.ts';
import type { EvaluationUnit } from './unit.ts';

export interface StaffOnDuty {
  readonly staffId: string;
  readonly staffName: string;
  readonly signedInAt: number;
}

interface SessionRow {
  id: number;
  counter_no: number;
  staff_id: string;
  staff_name: string;
  identity_hash: string | null;
  signed_in_at: number;
  signed_out_at: number | null;
}

const OPEN = 'SELECT * FROM staff_sessions WHERE counter_no = ? AND signed_out_at IS NULL ORDER BY id DESC LIMIT 1';
const CLOSE = 'UPDATE staff_sessions SET signed_out_at = ? WHERE counter_no = ? AND signed_out_at IS NULL';
const CLOSE_STAFF = 'UPDATE staff_sessions SET signed_out_at = ? WHERE staff_id = ? AND signed_out_at IS NULL';
const INSERT = 'INSERT INTO staff_sessions (counter_no, staff_id, staff_name, identity_hash, signed_in_at) VALUES (?, ?, ?, ?, ?)';
const AT = `SELECT * FROM staff_sessions WHERE counter_no = ? AND signed_in_at <= ? AND (signed_out_at IS NULL OR signed_out_at > ?)
  ORDER BY signed_in_at DESC, id DESC LIMIT 1`;

/**
 * Who works at which counter, as sign-in sessions: an evaluation learns the staff member who was
 * signed in at the counter when the ticket was completed. Staff come from configuration (id, name,
 * optional identity hash); a staff member not in the configuration signs in with id and name.
 */
export class StaffRoster {
  #unit: EvaluationUnit;
  #known: Map<string, StaffConfig>;

  constructor(unit: EvaluationUnit, staff: readonly StaffConfig[]) {
    this.#unit = unit;
    this.#known = new Map(staff.map((s) => [s.id, s]));
  }

  /** Inside the caller's transaction. One staff member is signed in at one counter at a time. */
  *signInTx(counterNo: number, staffId: string, now: number, name?: string | null, identityHash?: string | null): Tx<StaffOnDuty> {
    const known = this.#known.get(staffId);
    const staffName = known?.name ?? name?.trim();
    if (!staffName) throw evaluationError('STAFF_UNKNOWN', { staffId });
    yield* run(CLOSE, now, counterNo);
    yield* run(CLOSE_STAFF, now, staffId);
    yield* run(INSERT, counterNo, staffId, staffName, known?.identityHash ?? identityHash ?? null, now);
    return { staffId, staffName, signedInAt: now };
  }

  *signOutTx(counterNo: number, now: number): Tx<void> {
    yield* run(CLOSE, now, counterNo);
  }

  *currentTx(counterNo: number): Tx<StaffOnDuty | null> {
    const row = yield* get<SessionRow>(OPEN, counterNo);
    return row ? { staffId: row.staff_id, staffName: row.staff_name, signedInAt: row.signed_in_at } : null;
  }

  /** The staff member signed in at the counter at a moment (e.g. when a ticket was completed). */
  *atTx(counterNo: number, time: number): Tx<(StaffOnDuty & { identityHash: string | null }) | null> {
    const row = yield* get<SessionRow>(AT, counterNo, time, time);
    return row ? { staffId: row.staff_id, staffName: row.staff_name, signedInAt: row.signed_in_at, identityHash: row.identity_hash } : null;
  }

  /**
   * Who was signed in where, for a whole period at once: the sessions that overlap [from, to] (ms)
   * loaded in one statement, answered from memory — what the queue statistics ask of every event
   * without a query each (kiosk/statistics queueStatisticsTx).
   */
  *lookupTx(from: number, to: number): Tx<(counterNo: number, time: number) => StaffOnDuty | null> {
    const rows = yield* all<SessionRow>(
      'SELECT * FROM staff_sessions WHERE signed_in_at <= ? AND (signed_out_at IS NULL OR signed_out_at > ?) ORDER BY signed_in_at DESC, id DESC',
      to,
      from,
    );
    return (counterNo, time) => {
      const row = rows.find((r) => r.counter_no === counterNo && r.signed_in_at <= time && (r.signed_out_at === null || r.signed_out_at > time));
      return row ? { staffId: row.staff_id, staffName: row.staff_name, signedInAt: row.signed_in_at } : null;
    };
  }

  /** Whether an identity hash is the staff member's (configured, or given at one of their sign-ins). */
  *isStaffIdentityTx(identityHash: string, staffId: string | null): Tx<boolean> {
    if (!staffId) return false;
    if (this.#known.get(staffId)?.identityHash === identityHash) return true;
    return (yield* get('SELECT 1 AS one FROM staff_sessions WHERE staff_id = ? AND identity_hash = ? LIMIT 1', staffId, identityHash)) !== undefined;
  }

  current(counterNo: number): Promise<StaffOnDuty | null> {
    return this.#unit.read(() => this.currentTx(counterNo));
  }

  /** The staff member at a counter at a moment, on either engine. */
  staffAt(counterNo: number, time: number): Promise<(StaffOnDuty & { identityHash: string | null }) | null> {
    return this.#unit.read(() => this.atTx(counterNo, time));
  }
}
