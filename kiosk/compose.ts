import { EventEmitter } from 'node:events';
import { join, resolve } from 'node:path';
import type { KioskConfig } from '../config/schema.ts';
import { silentLogger, type DeviceLogger } from '../drivers/common/logger.ts';
import type { DeviceKind } from '../drivers/common/status.ts';
import type { ScanEvent } from '../drivers/scanner/index.ts';
import { defaultCalendar, type WorkingDayCalendar } from './calendar/index.ts';
import { type Clock, systemClock } from './clock.ts';
import { DeviceHub, type DeviceStatusView } from './devices/hub.ts';
import { createEvaluations, type Evaluations } from './evaluations/index.ts';
import type { OutboxOptions } from './evaluations/outbox.ts';
import { GuideCatalog } from './guides/index.ts';
import { PrintService } from './printing/print-service.ts';
import { Appointments } from './queue/appointments.ts';
import { LocalQueue, RemoteQueue, type QueueAccess } from './queue/access.ts';
import { QueueEngine } from './queue/engine.ts';
import { CitizenSession, type SessionPublic } from './session/citizen-session.ts';
import { openDatabase, type Db } from './store/database.ts';

/** Events the citizen UI follows (over /api/v1/kiosk/events). None carries personal data. */
export type KioskEvents = {
  session: [SessionPublic | null];
  'session-rejected': [message: string];
  scan: [ScanEvent];
  device: [kind: DeviceKind, status: DeviceStatusView];
  queue: [version: number];
  'ticket-taken': [];
  /** A clerk acknowledged the kiosk's 呼叫工作人员 (kiosk/alerts): someone is coming. */
  assistance: [{ state: 'acknowledged'; alertId: number; at: number }];
};

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
  readonly devices: DeviceHub;
  readonly session: CitizenSession;
  readonly printing: PrintService;
  readonly guides: GuideCatalog;
  readonly calendar: WorkingDayCalendar;
  /** 好差评: records, follow-up cases, upload outbox, statistics. */
  readonly evaluations: Evaluations;
  readonly events: EventEmitter<KioskEvents>;
  /** Open the configured devices (the daemon does; API-only tests need not). */
  startDevices(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateKioskOptions {
  clock?: Clock;
  /** Database file; defaults to `<storage.dataDir>/kiosk.db`. */
  dbPath?: string;
  deviceLogger?: (kind: DeviceKind) => DeviceLogger;
  /** Outbox tuning (tests shorten the retry backoff). */
  outbox?: OutboxOptions;
}

export function createKiosk(config: KioskConfig, options: CreateKioskOptions = {}): Kiosk {
  const clock = options.clock ?? systemClock;
  const db = openDatabase(options.dbPath ?? join(resolve(config.storage.dataDir), 'kiosk.db'));
  const remote = config.queue.remote;
  const engine = remote ? null : new QueueEngine(db, config, clock);
  const appointments = engine ? new Appointments(db, engine) : null;
  const queue: QueueAccess =
    engine && appointments ? new LocalQueue(engine, appointments, clock) : new RemoteQueue(remote!.url, remote!.token);
  const devices = new DeviceHub(config, options.deviceLogger ?? (() => silentLogger));
  const session = new CitizenSession(config, clock);
  const events = new EventEmitter<KioskEvents>();
  events.setMaxListeners(0);

  devices.on('card', (card) => session.acceptCard(card));
  devices.on('scan', (scan) => events.emit('scan', scan));
  devices.on('ticket-taken', () => events.emit('ticket-taken'));
  devices.on('status', (kind, status) => {
    events.emit('device', kind, status);
    try {
      engine?.recordEvent('device.status', { device: kind, ...status });
    } catch {
      // The log write failed (disk full): the live event above already went out, and a device
      // status change must never take the daemon down.
    }
  });
  session.on('changed', (s) => events.emit('session', s));
  session.on('rejected', (m) => events.emit('session-rejected', m));
  engine?.on('event', (e) => events.emit('queue', e.id));

  const evaluations = createEvaluations(db, engine, config, clock, options.outbox ?? {});

  return {
    config,
    clock,
    db,
    evaluations,
    engine,
    appointments,
    queue,
    devices,
    session,
    printing: new PrintService(db, devices, queue, clock),
    guides: GuideCatalog.fromDir(),
    calendar: defaultCalendar(),
    events,
    startDevices: () => devices.start(),
    async close() {
      session.clear();
      await evaluations.outbox.stop();
      await devices.stop();
      db.close();
    },
  };
}
