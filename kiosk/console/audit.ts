import type { Clock } from '../clock.ts';
import type { Db } from '../store/database.ts';

/** One entry of the console's audit trail. */
export interface AuditEntry {
  readonly id: number;
  readonly at: number;
  /** The console account (or the name tried, for a failed login). */
  readonly user: string;
  readonly role: string;
  /** `login`, `login-failed`, `logout`, or the HTTP method of a change. */
  readonly action: string;
  /** What was changed: the route pattern with its parameters (`POST /api/v1/alerts/7/acknowledge`). */
  readonly target: string;
  /** The reply's status: whether the change happened. */
  readonly status: number;
  /** Codes and names only (never request bodies: they may carry personal data). */
  readonly details: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/** The audit trail of the technician console (table `console_audit`); rows are never updated or deleted. */
export class ConsoleAudit {
  readonly #db: Db;
  readonly #clock: Clock;
  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  record(e: NewAuditEntry): void {
    this.#db
      .prepare('INSERT INTO console_audit (at, user, role, action, target, status, details) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(this.#clock(), e.user.slice(0, 64), e.role, e.action, e.target.slice(0, 300), e.status, JSON.stringify(e.details));
  }

  recordConfigVersion(user: string, diff: readonly unknown[]): number {
    return Number(
      this.#db.prepare('INSERT INTO console_config_versions (at, user, diff) VALUES (?, ?, ?)').run(this.#clock(), user, JSON.stringify(diff)).lastInsertRowid,
    );
  }

  configVersions(limit = 50): { id: number; at: number; user: string; diff: unknown[] }[] {
    const rows = this.#db.prepare('SELECT * FROM console_config_versions ORDER BY id DESC LIMIT ?').all(limit) as {
      id: number;
      at: number;
      user: string;
      diff: string;
    }[];
    return rows.map((r) => ({ ...r, diff: JSON.parse(r.diff) as unknown[] }));
  }

  /** Newest first. */
  list(limit = 200, beforeId?: number): AuditEntry[] {
    const rows = this.#db.prepare('SELECT * FROM console_audit WHERE id < ? ORDER BY id DESC LIMIT ?').all(beforeId ?? Number.MAX_SAFE_INTEGER, limit) as (Omit<
      AuditEntry,
      'details'
    > & { details: string })[];
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  }
}
