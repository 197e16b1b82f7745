import { join, resolve } from 'node:path';
import type { KioskConfig } from '../config/schema.ts';
import { type Clock, systemClock } from './clock.ts';
import { Appointments } from './queue/appointments.ts';
import { LocalQueue, RemoteQueue, type QueueAccess } from './queue/access.ts';
import { QueueEngine } from './queue/engine.ts';
import { openDatabase, type Db } from './store/database.ts';

/**
 * The composition root: one place that turns a validated configuration into the running parts.
 * Tests build a Kiosk the same way, with a temporary database and a fake clock.
 */
export interface Kiosk {
  readonly config: KioskConfig;
  readonly clock: Clock;
  readonly db: Db;
  /** Present on the terminal that holds the hall queue. */
  readonly engine: QueueEngine | null;
  readonly appointments: Appointments | null;
  /** How citizen-facing code reaches the queue, local or remote. */
  readonly queue: QueueAccess;
  close(): Promise<void>;
}

export interface CreateKioskOptions {
  clock?: Clock;
  /** Database file; defaults to `<storage.dataDir>/kiosk.db`. */
  dbPath?: string;
}

export function createKiosk(config: KioskConfig, options: CreateKioskOptions = {}): Kiosk {
  const clock = options.clock ?? systemClock;
  const db = openDatabase(options.dbPath ?? join(resolve(config.storage.dataDir), 'kiosk.db'));
  const remote = config.queue.remote;
  const engine = remote ? null : new QueueEngine(db, config, clock);
  const appointments = engine ? new Appointments(db, engine) : null;
  const queue: QueueAccess =
    engine && appointments ? new LocalQueue(engine, appointments, clock) : new RemoteQueue(remote!.url, remote!.token);
  return {
    config,
    clock,
    db,
    engine,
    appointments,
    queue,
    async close() {
      db.close();
    },
  };
}
