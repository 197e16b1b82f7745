import { clockToMinutes } from '../clock.ts';
import type { Db } from '../store/database.ts';

/**
 * 预约 misses (seed 004: 三次放弃预约的，不再为该申请人提供预约服务): marking bookings nobody checked
 * in for as missed and counting misses per person. Used by check-in (too late), the periodic sweep
 * and the day's close; it runs inside its caller's transaction.
 */
interface BookedRow {
  id: number;
  identity_hash: string;
  window_end: string;
}

/** At a day's close: every booking of an earlier day still open is missed (days may be skipped). */
export function markMissedBefore(db: Db, today: string, now: number, limit: number): number {
  const days = db.prepare("SELECT DISTINCT day FROM appointments WHERE day < ? AND status = 'booked'").all(today) as { day: string }[];
  return days.reduce((n, d) => n + markMissedAppointments(db, d.day, null, now, limit), 0);
}

/**
 * Marks booked appointments of `day` as missed: all of them when `beforeMinute` is null (the day
 * is closing), otherwise those whose window ended before that minute. Runs inside a transaction.
 */
export function markMissedAppointments(db: Db, day: string, beforeMinute: number | null, now: number, limit: number): number {
  const rows = db.prepare("SELECT id, identity_hash, window_end FROM appointments WHERE day = ? AND status = 'booked'").all(day) as BookedRow[];
  let n = 0;
  for (const row of rows) {
    if (beforeMinute !== null && clockToMinutes(row.window_end) >= beforeMinute) continue;
    db.prepare("UPDATE appointments SET status = 'missed' WHERE id = ?").run(row.id);
    recordMiss(db, row.identity_hash, now, limit);
    n++;
  }
  return n;
}

export function recordMiss(db: Db, identityHash: string, now: number, limit: number): void {
  db.prepare(
    `INSERT INTO booking_records (identity_hash, missed) VALUES (?, 1)
     ON CONFLICT (identity_hash) DO UPDATE SET missed = missed + 1`,
  ).run(identityHash);
  db.prepare('UPDATE booking_records SET suspended_at = ? WHERE identity_hash = ? AND missed >= ? AND suspended_at IS NULL').run(now, identityHash, limit);
}
