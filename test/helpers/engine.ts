import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import type { KioskConfig } from '../../config/schema.ts';
import { Appointments } from '../../kiosk/queue/appointments.ts';
import { QueueEngine } from '../../kiosk/queue/engine.ts';
import { openDatabase, type Db } from '../../kiosk/store/database.ts';

/** A settable clock starting at a given Beijing local time. */
export function fakeClock(isoLocal = '2026-11-23T09:00:00') {
  let now = Date.parse(`${isoLocal}+08:00`);
  const clock = () => now;
  return Object.assign(clock, {
    set(iso: string) {
      now = Date.parse(`${iso}+08:00`);
    },
    advanceMinutes(m: number) {
      now += m * 60_000;
    },
  });
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'kiosk-test-')), 'kiosk.db');
}

export interface TestHall {
  db: Db;
  engine: QueueEngine;
  appointments: Appointments;
  config: KioskConfig;
  clock: ReturnType<typeof fakeClock>;
  path: string;
  reopen(): TestHall;
}

export function makeHall(overlay: unknown = {}, clock = fakeClock(), path = tempDbPath()): TestHall {
  const config = loadConfig({ overlay });
  const db = openDatabase(path);
  const engine = new QueueEngine(db, config, clock);
  return {
    db,
    engine,
    appointments: new Appointments(engine),
    config,
    clock,
    path,
    reopen() {
      db.close();
      return makeHall(overlay, clock, path);
    },
  };
}
