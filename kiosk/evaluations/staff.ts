import type { StaffConfig } from '../../config/evaluation-schema.ts';
import type { Db } from '../store/database.ts';
import { evaluationError } from './errors.ts';

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

/**
 * Who works at which counter, as sign-in sessions: an evaluation learns the staff member who was
 * signed in at the counter when the ticket was completed. Staff come from configuration (id, name,
 * optional identity hash); a staff member not in the configuration signs in with id and name.
 */
export class StaffRoster {
  #db: Db;
  #known: Map<string, StaffConfig>;
  #stmts;

  constructor(db: Db, staff: readonly StaffConfig[]) {
    this.#db = db;
    this.#known = new Map(staff.map((s) => [s.id, s]));
    this.#stmts = {
      open: db.prepare<[number], SessionRow>('SELECT * FROM staff_sessions WHERE counter_no = ? AND signed_out_at IS NULL ORDER BY id DESC LIMIT 1'),
      close: db.prepare<[number, number]>('UPDATE staff_sessions SET signed_out_at = ? WHERE counter_no = ? AND signed_out_at IS NULL'),
      closeStaff: db.prepare<[number, string]>('UPDATE staff_sessions SET signed_out_at = ? WHERE staff_id = ? AND signed_out_at IS NULL'),
      insert: db.prepare<[number, string, string, string | null, number]>(
        'INSERT INTO staff_sessions (counter_no, staff_id, staff_name, identity_hash, signed_in_at) VALUES (?, ?, ?, ?, ?)',
      ),
      at: db.prepare<[number, number, number], SessionRow>(
        `SELECT * FROM staff_sessions WHERE counter_no = ? AND signed_in_at <= ? AND (signed_out_at IS NULL OR signed_out_at > ?)
         ORDER BY signed_in_at DESC, id DESC LIMIT 1`,
      ),
    };
  }

  /** Runs inside the caller's transaction. One staff member is signed in at one counter at a time. */
  signIn(counterNo: number, staffId: string, now: number, name?: string | null, identityHash?: string | null): StaffOnDuty {
    const known = this.#known.get(staffId);
    const staffName = known?.name ?? name?.trim();
    if (!staffName) throw evaluationError('STAFF_UNKNOWN', { staffId });
    this.#stmts.close.run(now, counterNo);
    this.#stmts.closeStaff.run(now, staffId);
    this.#stmts.insert.run(counterNo, staffId, staffName, known?.identityHash ?? identityHash ?? null, now);
    return { staffId, staffName, signedInAt: now };
  }

  signOut(counterNo: number, now: number): void {
    this.#stmts.close.run(now, counterNo);
  }

  current(counterNo: number): StaffOnDuty | null {
    const row = this.#stmts.open.get(counterNo);
    return row ? { staffId: row.staff_id, staffName: row.staff_name, signedInAt: row.signed_in_at } : null;
  }

  /** The staff member signed in at the counter at a moment (e.g. when a ticket was completed). */
  at(counterNo: number, time: number): (StaffOnDuty & { identityHash: string | null }) | null {
    const row = this.#stmts.at.get(counterNo, time, time);
    return row ? { staffId: row.staff_id, staffName: row.staff_name, signedInAt: row.signed_in_at, identityHash: row.identity_hash } : null;
  }

  /** Identity hashes of every staff member known to this hall (configured or signed in). */
  isStaffIdentity(identityHash: string, staffId: string | null): boolean {
    if (staffId) {
      const known = this.#known.get(staffId);
      if (known?.identityHash === identityHash) return true;
      const row = this.#db.prepare('SELECT 1 FROM staff_sessions WHERE staff_id = ? AND identity_hash = ? LIMIT 1').get(staffId, identityHash);
      if (row) return true;
    }
    return false;
  }
}
