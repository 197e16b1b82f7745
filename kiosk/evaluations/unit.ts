import { SqliteRunner } from '../store/database.ts';
import type { Runner, Tx } from '../store/sql.ts';
import type { UnitOfWork } from '../store/unit-of-work.ts';

/**
 * The unit of work evaluations write through: the hall's (HallDay, on SQLite or PostgreSQL) when
 * this daemon reaches the queue's store, or a terminal's own (LocalUnitOfWork, SQLite). Every read
 * and write of the 好差评 tables is a transaction body (kiosk/store/sql.ts) run by `transact` or
 * `read`, so the same rules run on either engine.
 */
export interface EvaluationUnit extends UnitOfWork {
  readonly runner: Runner;
  transact<T>(fn: (now: number, day: string) => Tx<T>): Promise<T>;
  read<T>(body: () => Tx<T>): Promise<T>;
}

/** A write body run at once in one transaction of the unit (SQLite only: the reason list at start-up). */
export function writeSync<T>(unit: EvaluationUnit, fn: (now: number, day: string) => Tx<T>): T {
  const runner = sqliteOf(unit);
  return unit.write((now, day) => runner.readSync(() => fn(now, day)));
}

function sqliteOf(unit: EvaluationUnit): SqliteRunner {
  if (!(unit.runner instanceof SqliteRunner)) throw new Error('a synchronous evaluation call needs the SQLite store; use its asynchronous form');
  return unit.runner;
}
