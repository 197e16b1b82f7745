import { clockToMinutes } from '../clock.ts';
import { all, run, type Tx } from '../store/sql.ts';

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
export function* markMissedBefore(today: string, now: number, limit: number): Tx<number> {
  const days = yield* all<{ day: string }>("SELECT DISTINCT day FROM appointments WHERE day < ? AND status = 'booked'", today);
  let n = 0;
  for (const d of days) n += yield* markMissedAppointments(d.day, null, now, limit);
  return n;
}

/**
 * Marks booked appointments of `day` as missed: all of them when `beforeMinute` is null (the day
 * is closing), otherwise those whose window ended before that minute. Part of a transaction body.
 */
export function* markMissedAppointments(day: string, beforeMinute: number | null, now: number, limit: number): Tx<number> {
  const rows = yield* all<BookedRow>("SELECT id, identity_hash, window_end FROM appointments WHERE day = ? AND status = 'booked'", day);
  let n = 0;
  for (const row of rows) {
    if (beforeMinute !== null && clockToMinutes(row.window_end) >= beforeMinute) continue;
    yield* run("UPDATE appointments SET status = 'missed' WHERE id = ?", row.id);
    yield* recordMiss(row.identity_hash, now, limit);
    n++;
  }
  return n;
}

export function* recordMiss(identityHash: string, now: number, limit: number): Tx<void> {
  yield* run(
    `INSERT INTO booking_records (identity_hash, missed) VALUES (?, 1)
     ON CONFLICT (identity_hash) DO UPDATE SET missed = booking_records.missed + 1`,
    identityHash,
  );
  yield* run('UPDATE booking_records SET suspended_at = ? WHERE identity_hash = ? AND missed >= ? AND suspended_at IS NULL', now, identityHash, limit);
}
