import type { KioskConfig } from '../../config/schema.ts';
import { type Clock, systemClock } from '../clock.ts';
import { type Db, SqliteRunner } from '../store/database.ts';
import { LocalUnitOfWork } from '../store/unit-of-work.ts';
import { CalendarStore } from '../calendar/calendar-store.ts';
import { CaseBook } from './cases.ts';
import { EvaluationOutbox, type OutboxOptions } from './outbox.ts';
import { PhoneCipher } from './phone-crypto.ts';
import { registerReasonSetTx } from './reasons.ts';
import { Evaluations } from './service.ts';
import { StaffRoster } from './staff.ts';
import { EvaluationStore, type EvaluationHall } from './store.ts';
import { writeSync, type EvaluationUnit } from './unit.ts';

/**
 * Composition of the 好差评 module. `hall` (the queue engine fits) is null on a terminal that
 * reaches the queue of another daemon: it can then record only evaluations of its own
 * self-service, in a unit of work of its own database. With the hall, every 好差评 record is in
 * the hall's store (SQLite or PostgreSQL), and so is the working-day calendar; `db` is this daemon's
 * own SQLite file. On a store that is not SQLite call `await evaluations.open()` before use.
 * The outbox is not started here: call `evaluations.outbox.start()` in the daemon (and `stop()`
 * before closing the store).
 */
export function createEvaluations(
  db: Db,
  hall: EvaluationHall | null,
  config: KioskConfig,
  clock: Clock = systemClock,
  options: OutboxOptions = {},
): Evaluations {
  const unit: EvaluationUnit = hall?.unit ?? new LocalUnitOfWork(db, config, clock);
  const register = () => registerReasonSetTx(config.evaluation.reasons, clock());
  // SQLite: stored at once, so a changed list under an old version stops the daemon at start-up.
  const reasons =
    unit.runner instanceof SqliteRunner ? writeSync(unit, register) : { version: config.evaluation.reasons.version, items: config.evaluation.reasons.items };
  // The calendar is the hall's: in the hall's store when this daemon reaches it, else (a terminal
  // of a remote queue) a copy in this terminal's file.
  const calendar = new CalendarStore(hall ? hall.unit.runner : db, clock);
  const cases = new CaseBook(calendar, config.evaluation.followUp);
  const roster = new StaffRoster(unit, config.evaluation.staff);
  const cipher = new PhoneCipher(config.evaluation.phoneKey);
  const store = new EvaluationStore(hall, unit, config, clock, { reasons, roster, cases, cipher });
  const outbox = new EvaluationOutbox(unit, config, clock, options);
  return new Evaluations(hall, unit, config, clock, { store, cases, calendar, roster, outbox, cipher, register });
}

export { Evaluations } from './service.ts';
export type { EvaluationHall } from './store.ts';
export { EvaluationOutbox, backoffMs } from './outbox.ts';
export { evaluationError, type EvaluationErrorCode } from './errors.ts';
export { exportRecord, mapRecord } from './export-record.ts';
export { statisticsTx, statisticsCsv, GROUPINGS } from './statistics.ts';
export type { EvaluationUnit } from './unit.ts';
export * from './types.ts';
