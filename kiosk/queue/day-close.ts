import type { KioskConfig } from '../../config/schema.ts';
import { addDays } from '../clock.ts';
import { run, type Tx } from '../store/sql.ts';
import type { DayCloser } from '../store/unit-of-work.ts';
import { markMissedBefore } from './appointment-misses.ts';

/**
 * What the queue does when the hall's business day rolls over (kiosk/store/unit-of-work.ts runs
 * it inside the rollover transaction): archive the old day, erase identities past retention and
 * close every counter. Returns the counts of the `day.closed` event.
 */
export function queueDayCloser(config: KioskConfig): DayCloser {
  return function* (now, closingDay, today) {
    const closed = yield* archiveDay(closingDay, today, now, config.queue.appointments.missesBeforeSuspension);
    closed.identitiesErased = yield* eraseOldIdentities(addDays(today, -config.privacy.identityRetentionDays));
    yield* run("UPDATE counters SET state = 'closed', current_ticket_id = NULL, priority_streak = 0, updated_at = ?", now);
    return closed;
  };
}

/**
 * Close a business day: nothing is deleted; tickets left open get a final state and the day is
 * marked archived. Waiting or suspended tickets are cancelled, called ones become no-shows and
 * one still being served is completed. Booked appointments nobody came for count as missed.
 */
export function* archiveDay(day: string, today: string, now: number, missLimit: number): Tx<Record<string, number>> {
  const cancel = yield* run("UPDATE tickets SET status = 'cancelled' WHERE day = ? AND status IN ('waiting','suspended')", day);
  const noShow = yield* run("UPDATE tickets SET status = 'no-show' WHERE day = ? AND status IN ('called','recalled')", day);
  const done = yield* run("UPDATE tickets SET status = 'done', done_at = ? WHERE day = ? AND status = 'serving'", now, day);
  yield* run('UPDATE days SET archived_at = ? WHERE day = ?', now, day);
  const missed = yield* markMissedBefore(today, now, missLimit);
  return { cancelled: cancel.changes, noShow: noShow.changes, autoCompleted: done.changes, missedAppointments: missed };
}

/**
 * Data minimisation: identity hashes are kept only as long as a step needs them (finding a
 * person's ticket or appointment, marking an evaluation real-name). Tickets and finished
 * appointments of days before `beforeDay` lose theirs. Booking suspensions keep theirs: the rule
 * (three misses) is about the person.
 */
export function* eraseOldIdentities(beforeDay: string): Tx<number> {
  const t = yield* run('UPDATE tickets SET identity_hash = NULL WHERE day < ? AND identity_hash IS NOT NULL', beforeDay);
  yield* run("UPDATE appointments SET identity_hash = '' WHERE day < ? AND status <> 'booked' AND identity_hash <> ''", beforeDay);
  return t.changes;
}
