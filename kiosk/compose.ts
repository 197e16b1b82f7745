import { EventEmitter } from 'node:events';
import { join, resolve } from 'node:path';
import type { KioskConfig } from '../config/schema.ts';
import { silentLogger, type DeviceLogger } from '../drivers/common/logger.ts';
import type { DeviceKind } from '../drivers/common/status.ts';
import type { ScanEvent } from '../drivers/scanner/index.ts';
import type { WorkingDayCalendar } from './calendar/index.ts';
import { RemoteCalendarSync, type RemoteFetch } from './calendar/remote-sync.ts';
import { type Clock, systemClock } from './clock.ts';
import { DeviceHub, type DeviceStatusView } from './devices/hub.ts';
import { createEvaluations, type Evaluations } from './evaluations/index.ts';
import type { OutboxOptions } from './evaluations/outbox.ts';
import type { GuideCatalog } from './guides/index.ts';
import { localGuidesFileFor, openGuideCatalog } from './guides/local-guides.ts';
import { CertificateDesk } from './certificates/desk.ts';
import { loadCertificateAssets, type CertificateAssets } from './certificates/assets.ts';
import { CertificatePrinter } from './certificates/print.ts';
import { CertificateVerification } from './certificates/verification.ts';
import { createInsuranceBackend, type InsuranceBackend } from './insurance/index.ts';
import { PrintService } from './printing/print-service.ts';
import { PaperUsage } from './console/paper.ts';
import { Appointments } from './queue/appointments.ts';
import { LocalQueue, type QueueAccess } from './queue/access.ts';
import { queueDayCloser } from './queue/day-close.ts';
import { QueueEngine } from './queue/engine.ts';
import { PriorityRule } from './queue/priority.ts';
import { KioskAbuseLimits } from './session/abuse-limits.ts';
import { bindSession } from './session/bind.ts';
import { CitizenSession, type SessionPublic } from './session/citizen-session.ts';
import { SpeechService } from './speech/speech-service.ts';
import { ticketPromises } from './hall/opening-hours.ts';
import { IssueAtKiosk } from './tickets/issue-at-kiosk.ts';
import { openDatabase, type Db } from './store/database.ts';
import type { Runner } from './store/sql.ts';
import { HallDay } from './store/unit-of-work.ts';

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
  /** 绿色通道 rule (queue/priority.ts), also on a terminal without the queue (for the UI hint). */
  readonly priority: PriorityRule;
  readonly devices: DeviceHub;
  readonly session: CitizenSession;
  /** Printed tickets, declared 绿色通道 and 呼叫工作人员 per kiosk and per visit (kiosk/session/abuse-limits.ts). */
  readonly limits: KioskAbuseLimits;
  readonly printing: PrintService;
  /** 纸张用量 since the last roll change (kiosk/console/paper.ts). */
  readonly paper: PaperUsage;
  /** 取号 / 预约签到 / 补打 at this kiosk: issue → sign → document → print → present → print state. */
  readonly tickets: IssueAtKiosk;
  /** 语音播报 (espeak-ng, bounded process pool). */
  readonly speech: SpeechService;
  readonly guides: GuideCatalog;
  /** The hall's working-day calendar (the database's; on a remote-queue terminal, the holder's copy). */
  readonly calendar: WorkingDayCalendar;
  /** On a terminal of a remote queue: keeps the holder's calendar mirrored (started by the daemon). */
  readonly calendarSync: RemoteCalendarSync | null;
  /** 好差评: records, follow-up cases, upload outbox, statistics. */
  readonly evaluations: Evaluations;
  /** 参保信息 backend (insurance.adapter); null when 'off' (the certificate functions are hidden). */
  readonly insurance: InsuranceBackend | null;
  /** 防伪 records of printed certificates: verify, content check, purge (always present: verification outlives the adapter). */
  readonly verification: CertificateVerification;
  /** 参保证明 / 参保凭证 for the citizen at this kiosk; null without an insurance backend. */
  readonly certificates: CertificateDesk | null;
  readonly events: EventEmitter<KioskEvents>;
  /** Open the configured devices (the daemon does; API-only tests need not). */
  /** Readies the hall's queue on a store that is not SQLite's (PostgreSQL); a no-op on SQLite. Before `startDevices`. */
  open(): Promise<void>;
  startDevices(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateKioskOptions {
  clock?: Clock;
  /** Database file; defaults to `<storage.dataDir>/kiosk.db`. */
  dbPath?: string;
  /** Per device; also asked for 'insurance' (the backend's outcome-only log). */
  deviceLogger?: (kind: DeviceKind | 'insurance') => DeviceLogger;
  /** Outbox tuning (tests shorten the retry backoff). */
  outbox?: OutboxOptions;
  /**
   * How to reach the hall's queue when `queue.remote` is configured: the entry point supplies the
   * HTTP client (server/clients/remote-queue.ts); kiosk/ has no HTTP of its own.
   */
  remoteQueue?: (remote: { readonly url: string; readonly token: string }) => QueueAccess;
  /** How the calendar mirror reaches that daemon (over https: pinned to the hall CA); default fetch. */
  remoteFetch?: RemoteFetch;
  /** Speech synthesis (tests substitute a stand-in command or tighter limits). */
  speech?: SpeechService;
  /**
   * The hall's queue store when it is not this terminal's SQLite file: the PostgreSQL runner the
   * entry point opened for `storage.engine: postgres` (kiosk/store/postgres.ts). Call `open()`.
   */
  hallStore?: Runner;
}

export function createKiosk(config: KioskConfig, options: CreateKioskOptions = {}): Kiosk {
  const clock = options.clock ?? systemClock;
  if (config.queue.remote && !options.remoteQueue) {
    throw new Error('queue.remote is configured but no remote queue client was supplied (createKiosk option remoteQueue)');
  }
  const db = openDatabase(options.dbPath ?? join(resolve(config.storage.dataDir), 'kiosk.db'));
  const remote = config.queue.remote;
  // The unit of work (transactions, business day, event log) exists only where the queue lives.
  const verification = new CertificateVerification(db, config, clock);
  const closeQueueDay = queueDayCloser(config);
  const hallDay = remote
    ? null
    : new HallDay(options.hallStore ?? db, config, clock, {
        // Day-close also purges verification records past certificate.keepExpiredDays.
        closeDay: function* (now, old, today) {
          return { ...(yield* closeQueueDay(now, old, today)), certificatesPurged: verification.purge(now) };
        },
      });
  const engine = hallDay ? new QueueEngine(options.hallStore ?? db, config, clock, hallDay) : null;
  let unfollow: (() => Promise<void>) | null = null;
  const appointments = engine && hallDay ? new Appointments(engine, hallDay) : null;
  const queue: QueueAccess = engine && appointments ? new LocalQueue(engine, appointments, clock) : remoteQueue(config, options);
  const devices = new DeviceHub(config, options.deviceLogger ?? (() => silentLogger), { clock });
  const priority = engine?.priority ?? new PriorityRule(config);
  const session = new CitizenSession(config, clock, priority);
  const limits = new KioskAbuseLimits(config, clock, priority);
  // A visit ends when the kiosk goes home or falls idle; one task done (a ticket) does not end it,
  // so the per-visit limits still count the next ticket of the same person.
  session.on('ended', (reason) => {
    if (reason !== 'task') limits.endSession();
  });
  const events = new EventEmitter<KioskEvents>();
  events.setMaxListeners(0);

  const insurance = createInsuranceBackend(config, { logger: options.deviceLogger?.('insurance') ?? silentLogger });
  // The fonts (2 × 10 MB) are read on the first certificate, not by every kiosk built in a test.
  let assets: CertificateAssets | null = null;
  const certificateAssets = (): CertificateAssets => (assets ??= loadCertificateAssets(config.certificate.issuer.sealImage));
  const certificatePrinter = new CertificatePrinter({
    db,
    verification,
    clock,
    assets: {
      get regular() {
        return certificateAssets().regular;
      },
      get bold() {
        return certificateAssets().bold;
      },
      get seal() {
        return certificateAssets().seal;
      },
      get coverage() {
        return certificateAssets().coverage;
      },
    },
    a4: () => devices.a4printer,
    receipt: () => devices.printer,
  });
  const certificates = insurance
    ? new CertificateDesk({
        config,
        clock,
        db,
        insurance,
        session,
        printer: certificatePrinter,
        assets: certificateAssets,
        target: () => (devices.a4printer ? 'a4' : devices.printer ? 'thermal' : null),
      })
    : null;

  // Card read / lifted / failed → the session; its idle timer (kiosk/session/bind.ts).
  const binding = bindSession(session, devices, { accepted: (card) => certificates?.cardRead(card) });
  devices.on('scan', (scan) => events.emit('scan', scan));
  devices.on('ticket-taken', () => events.emit('ticket-taken'));
  devices.on('status', (kind, status) => {
    events.emit('device', kind, status);
    engine?.recordEvent('device.status', { device: kind, ...status }).catch(() => {
      // The log write failed (disk full): the live event above already went out, and a device
      // status change must never take the daemon down.
    });
  });
  session.on('changed', (s) => events.emit('session', s));
  session.on('rejected', (m) => events.emit('session-rejected', m));
  session.on('notice', () => events.emit('session', session.public()));
  engine?.on('event', (e) => events.emit('queue', e.id));

  const evaluations = createEvaluations(db, engine, config, clock, options.outbox ?? {});
  const calendarSync = remote
    ? new RemoteCalendarSync(evaluations.calendar, remote, { clock, ...(options.remoteFetch ? { fetch: options.remoteFetch } : {}) })
    : null;
  const printing = new PrintService(db, devices, queue, clock);

  return {
    config,
    clock,
    db,
    evaluations,
    engine,
    appointments,
    queue,
    priority,
    devices,
    session,
    limits,
    printing,
    paper: PaperUsage.follow(devices, db.memory ? null : db.name, clock, config.devices.printer.rollLengthM ?? null),
    tickets: new IssueAtKiosk({
      config,
      queue,
      printing,
      devices,
      session,
      limits,
      promises: (serviceCode) =>
        ticketPromises(
          {
            config,
            clock,
            get calendar() {
              return evaluations.calendar.calendar();
            },
            queue,
          },
          serviceCode,
        ),
    }),
    speech: options.speech ?? new SpeechService(),
    guides: openGuideCatalog(localGuidesFileFor(db)),
    get calendar() {
      return evaluations.calendar.calendar();
    },
    calendarSync,
    insurance,
    verification,
    certificates,
    events,
    async open() {
      // On PostgreSQL the hall's day and counters are opened over the network, and this daemon
      // follows the other daemons' events; on SQLite both happened in the constructors.
      await engine?.open();
      await evaluations.open();
      if (hallDay?.runner.shared) {
        unfollow = hallDay.follow();
        // The calendar is the hall's: a change here is announced, one elsewhere reloads it here.
        evaluations.calendar.on('changed', () => void engine?.recordEvent('calendar.changed', {}).catch(() => undefined));
        engine?.on('event', (e) => {
          if (e.type === 'calendar.changed') void evaluations.calendar.reload().catch(() => undefined);
        });
      }
    },
    async startDevices() {
      await devices.start();
      // The bundled insurance simulator starts here, like the device simulators; a backend that
      // cannot start is reported by its own log and answers INSURANCE_UNAVAILABLE, never fatal.
      await insurance?.start().catch(() => undefined);
      // A terminal without the queue has no day-close: purge expired verification records at start.
      if (!hallDay) verification.purge();
    },
    async close() {
      binding.unbind();
      session.end('shutdown');
      await insurance?.close();
      calendarSync?.stop();
      await evaluations.outbox.stop();
      await devices.stop();
      await unfollow?.();
      if (options.hallStore) await options.hallStore.close();
      db.close();
    },
  };
}

function remoteQueue(config: KioskConfig, options: CreateKioskOptions): QueueAccess {
  const remote = config.queue.remote;
  if (!remote) throw new Error('no queue: neither a local engine nor queue.remote');
  return options.remoteQueue!(remote);
}
