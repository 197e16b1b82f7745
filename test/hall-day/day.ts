import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPeer, type Peer } from '../helpers/peer.ts';
import { CounterActor, type CounterSpec } from './counter-actor.ts';
import { DaemonProcess, freePort, ROOT, type DaemonMode, type ResourceSample } from './daemon.ts';
import { compareWithFold, EventFollower, HALL_TOKEN, StatusPoller, type HallEvent, type QueueStatus } from './hall-server.ts';
import { checkInvariants, type Collected } from './invariants.ts';
import { buildReport, type Report } from './report.ts';
import { CARD_FIXTURES, cardIdNumber, KioskActor, KioskEvents, SERVICE_MIX, type BookedAppointment } from './kiosk-actor.ts';
import { copyHallStoreToSqlite, startHallPostgres, type HallPostgres } from './pg-store.ts';
import { median, Mutex, Rng, sleep, untilStalled } from './util.ts';
import { World } from './world.ts';

export interface HallDayOptions {
  readonly tickets: number;
  readonly counters: number;
  readonly kiosks: number;
  readonly seed: number;
  /** Real milliseconds one simulated minute of service lasts (default 60: 1 min → 60 ms). */
  readonly minuteMs?: number;
  /** Where report.json, report.txt and the daemon logs go. */
  readonly outDir: string;
  readonly reportName?: string;
  readonly log?: (line: string) => void;
  /**
   * 'sqlite' (default): one daemon holds the queue in its kiosk.db, every actor talks to it.
   * 'postgres' (issue 17): a primary with a synchronous standby, and one daemon per kiosk on that
   * hall store (storage.engine postgres); each kiosk actor and a share of the counters talk to
   * their own daemon, the event follower and the status poller to the first.
   */
  readonly store?: 'sqlite' | 'postgres';
  /** How the daemons run (daemon.ts DaemonMode): 'tsx' by default, 'compiled' as in a hall. */
  readonly daemon?: DaemonMode;
}

/** The simulated business day (a Monday); the daemon's wall clock starts here. */
export const DAY = '2026-11-23';
export const OPENING = `${DAY}T08:25:00+08:00`;
export const NEXT_MORNING = '2026-11-24T03:05:00+08:00';
const HOUR_MS = 3_600_000;

const TEMPLATES: readonly { label: string; services: readonly string[] }[] = [
  { label: '综合', services: ['general', 'enrol', 'remote'] },
  { label: '综合', services: ['general', 'enrol', 'remote'] },
  { label: '报销', services: ['reimburse', 'general'] },
  { label: '报销', services: ['reimburse'] },
  { label: '单位', services: ['employer'] },
  { label: '绿色通道', services: ['general', 'enrol', 'reimburse', 'remote'] },
  { label: '异地', services: ['remote', 'general'] },
  { label: '参保', services: ['enrol', 'general'] },
  { label: '报销', services: ['reimburse', 'remote'] },
  { label: '单位', services: ['employer', 'enrol'] },
];

export function counterSpecs(n: number): CounterSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const t = TEMPLATES[i % TEMPLATES.length]!;
    const number = i + 1;
    return { number, name: `${number}号窗口（${t.label}）`, services: t.services, token: `dev-counter-token-${String(number).padStart(4, '0')}` };
  });
}

export function siteConfig(counters: readonly CounterSpec[], peerUrl: string) {
  return {
    api: { rateLimitPerMinute: 100_000_000 },
    // A whole day's walk-ins compressed into minutes from three kiosk actors on one daemon: far
    // above the per-kiosk abuse limits (12 printed tickets a minute, 3 declared 绿色通道 per 10
    // minutes, kiosk/session/abuse-limits.ts), which test/server/abuse-limits.test.ts covers.
    kioskLimits: {
      printedTickets: { perKiosk: 100_000, windowSeconds: 60, perSession: 1_000 },
      declaredPriority: { perKiosk: 100_000, windowSeconds: 600, perSession: 1_000 },
    },
    counters: counters.map((c) => ({ number: c.number, name: c.name, services: c.services, token: c.token })),
    devices: {
      idcard: { pollIntervalMs: 100 },
      printer: { statusPollMs: 200 },
      dispenser: { presentTimeoutMs: 1000 },
    },
    evaluation: {
      staff: counters.map((c) => ({ id: `S${String(c.number).padStart(3, '0')}`, name: `工作人员${String(c.number).padStart(2, '0')}` })),
      rateLimits: { perDevicePerMinute: 100_000, perTicketAttempts: 1000 },
      upload: { url: peerUrl, timeoutMs: 2000, pollMs: 100, backoffBaseMs: 50, backoffMaxMs: 400 },
    },
  };
}

