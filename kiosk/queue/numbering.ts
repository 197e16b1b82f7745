import { get, run, type Tx } from '../store/sql.ts';

/**
 * Ticket numbers: per service and business day, starting at `numberRange.from`, zero-padded to the
 * width of `numberRange.to`. Numbers never wrap and are never capped: past `to` they simply get one
 * digit longer (A999 → A1000), because a wrapped number would repeat within the day and the
 * policy texts forbid limiting the day's numbers (不得限号). Uniqueness is also enforced by the
 * UNIQUE (day, display_no) constraint, so a bug here fails loudly instead of duplicating.
 */
export function formatDisplayNo(prefix: string, number: number, to: number): string {
  return prefix + String(number).padStart(String(to).length, '0');
}

/**
 * The next number of a service's day, inside the issuing transaction: the counter row is bumped
 * (and so locked, on PostgreSQL, until the transaction ends) or created at `from`.
 */
export function* nextNumber(day: string, serviceCode: string, from: number): Tx<number> {
  const row = yield* get<{ last_no: number }>(
    'UPDATE number_counters SET last_no = last_no + 1 WHERE day = ? AND service_code = ? RETURNING last_no',
    day,
    serviceCode,
  );
  if (row) return row.last_no;
  yield* run('INSERT INTO number_counters (day, service_code, last_no) VALUES (?, ?, ?)', day, serviceCode, from);
  return from;
}
