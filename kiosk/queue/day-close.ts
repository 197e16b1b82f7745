import type { KioskConfig } from '../../config/schema.ts';
import { addDays } from '../clock.ts';
import type { Db } from '../store/database.ts';
import type { DayCloser } from '../store/unit-of-work.ts';
import { markMissedBefore } from './appointment-misses.ts';

/**
 * What the queue does when the hall's business day rolls over (kiosk/store/unit-of-work.ts runs
 * it inside the rollover transaction): archive the old day, erase identities past retention and
 * close every counter. Returns the counts of the `day.closed` event.
 */
export function queueDayCloser(db: Db, config: KioskConfig): DayCloser {
  const closeCounters = db.prepare("UPDATE counters SET state = 'closed', current_ticket_id = NULL, priority_streak = 0, updated_at = ?");
  return (now, closingDay, today) => {
    const closed = archiveDay(db, closingDay, today, now, config.queue.appointments.missesBeforeSuspension);
    closed.identitiesErased = eraseOldIdentities(db, addDays(today, -config.privacy.identityRetentionDays));
    closeCounters.run(now);
    return closed;
  };
}

/**
 * Close a business day: nothing is deleted; tickets left open get a final state and the day is
 * marked archived. Waiting or suspended tickets are cancelled, called ones become no-shows and
 * one still being served is completed. Booked appointments nobody came for count as missed.
 */
export function archiveDay(db: Db, day: string, today: string, now: number, missLimit: number): Record<string, number> {
  const cancel = db.prepare("UPDATE tickets SET status = 'cancelled' WHERE day = ? AND status IN ('waiting','suspended')").run(day);
  const noShow = db.prepare("UPDATE tickets SET status = 'no-show' WHERE day = ? AND status IN ('called','recalled')").run(day);
  const done = db.prepare("UPDATE tickets SET status = 'done', done_at = ? WHERE day = ? AND status = 'serving'").run(now, day);
  db.prepare('UPDATE days SET archived_at = ? WHERE day = ?').run(now, day);
  const missed = markMissedBefore(db, today, now, missLimit);
  return { cancelled: cancel.changes, noShow: noShow.changes, autoCompleted: done.changes, missedAppointments: missed };
}

/**
 * Data minimisation: identity hashes are kept only as long as a step needs them (finding a
 * person's ticket or appointment, marking an evaluation real-name). Tickets and finished
 * appointments of days before `beforeDay` lose theirs. Booking suspensions keep theirs: the rule
 * (three misses) is about the person.
 */
export function eraseOldIdentities(db: Db, beforeDay: string): number {
  const t = db.prepare('UPDATE tickets SET identity_hash = NULL WHERE day < ? AND identity_hash IS NOT NULL').run(beforeDay);
  db.prepare("UPDATE appointments SET identity_hash = '' WHERE day < ? AND status <> 'booked' AND identity_hash <> ''").run(beforeDay);
  return t.changes;
}