/**
 * One hall day against the real daemon: opening, three kiosks and N counters under load, the
 * fault schedule (printer, reader, scanner, provincial endpoint, two SIGKILLs, a clock step),
 * closing and archive; then every invariant is checked and reported.
 */
export async function runHallDay(options: HallDayOptions): Promise<Report> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const rng = new Rng(options.seed);
  const target = options.tickets;
  const logDir = join(options.outDir, `logs-${options.reportName ?? 'report'}`);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'hall-day-'));
  const specs = counterSpecs(options.counters);
  const peer: Peer = await startPeer();
  const store = options.store ?? 'sqlite';
  const mode = options.daemon ?? 'tsx';
  const pgHall: HallPostgres | null = store === 'postgres' ? await startHallPostgres() : null;
  const daemons: DaemonProcess[] = [];
  for (let k = 0; k < (pgHall ? options.kiosks : 1); k++) {
    // On PostgreSQL each daemon has its own data directory (its kiosk.db keeps its print jobs),
    // site file and log directory; the hall store is the shared one.
    const dDir = pgHall ? join(dataDir, `daemon-${k + 1}`) : dataDir;
    const dLogs = pgHall ? join(logDir, `daemon-${k + 1}`) : logDir;
    mkdirSync(dDir, { recursive: true });
    mkdirSync(dLogs, { recursive: true });
    const siteFile = join(dDir, 'site.json');
    const storage = pgHall ? { storage: { engine: 'postgres', postgres: { url: pgHall.url, statementTimeoutMs: 3000, connectTimeoutMs: 2000 } } } : {};
    writeFileSync(siteFile, JSON.stringify({ ...siteConfig(specs, peer.url), ...storage }, null, 2));
    daemons.push(
      new DaemonProcess({
        port: await freePort(),
        dataDir: dDir,
        siteFile,
        logDir: dLogs,
        offsetMs: Date.parse(OPENING) - Date.now(),
        mode,
      }),
    );
  }
  const daemon = daemons[0]!;
  const minuteMs = options.minuteMs ?? 60;
  const world = new World(daemon, target, minuteMs);
  const api = daemon.api;
  const quietPoints: { label: string; version: number; diffs: string[]; quiesced: boolean }[] = [];
  const deviceChecks: { device: string; after: string; readyAfterMs: number | null }[] = [];
  const resources: {
    warmup: ResourceSample | null;
    end: ResourceSample | null;
    warmupSamples: ResourceSample[];
    endSamples: ResourceSample[];
    warmupAtTickets: number;
    runs: number;
    diagnostics: Record<string, unknown>;
  } = {
    warmup: null,
    end: null,
    warmupSamples: [],
    endSamples: [],
    warmupAtTickets: 0,
    runs: 0,
    diagnostics: {},
  };
  const clockStep: { at: number | null; before: number | null; after: number | null; dayBefore: string | null; dayAfter: string | null } = {
    at: null,
    before: null,
    after: null,
    dayBefore: null,
    dayAfter: null,
  };
  const children: { pid: number; after: string }[] = [];
  const orphans: { pid: number; after: string }[] = [];
  let follower: EventFollower | null = null;
  let poller: StatusPoller | null = null;
  let kioskEvents: KioskEvents | null = null;
  const otherStreams: KioskEvents[] = [];
  let closedSnapshot: QueueStatus | null = null;
  let dayClosed: HallEvent | null = null;
  let shutdown: { code: number | null; signal: string | null } = { code: null, signal: null };
  let evaluationRoutes = false;
  let outboxFinal: unknown = null;
  let failure: string | null = null;

  const status = async (): Promise<QueueStatus> => (await world.call(() => api.get('/api/v1/queue/status', { token: HALL_TOKEN }), 'status')).body;

  /**
   * Until GET /devices shows the device working: 'ready', or for the printer also 'busy' (it is
   * printing the kiosks' tickets; a job only starts after its status check passed).
   *
   * The one wall-clock limit the harness keeps as an invariant, because it is a promise of the
   * product, not a measure of the machine: the serial transport retries a vanished port every
   * 250 ms and promises to reconnect "well within 2 s" (drivers/common/serial-transport.ts), the
   * drivers poll every 100-200 ms here (siteConfig). 20 s is ten times that promise; a device that
   * is not back by then is not coming back, on any machine the kiosk is supported on.
   */
  const waitDeviceOn = async (d: DaemonProcess, device: string, ms = 20_000): Promise<number | null> => {
    const start = Date.now();
    while (Date.now() - start < ms) {
      const r = await d.api.get('/api/v1/devices', { token: HALL_TOKEN });
      const state = r.status === 200 ? r.body[device]?.state : undefined;
      if (state === 'ready' || (device === 'printer' && state === 'busy')) return Date.now() - start;
      await sleep(25);
    }
    return null;
  };

  /** The device on every daemon (each has its own simulated devices): the slowest, or null. */
  const waitDevice = async (device: string, ms = 20_000): Promise<number | null> => {
    let slowest = 0;
    for (const d of daemons) {
      const t = await waitDeviceOn(d, device, ms);
      if (t === null) return null;
      slowest = Math.max(slowest, t);
    }
    return slowest;
  };

  const allDevicesReady = async (after: string, on: readonly DaemonProcess[] = daemons) => {
    for (const d of on)
      for (const dev of ['idcard', 'scanner', 'printer', 'dispenser'])
        deviceChecks.push({
          device: dev,
          after: on.length > 1 || daemons.length > 1 ? `${after} (daemon ${daemons.indexOf(d) + 1})` : after,
          readyAfterMs: await waitDeviceOn(d, dev),
        });
  };

  // A fault of a device model hits every kiosk of the hall (one daemon each on PostgreSQL).
  const simulate = async (kind: string, action: string) => {
    for (const d of daemons) await world.call(() => d.api.post(`/api/v1/dev/simulators/${kind}/actions/${action}`), `${kind} ${action}`, 30, d);
  };

  /**
   * A fault lasts at least `minMs` and until the actors issued `extra` more tickets (so that the
   * fault is seen by tickets, however slow the machine). No deadline: it ends early only if issuing
   * stopped, or stalled (no ticket issued for 30 s: the kiosks are stuck, which the day reports).
   */
  const hold = async (extra: number, minMs: number) => {
    const start = Date.now();
    const from = world.issued;
    const held = await untilStalled(
      () => Date.now() - start >= minMs && (world.issued >= from + extra || !world.issuing || world.issued >= target),
      () => world.issued,
      30_000,
    );
    if (!held) world.anomaly(`no ticket issued for 30 s during a fault (${world.issued - from} of ${extra} issued)`);
  };

  // Reprints run beside the schedule (a citizen presses 补打 on the screen), one batch at a time.
  const reprintLock = new Mutex();
  const reprints: Promise<void>[] = [];
  const reprintLater = (why: string) => reprints.push(reprintLock.run(() => reprintAll(why)).catch((err: Error) => world.anomaly(`reprint: ${err.message}`)));
  /**
   * 补打 every ticket whose print failed. Each round first waits until the printer reports ready
   * (GET /devices, the status the kiosk screen shows; during a scheduled printer fault it waits
   * for the schedule to clear it), then reprints. No fixed number of rounds:
   * it goes on while the printer comes back and reprints succeed, and gives up only when the
   * printer does not come back (waitDevice) or 10 rounds in a row printed nothing although the
   * printer said it was ready. A refusal for a reason other than the printer's state (404, 429, a
   * rejected document...) is not retried and is reported with its code.
   */
  const reprintAll = async (why: string) => {
    const refused = new Map<number, string>();
    const pending = () => [...world.unprinted.keys()].filter((id) => !refused.has(id));
    let fruitless = 0;
    let lastCode = '';
    while (pending().length > 0) {
      if (world.printerFault !== null) {
        // The next scheduled printer fault began: the schedule clears it (after its tickets).
        await sleep(50);
        continue;
      }
      // A SIGKILL may land during a batch: wait for the daemon to answer before timing the printer.
      for (const d of daemons) await world.call(() => d.api.get('/api/v1/devices', { token: HALL_TOKEN }), 'devices', 30, d);
      const readyAfter = await waitDevice('printer');
      if (readyAfter === null) {
        world.anomaly(
          `reprint ${why}: the printer did not report ready within 20 s (${pending().length} tickets unprinted, last failure ${lastCode || 'none'})`,
        );
        break;
      }
      let printed = 0;
      for (const id of pending()) {
        // 补打 on the kiosk that issued it (its terminal's print jobs).
        const on = world.issuedOn.get(id) ?? daemon;
        const r = await world.call(() => on.api.post(`/api/v1/kiosk/tickets/${id}/reprint`), 'reprint', 30, on);
        const prev = world.reprinted.get(id);
        if (r.status === 200 && r.body.print.ok) {
          world.unprinted.delete(id);
          world.reprinted.set(id, { atMs: world.elapsed(), attempts: (prev?.attempts ?? 0) + 1 });
          printed++;
          continue;
        }
        world.count('reprint-failed-attempts');
        // Why, in the report's actor counts: the error code, or the print failure's code.
        const body = r.body as { error?: { code?: string }; print?: { code?: string } } | null;
        lastCode = String(body?.error?.code ?? body?.print?.code ?? r.status);
        world.count(`reprint-failed:${lastCode}`);
        if (r.status !== 200 || NOT_A_PRINTER_STATE.has(lastCode)) {
          // Refused for a reason waiting will not change: reported, not retried.
          refused.set(id, lastCode);
          world.anomaly(`reprint of ticket ${world.tickets.get(id)?.displayNo ?? id} refused: HTTP ${r.status} ${lastCode}`);
          continue;
        }
        // The printer is not printing (faulted again, no status reply...): wait for it to be ready.
        break;
      }
      fruitless = printed > 0 ? 0 : fruitless + 1;
      if (fruitless >= 10 && pending().length > 0) {
        world.anomaly(`reprint ${why}: 10 rounds with the printer ready printed nothing (${pending().length} tickets unprinted, last failure ${lastCode})`);
        break;
      }
      if (printed === 0) await sleep(200);
    }
    world.fault(
      'reprint',
      `${why}: ${world.reprinted.size} reprinted so far, ${world.unprinted.size} still unprinted${refused.size ? `, ${refused.size} refused` : ''}`,
    );
  };

  const quietPoint = async (label: string) => {
    const quiesced = await world.quiesce();
    let diffs: string[] = ['not compared'];
    let version = 0;
    try {
      // Compared until they agree. Background work (print state, the outbox) may still add events
      // after the actors parked: a changing version is progress, not a difference. Only a
      // difference while neither the snapshot nor the follower moves, 5 times in a row, is reported.
      let steady = 0;
      let seen = '';
      for (;;) {
        const s = await status();
        version = s.version;
        await follower!.waitFor(s.version);
        diffs = follower!.fold.lastId === s.version ? compareWithFold(s, follower!.fold) : [`follower at ${follower!.fold.lastId}, snapshot at ${s.version}`];
        if (diffs.length === 0) break;
        const now = `${s.version}/${follower!.fold.lastId}`;
        steady = now === seen ? steady + 1 : 0;
        seen = now;
        if (steady >= 5) break;
        await sleep(100);
      }
    } finally {
      quietPoints.push({ label, version, diffs, quiesced });
      log(`  quiet point ${label}: version ${version}, ${diffs.length === 0 ? 'snapshot = events' : diffs.join('; ')}`);
    }
    return quiesced;
  };

  const sampleResources = async (label: string): Promise<ResourceSample[]> => {
    // Same conditions each time: pooled client connections dropped, a full GC, then 5 samples.
    api.resetPool();
    await sleep(300);
    daemon.requestGc();
    await sleep(300);
    const samples: ResourceSample[] = [];
    for (let i = 0; i < 5; i++) {
      const s = daemon.sample();
      if (s) samples.push(s);
      await sleep(100);
    }
    // What the RSS is made of at this point (V8 heap by space, external memory, loaded packages),
    // so a growth is explained in the report, not only measured. HALL_DAY_HEAP_SNAPSHOTS=1 also
    // writes a .heapsnapshot of each point to the log directory.
    resources.diagnostics[label] = await daemon.diagnostics(join(logDir, `memory-${label}.json`), process.env.HALL_DAY_HEAP_SNAPSHOTS === '1');
    return samples;
  };
  const medianSample = (s: ResourceSample[]): ResourceSample | null =>
    s.length ? { rssKb: median(s.map((x) => x.rssKb)), fds: median(s.map((x) => x.fds)) } : null;

  /** SIGKILL one daemon under load and start it again (on PostgreSQL one of the hall's daemons). */
  const killAndRestart = async (n: number, victim: DaemonProcess = daemon) => {
    for (const pid of childPids(victim.pid)) children.push({ pid, after: `SIGKILL #${n}` });
    const t0 = Date.now();
    const which = daemons.length > 1 ? `daemon ${daemons.indexOf(victim) + 1} of ${daemons.length}, ` : 'daemon ';
    world.fault(`SIGKILL #${n}`, `${which}pid ${victim.pid} killed under load`);
    await victim.kill();
    await victim.start();
    resources.runs = daemon.runs;
    world.fault(`restart #${n}`, `same data dir, new ptys; answering after ${Date.now() - t0} ms`);
    await allDevicesReady(`restart #${n}`, [victim]);
  };

  try {
    log(`hall day: ${target} tickets, ${options.counters} counters, ${options.kiosks} kiosks, seed ${options.seed}, store ${store}, daemon ${mode}`);
    // The first daemon alone, then the others: it runs the hall store's migrations on PostgreSQL.
    for (const d of daemons) await d.start();
    resources.runs = daemon.runs;
    world.fault(
      'opening',
      pgHall
        ? `${daemons.length} daemons up on ports ${daemons.map((d) => d.port).join(', ')} on PostgreSQL (primary ${pgHall.primary.port}, synchronous standby ${pgHall.standby.port}), clock at ${OPENING}`
        : `daemon up on port ${daemon.port}, clock at ${OPENING}`,
    );
    await allDevicesReady('opening');
    const docs = await api.get('/docs/json');
    const paths = Object.keys((docs.body as { paths?: Record<string, unknown> })?.paths ?? {});
    evaluationRoutes = paths.includes('/api/v1/evaluator/evaluations');
    world.evaluationsEnabled = evaluationRoutes;
    log(
      `  evaluations: ${evaluationRoutes ? 'routes present, 好差评 invariants active' : 'routes not wired into the daemon yet; evaluation invariants skipped'}`,
    );

    follower = new EventFollower(
      api,
      specs.map((s) => s.number),
    );
    follower.start();
    poller = new StatusPoller(api);
    poller.start();
    kioskEvents = new KioskEvents(world);
    kioskEvents.start();
    // Each other daemon's citizen UI has its own stream (the scanner on that kiosk).
    const streams = new Map<DaemonProcess, KioskEvents>([[daemon, kioskEvents]]);
    for (const d of daemons.slice(1)) {
      const e = new KioskEvents(world, d.api);
      e.start();
      streams.set(d, e);
      otherStreams.push(e);
    }
    await sleep(200);

    // Appointments booked by staff for today, for people with sample cards.
    const appointments: BookedAppointment[] = [];
    const nAppointments = Math.max(6, Math.round(target * 0.06));
    const startMin = 8 * 60 + 20;
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    for (let i = 0; i < nAppointments; i++) {
      const fixture = CARD_FIXTURES[i % CARD_FIXTURES.length]!;
      const serviceCode = rng.weighted(SERVICE_MIX.filter(([s]) => s !== 'employer'));
      const body = { idNumber: cardIdNumber(fixture), serviceCode, day: DAY, windowStart: hhmm(startMin), windowEnd: hhmm(startMin + 240) };
      const r = await world.call(() => api.post('/api/v1/appointments', { token: HALL_TOKEN, body }), 'book');
      if (r.status !== 200) throw new Error(`booking failed: ${r.status} ${JSON.stringify(r.body)}`);
      appointments.push({ id: r.body.appointment.id, fixture, serviceCode, day: DAY, used: false });
    }
    world.fault('appointments', `${nAppointments} booked for ${DAY} ${hhmm(startMin)}-${hhmm(startMin + 240)}`);

    // One citizen at a time at a daemon's devices (on SQLite the kiosk actors share them).
    const devices = new Map(daemons.map((d) => [d, new Mutex()]));
    // On PostgreSQL the counters are spread over the daemons (any counter calls on any daemon).
    const counters = specs.map((s, i) => new CounterActor(world, s, specs, rng.fork(100 + i), options.seed, daemons[i % daemons.length]));
    const kiosks = Array.from({ length: options.kiosks }, (_, i) => {
      const d = daemons[i % daemons.length]!;
      return new KioskActor(world, i + 1, rng.fork(i), options.seed, { devices: devices.get(d)!, events: streams.get(d)!, appointments, daemon: d });
    });
    const counterRuns = counters.map((c) => c.run());
    const kioskRuns = kiosks.map((k) => k.run());
    const actorsFailed = Promise.all([...counterRuns, ...kioskRuns]).then(
      () => null,
      (err: Error) => err,
    );
    // If every kiosk actor ended (an exception), progress stops: nothing below may wait forever.
    let kiosksSettled = false;
    void Promise.allSettled(kioskRuns).then(() => (kiosksSettled = true));

    const at = async (fraction: number) => {
      const goal = Math.floor(target * fraction);
      while (world.issued < goal && world.issuing && !kiosksSettled) await sleep(20);
    };
    const hasEvaluations = evaluationRoutes;
    const pct = (p: number) => Math.max(3, Math.round(target * p));

    // ---- the fault schedule, driven by progress through the day
    await at(0.1);
    await quietPoint('10% issued');
    world.release();

    await at(0.12);
    world.printerFault = 'paper-out';
    await simulate('printer', 'paper-out');
    world.fault('printer paper out', 'tickets issued now must be "issued, not printed"');
    await hold(pct(0.03), 500);
    await simulate('printer', 'paper-ok');
    world.printerFault = null;
    deviceChecks.push({ device: 'printer', after: 'paper refilled', readyAfterMs: await waitDevice('printer') });
    world.fault('printer paper refilled');
    reprintLater('after paper out');

    await at(0.2);
    world.idcardUnplugged = true;
    await simulate('idcard', 'unplug');
    world.fault('ID-card reader unplugged');
    await hold(pct(0.03), 800);
    await simulate('idcard', 'replug');
    const idcardBack = await waitDevice('idcard');
    deviceChecks.push({ device: 'idcard', after: 'replug', readyAfterMs: idcardBack });
    world.idcardUnplugged = false;
    world.fault('ID-card reader replugged', `ready after ${idcardBack} ms`);

    await at(0.25);
    if (hasEvaluations) {
      peer.mode = 'fail';
      world.fault('provincial evaluation endpoint down', 'peer answers 500');
    }

    await at(0.33);
    // On PostgreSQL the first SIGKILL hits a kiosk's daemon (the others keep issuing and calling),
    // the second the daemon of the event follower and the status poller.
    await killAndRestart(1, daemons[1 % daemons.length]);

    await at(0.38);
    await quietPoint('after first restart');
    world.release();

    await at(0.42);
    world.printerFault = 'cover-open';
    await simulate('printer', 'cover-open');
    world.fault('printer cover open');
    await hold(pct(0.03), 500);
    await simulate('printer', 'cover-close');
    world.printerFault = null;
    deviceChecks.push({ device: 'printer', after: 'cover closed', readyAfterMs: await waitDevice('printer') });
    world.fault('printer cover closed');
    reprintLater('after cover open');

    await at(0.47);
    world.scannerUnplugged = true;
    await simulate('scanner', 'unplug');
    world.fault('scanner unplugged');
    await hold(pct(0.04), 800);
    await simulate('scanner', 'replug');
    const scannerBack = await waitDevice('scanner');
    deviceChecks.push({ device: 'scanner', after: 'replug', readyAfterMs: scannerBack });
    world.scannerUnplugged = false;
    world.fault('scanner replugged', `ready after ${scannerBack} ms`);

    await at(0.52);
    {
      const before = await status();
      clockStep.before = before.generatedAt;
      clockStep.dayBefore = before.day;
      clockStep.at = daemon.now();
      const stepped = daemon.offsetMs + HOUR_MS;
      for (const d of daemons) d.setClockOffset(stepped);
      world.fault('clock stepped forward one hour', 'wall clock +3600 s while running (SIGUSR2 to the clock preload)');
      await sleep(100);
      // Any event makes a new snapshot; poll until one generated after the step shows up (no
      // deadline: it waits while the actors keep issuing; it gives up only if nothing happens).
      await untilStalled(
        async () => {
          const s = await status();
          if (s.generatedAt < before.generatedAt + HOUR_MS) return false;
          clockStep.after = s.generatedAt;
          clockStep.dayAfter = s.day;
          return true;
        },
        () => world.issued + world.counterProgress,
        30_000,
        50,
      );
    }

    await at(0.55);
    if (hasEvaluations) {
      peer.mode = 'ok';
      world.fault('provincial evaluation endpoint back');
    }

    await at(0.56);
    await quietPoint('after clock step');
    world.release();

    await at(0.6);
    await killAndRestart(2);

    // Warm-up of the last run: restarted, devices ready, then max(5 % of the day, 30) more tickets
    // issued (every route, the SSE streams, the printer and the outbox have been used).
    const warmGoal = Math.min(target - 1, world.issued + Math.max(Math.round(target * 0.05), 30));
    while (world.issued < warmGoal && world.issuing && !kiosksSettled) await sleep(20);
    await quietPoint('warm-up of the last run');
    resources.warmupSamples = await sampleResources('warm-up');
    resources.warmup = medianSample(resources.warmupSamples);
    resources.warmupAtTickets = world.issued;
    world.fault('warm-up measured', `RSS ${resources.warmup?.rssKb} kB, ${resources.warmup?.fds} fds`);
    world.release();

    // ---- closing: the kiosks stop at the target, every counter finishes and closes.
    const kiosksDone = Promise.all(kioskRuns).catch(() => undefined);
    await kiosksDone;
    world.issuing = false;
    world.fault('issuing stopped', `${world.issued} tickets`);
    await Promise.all(reprints);
    await reprintLock.run(() => reprintAll('before closing'));
    world.describeStall = async () => {
      const s = await status();
      const waitingIds = [...follower!.fold.tickets].filter(([, t]) => t.status === 'waiting');
      const parts = s.services
        .filter((x) => x.waiting > 0)
        .map((x) => {
          const nos = waitingIds.filter(([, t]) => t.service === x.code).map(([id]) => world.tickets.get(id)?.displayNo ?? `#${id}`);
          const servers = specs
            .filter((c) => c.services.includes(x.code))
            .map((c) => `${c.number} ${s.counters.find((k) => k.number === c.number)?.state ?? '?'}`);
          return `${x.code}: ${x.waiting} waiting (${nos.slice(0, 10).join(' ') || 'numbers unknown'}), counters that serve it: ${servers.join(', ') || 'none'}`;
        });
      const busy = s.counters.filter((c) => c.current).map((c) => `counter ${c.number} has ticket ${c.current!.ticketId} ${c.current!.status}`);
      return [...parts, ...busy].join('; ') || `totals ${JSON.stringify(s.totals)}`;
    };
    world.startClosing();
    world.fault('closing', 'counters finish the queue and close');
    const err = await actorsFailed;
    if (err) throw err;
    world.fault('all counters closed');

    await quietPoint('closed');
    world.release();
    closedSnapshot = await status();

    if (hasEvaluations) {
      // Until the outbox is empty; no deadline while records keep leaving it. It gives up only if
      // nothing was delivered for 30 s (the upload timeout is 2 s and the back-off at most 400 ms).
      let pendingNow = Infinity;
      await untilStalled(
        async () => {
          const o = await api.get('/api/v1/evaluations/outbox', { token: HALL_TOKEN });
          outboxFinal = o.body;
          if (o.status === 200) pendingNow = o.body.pending;
          return o.status === 200 && o.body.pending === 0;
        },
        () => pendingNow,
        30_000,
        100,
      );
      world.fault('evaluation outbox drained', JSON.stringify(outboxFinal));
    }

    resources.endSamples = await sampleResources('end');
    resources.end = medianSample(resources.endSamples);
    world.fault('end of day measured', `RSS ${resources.end?.rssKb} kB, ${resources.end?.fds} fds`);

    // ---- archive: the next morning's reset closes the day.
    let closedEvent = null as HallEvent | null;
    const off = follower!.onEvent((e) => {
      if (e.type === 'day.closed') closedEvent = e;
    });
    const nextMorning = Date.parse(NEXT_MORNING) - Date.now();
    for (const d of daemons) d.setClockOffset(nextMorning);
    world.fault('next morning', `clock set to ${NEXT_MORNING}: the daily reset archives ${DAY}`);
    await sleep(100);
    // The reset runs inside the next write or status request and appends day.closed in the same
    // transaction as the new day. No deadline: first until a status answers the new day (50
    // answers still on the old day mean the reset did not run), then until the follower has every
    // event up to that snapshot (day.closed comes before it, or it was never written).
    let rolledAt: number | null = null;
    let oldDayAnswers = 0;
    await untilStalled(
      async () => {
        if (closedEvent) return true;
        if (rolledAt === null) {
          const s = await world.call(() => api.get('/api/v1/queue/status', { token: HALL_TOKEN }), 'status');
          if (s.status === 200 && s.body.day !== DAY) rolledAt = s.body.version;
          else if (s.status === 200) oldDayAnswers++;
          return oldDayAnswers >= 50;
        }
        return follower!.fold.lastId >= rolledAt;
      },
      () => follower!.fold.lastId + world.answered,
      30_000,
      100,
    );
    off();
    dayClosed = closedEvent;
    world.fault('archived', JSON.stringify(dayClosed?.payload ?? null));
  } catch (err) {
    failure = (err as Error).stack ?? String(err);
    log(`  the day stopped early: ${failure}`);
  } finally {
    world.issuing = false;
    world.release();
    await poller?.stop();
    await follower?.stop();
    await kioskEvents?.stop();
    for (const e of otherStreams) await e.stop();
    for (const d of daemons) for (const pid of childPids(d.pid)) children.push({ pid, after: 'graceful stop' });
    // Every daemon stops; the first one that did not exit cleanly is the one reported.
    for (const d of daemons) {
      const s = await d.stop();
      if (d === daemon || (shutdown.code === 0 && (s.code !== 0 || s.signal !== null))) shutdown = s;
    }
    await peer.close();
    if (pgHall) {
      // invariants.ts and report.ts read a SQLite file: the hall store and every terminal's print jobs, copied.
      try {
        const copied = await copyHallStoreToSqlite(
          pgHall.primary,
          'hall',
          join(dataDir, 'kiosk.db'),
          daemons.map((d) => join(d.dataDir, 'kiosk.db')),
        );
        log(
          `  hall store copied from PostgreSQL for the checks: ${Object.entries(copied)
            .filter(([, n]) => n > 0)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')}`,
        );
      } catch (err) {
        failure ??= `copying the hall store from PostgreSQL: ${(err as Error).stack ?? String(err)}`;
      }
      await pgHall.stop();
    }
    // Device helpers (socat pty pairs) the daemon started and left behind.
    await sleep(1000);
    for (const c of children) if (isSocat(c.pid)) orphans.push(c);
  }

  const collected: Collected = {
    options: { tickets: target, counters: options.counters, kiosks: options.kiosks, seed: options.seed, minuteMs },
    world,
    dbPath: join(dataDir, 'kiosk.db'),
    dataDir,
    logFiles: daemons.flatMap((d) => d.logFiles),
    peer,
    follower: follower ?? new EventFollower(api, []),
    poller: poller ?? new StatusPoller(api),
    quietPoints,
    deviceChecks,
    resources,
    clockStep,
    closedSnapshot,
    dayClosed,
    shutdown,
    evaluationRoutes,
    outboxFinal,
    orphans,
    failure,
    day: DAY,
  };
  const verdicts = checkInvariants(collected);
  const report = buildReport(collected, verdicts);
  mkdirSync(options.outDir, { recursive: true });
  const name = options.reportName ?? 'report';
  writeFileSync(join(options.outDir, `${name}.json`), JSON.stringify(report.json, null, 2));
  writeFileSync(join(options.outDir, `${name}.txt`), report.text);
  log(report.text);
  if (report.json.passed) rmSync(dataDir, { recursive: true, force: true });
  else log(`data kept for inspection: ${dataDir}`);
  for (const o of orphans) if (isSocat(o.pid)) process.kill(o.pid, 'SIGTERM');
  return report;
}

/** Print failures no waiting for the printer will cure (kiosk/printing, drivers/printer): reported, not retried. */
const NOT_A_PRINTER_STATE = new Set(['invalid-document', 'stopped']);

function childPids(pid: number | null): number[] {
  if (!pid) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Still running, and still the socat the daemon started (not a recycled pid). */
function isSocat(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('socat\0pty');
  } catch {
    return false;
  }
}

export { ROOT };
