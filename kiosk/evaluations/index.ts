import type { KioskConfig } from '../../config/schema.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { Db } from '../store/database.ts';
import { LocalUnitOfWork } from '../store/unit-of-work.ts';
import { CalendarStore } from '../calendar/calendar-store.ts';
import { CaseBook } from './cases.ts';
import { EvaluationOutbox, type OutboxOptions } from './outbox.ts';
import { PhoneCipher } from './phone-crypto.ts';
import { registerReasonSet } from './reasons.ts';
import { Evaluations } from './service.ts';
import { StaffRoster } from './staff.ts';
import { EvaluationStore, type EvaluationHall } from './store.ts';

/**
 * Composition of the 好差评 module. `hall` (the queue engine fits) is null on a terminal that
 * reaches the queue of another daemon: it can then record only evaluations of its own
 * self-service, in a unit of work of its own database. The outbox is not
 * started here: call `evaluations.outbox.start()` in the daemon (and `stop()` before closing the db).
 */
export function createEvaluations(
  db: Db,
  hall: EvaluationHall | null,
  config: KioskConfig,
  clock: Clock = systemClock,
  options: OutboxOptions = {},
): Evaluations {
  const unit = hall?.unit ?? new LocalUnitOfWork(db, config, clock);
  const reasons = registerReasonSet(db, config.evaluation.reasons, clock());
  const calendar = new CalendarStore(db, clock);
  const cases = new CaseBook(db, calendar, config.evaluation.followUp);
  const roster = new StaffRoster(db, config.evaluation.staff);
  const cipher = new PhoneCipher(config.evaluation.phoneKey);
  const store = new EvaluationStore(db, hall, unit, config, clock, { reasons, roster, cases, cipher });
  const outbox = new EvaluationOutbox(db, config, clock, options);
  return new Evaluations(db, hall, unit, config, clock, { store, cases, calendar, roster, outbox, cipher });
}

export { Evaluations } from './service.ts';
export type { EvaluationHall } from './store.ts';
export { EvaluationOutbox, backoffMs } from './outbox.ts';
export { evaluationError, type EvaluationErrorCode } from './errors.ts';
export { exportRecord, mapRecord } from './export-record.ts';
export { statistics, statisticsCsv, GROUPINGS } from './statistics.ts';
export * from './types.ts';
