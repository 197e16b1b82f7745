import { EventEmitter } from 'node:events';
import type { KioskConfig } from '../../config/schema.ts';
import type { DeviceLogger } from '../../drivers/common/logger.ts';
import { memoryLink } from '../../drivers/common/memory-transport.ts';
import { SerialTransport } from '../../drivers/common/serial-transport.ts';
import type { SimulatorControl } from '../../drivers/common/simulator.ts';
import { disconnected, type DeviceKind, type DeviceStatus } from '../../drivers/common/status.ts';
import type { ByteTransport, DeviceEnd } from '../../drivers/common/transport.ts';
import { A4PrinterDriver, IppPrinterSimulator } from '../../drivers/a4printer/index.ts';
import { DispenserDriver, DispenserSimulator, type PresentResult } from '../../drivers/dispenser/index.ts';
import { IdCardReaderDriver, IdCardSimulator, type IdCard, type ReadFailure } from '../../drivers/idcard/index.ts';
import { PrinterDriver, PrinterSimulator, resolvePrinterProfile, type PrintedJob, type PrinterProfile } from '../../drivers/printer/index.ts';
import { HidPosTransport, ScannerDriver, ScannerSimulator, type ScanEvent } from '../../drivers/scanner/index.ts';
import { SimulatorPorts } from './simulator-ports.ts';

/**
 * The one place that decides, from configuration, whether each device is real hardware, a
 * simulator, or switched off, and builds the ByteTransport each driver receives
 * (drivers/common/transport.ts). Everything else talks to the drivers through this hub.
 *
 * - hardware: a SerialTransport on the configured port (or a HidPosTransport for a HID-POS
 *   scanner), reconnecting by itself.
 * - simulator: an in-memory pair (drivers/common/memory-transport.ts), the simulator on its
 *   device end. We chose this over in-process ptys (node-pty `open()`) so that `npm start`
 *   needs no system package, no native pty and no helper process, and a killed daemon leaves
 *   nothing behind: the driver code that runs is exactly the hall's code minus the serialport
 *   binding, and that binding is covered by the pty integration tests (drivers/common/pty.ts)
 *   and by real hardware.
 */
export type DeviceStatusView = DeviceStatus | { readonly state: 'off' };

export type HubEvents = {
  status: [kind: DeviceKind, status: DeviceStatusView];
  card: [IdCard];
  'card-removed': [];
  'card-error': [ReadFailure];
  scan: [ScanEvent];
  'ticket-taken': [];
  'ticket-retracted': [];
  /** The receipt printer finished a job (paper counter: kiosk/console/paper.ts). */
  printed: [PrintedJob];
};

export const DEVICE_KINDS: readonly DeviceKind[] = ['idcard', 'scanner', 'printer', 'dispenser', 'a4printer'];
/** The devices on a byte transport (serial, HID-POS or the in-memory simulator pair); the A4 printer speaks IPP over HTTP. */
export type SerialKind = Exclude<DeviceKind, 'a4printer'>;

/** One entry of a device's recent faults (codes and the drivers' Chinese texts only: no personal data). */
export interface DeviceFault {
  readonly at: number;
  readonly state: 'fault' | 'disconnected' | 'warning';
  readonly code: string | null;
  readonly message: string;
}

/** How many recent faults the hub keeps per device (the console's 最近故障). */
export const FAULTS_KEPT = 10;

export interface DeviceHubOptions {
  /** Time of the fault ring's entries (the kiosk's clock; default Date.now). */
  readonly clock?: () => number;
}

export class DeviceHub extends EventEmitter<HubEvents> {
  idcard: IdCardReaderDriver | null = null;
  scanner: ScannerDriver | null = null;
  printer: PrinterDriver | null = null;
  dispenser: DispenserDriver | null = null;
  /** The A4 printer of 参保证明 (certificate.printer): an IPP queue, or the IPP simulator. */
  a4printer: A4PrinterDriver | null = null;
  /** The IPP simulator when certificate.printer.mode is 'simulator' (tests read the PDFs it received). */
  a4Simulator: IppPrinterSimulator | null = null;
  readonly simulators = new Map<DeviceKind, SimulatorControl>();
  /** Simulators on real ptys, made on request from the console (kiosk/devices/simulator-ports.ts). */
  readonly simulatorPorts = new SimulatorPorts();
  /** The receipt printer's profile; replaced when the console changes devices.printer. */
  printerProfile: PrinterProfile;
  #config: KioskConfig;
  #log: (kind: DeviceKind) => DeviceLogger;
  #openErrors = new Map<DeviceKind, string>();
  #faults = new Map<DeviceKind, DeviceFault[]>();
  #clock: () => number;

  constructor(config: KioskConfig, log: (kind: DeviceKind) => DeviceLogger, options: DeviceHubOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.#config = config;
    this.#log = log;
    this.#clock = options.clock ?? Date.now;
    this.printerProfile = resolvePrinterProfile(config.devices.printer.profile, config.devices.printer.profileOverrides ?? {});
    this.on('status', (kind, status) => this.#recordFault(kind, status));
  }

  /** The configuration the devices run with now (the boot's, with the console's device changes since). */
  get config(): KioskConfig {
    return this.#config;
  }

  /** The last faults of a device, newest first (at most FAULTS_KEPT). */
  faults(kind: DeviceKind): readonly DeviceFault[] {
    return [...(this.#faults.get(kind) ?? [])].reverse();
  }

  /**
   * Runs the devices of `next` (a whole validated configuration): every device whose section
   * changed is closed and opened again with its new settings, the others keep running. Resolves
   * with the kinds that were reopened once each has had its first open attempt (as at start).
   */
  async reconfigure(next: KioskConfig): Promise<DeviceKind[]> {
    const before = this.#config;
    const changed = DEVICE_KINDS.filter((k) => JSON.stringify(deviceSection(before, k)) !== JSON.stringify(deviceSection(next, k)));
    this.#config = next;
    if (changed.includes('printer')) {
      this.printerProfile = resolvePrinterProfile(next.devices.printer.profile, next.devices.printer.profileOverrides ?? {});
    }
    for (const kind of changed) {
      await this.#close(kind);
      this.#openErrors.delete(kind);
      this.#log(kind).info({ device: kind, mode: this.mode(kind) }, 'device reconfigured from the console; reopening');
      await this.#open(kind);
      this.emit('status', kind, this.status(kind));
    }
    return changed;
  }

  /** Open every configured device. A device that cannot be opened is reported, never fatal. */
  async start(): Promise<void> {
    await Promise.all(DEVICE_KINDS.map((kind) => this.#open(kind)));
  }

  /** off | simulator | hardware (ipp for the A4 printer). */
  mode(kind: DeviceKind): string {
    return kind === 'a4printer' ? this.#config.certificate.printer.mode : this.#config.devices[kind].mode;
  }

  status(kind: DeviceKind): DeviceStatusView {
    if (this.mode(kind) === 'off') return { state: 'off' };
    const err = this.#openErrors.get(kind);
    if (err) return disconnected(err);
    const driver = this[kind];
    return driver ? driver.status() : disconnected('设备未启动');
  }

  statuses(): Record<DeviceKind, DeviceStatusView> {
    return Object.fromEntries(DEVICE_KINDS.map((k) => [k, this.status(k)])) as Record<DeviceKind, DeviceStatusView>;
  }

  simulated(kind: DeviceKind): boolean {
    return this.mode(kind) === 'simulator';
  }

  /** Present a printed ticket at the mouth; resolves at once when no dispenser is configured. */
  async present(): Promise<PresentResult | null> {
    if (!this.dispenser) return null;
    try {
      return await this.dispenser.present({ timeoutMs: this.#config.devices.dispenser.presentTimeoutMs });
    } catch (err) {
      return { outcome: 'failed', code: 'error', message: (err as Error).message };
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.idcard?.stop(), this.scanner?.stop(), this.printer?.stop(), this.dispenser?.stop(), this.a4printer?.stop()]);
    this.a4Simulator = null;
    await Promise.all([...this.simulators.values()].map((s) => s.close()));
    this.simulators.clear();
    await this.simulatorPorts.closeAll();
  }

  /** Stops one device's driver and its simulator; the driver's last status events are not forwarded. */
  async #close(kind: DeviceKind): Promise<void> {
    const driver = this[kind];
    this[kind] = null;
    await driver?.stop();
    if (kind === 'a4printer') this.a4Simulator = null;
    const sim = this.simulators.get(kind);
    this.simulators.delete(kind);
    await sim?.close();
  }

  #recordFault(kind: DeviceKind, status: DeviceStatusView): void {
    let entry: Omit<DeviceFault, 'at'> | null = null;
    if (status.state === 'fault') entry = { state: 'fault', code: status.code, message: status.message };
    else if (status.state === 'disconnected') entry = { state: 'disconnected', code: null, message: status.reason };
    else if (status.state === 'ready' && status.warnings.length) {
      entry = { state: 'warning', code: status.warnings.map((w) => w.code).join(','), message: status.warnings.map((w) => w.message).join('；') };
    }
    if (!entry) return;
    const ring = this.#faults.get(kind) ?? [];
    const last = ring.at(-1);
    // A status repeated (the same fault reported again after a reopen) is one entry.
    if (last && last.state === entry.state && last.code === entry.code && last.message === entry.message) return;
    ring.push({ at: this.#clock(), ...entry });
    if (ring.length > FAULTS_KEPT) ring.splice(0, ring.length - FAULTS_KEPT);
    this.#faults.set(kind, ring);
  }

  async #open(kind: DeviceKind): Promise<void> {
    if (this.mode(kind) === 'off') return;
    if (kind === 'a4printer') return this.#openA4();
    const cfg = this.#config.devices[kind];
    try {
      let transport: ByteTransport;
      if (cfg.mode === 'simulator') {
        const link = memoryLink({ label: kind });
        this.simulators.set(kind, this.#attachSimulator(kind, link.device));
        transport = link.host;
      } else {
        transport = this.#hardwareTransport(kind);
      }
      await this.#openDriver(kind, transport);
    } catch (err) {
      const reason = `无法打开设备: ${(err as Error).message}`;
      this.#openErrors.set(kind, reason);
      this.#log(kind).error({ err: (err as Error).message }, 'device could not be opened');
      this.emit('status', kind, disconnected(reason));
    }
  }

  /** The A4 printer: an IPP endpoint (the simulator is a real IPP server on a free local port). */
  async #openA4(): Promise<void> {
    const p = this.#config.certificate.printer;
    const logger = this.#log('a4printer');
    try {
      let target: string;
      if (p.mode === 'simulator') {
        const sim = await IppPrinterSimulator.start({});
        this.a4Simulator = sim;
        this.simulators.set('a4printer', ippSimulatorControl(sim));
        target = sim.uri;
      } else {
        if (!p.target) throw new Error('certificate.printer.target is not set');
        target = p.target;
      }
      const drv = new A4PrinterDriver({
        target,
        // The simulator changes state on demand: follow it quickly so the banner shows 缺纸 at once.
        statusPollMs: p.mode === 'simulator' ? Math.min(p.statusPollMs, 1000) : p.statusPollMs,
        jobPollMs: p.jobPollMs,
        requestTimeoutMs: p.requestTimeoutMs,
        jobTimeoutMs: p.jobTimeoutMs,
        stallCancelMs: p.stallCancelMs,
        logger,
      });
      drv.on('status', (s) => {
        if (this.a4printer === drv) this.emit('status', 'a4printer', s);
      });
      this.a4printer = drv;
      await drv.start();
    } catch (err) {
      const reason = `无法打开设备: ${(err as Error).message}`;
      this.#openErrors.set('a4printer', reason);
      logger.error({ device: 'a4printer', err: (err as Error).message }, 'device could not be opened');
      this.emit('status', 'a4printer', disconnected(reason));
    }
  }

  #attachSimulator(kind: SerialKind, end: DeviceEnd): SimulatorControl {
    switch (kind) {
      case 'idcard':
        return new IdCardSimulator(end);
      case 'scanner':
        return new ScannerSimulator(end, { terminator: 'cr' });
      case 'printer':
        return new PrinterSimulator(end);
      case 'dispenser':
        return new DispenserSimulator(end);
    }
  }

  #hardwareTransport(kind: SerialKind): ByteTransport {
    const d = this.#config.devices;
    const logger = this.#log(kind);
    if (kind === 'scanner' && d.scanner.transport === 'hid-pos') {
      return new HidPosTransport({ vendorId: d.scanner.vendorId as number, productId: d.scanner.productId as number, logger });
    }
    return new SerialTransport({ path: d[kind].path ?? '', baudRate: d[kind].baudRate, logger });
  }

  async #openDriver(kind: SerialKind, transport: ByteTransport): Promise<void> {
    const d = this.#config.devices;
    const logger = this.#log(kind);
    // A driver closed by reconfigure() is no longer this[kind]: its last events are not the device's.
    const current = (drv: unknown): boolean => this[kind] === drv;
    const onStatus = (drv: unknown) => (s: DeviceStatus) => {
      if (current(drv)) this.emit('status', kind, s);
    };
    switch (kind) {
      case 'idcard': {
        const drv = new IdCardReaderDriver({ transport, pollIntervalMs: d.idcard.pollIntervalMs, logger });
        drv.on('status', onStatus(drv));
        drv.on('card', (card) => this.emit('card', card));
        drv.on('removed', () => this.emit('card-removed'));
        drv.on('read-error', (e) => this.emit('card-error', e));
        this.idcard = drv;
        return drv.start();
      }
      case 'scanner': {
        const drv =
          transport instanceof HidPosTransport
            ? new ScannerDriver({ mode: 'hid-pos', transport, logger })
            : new ScannerDriver({ mode: 'serial', transport, logger });
        drv.on('status', onStatus(drv));
        drv.on('scan', (scan) => this.emit('scan', scan));
        this.scanner = drv;
        return drv.start();
      }
      case 'printer': {
        const drv = new PrinterDriver({
          transport,
          profile: this.printerProfile,
          baudRate: d.printer.baudRate,
          pollIntervalMs: d.printer.statusPollMs,
          ...(d.printer.mode === 'simulator' ? { settleMs: 20 } : {}),
          logger,
        });
        drv.on('status', onStatus(drv));
        drv.on('printed', (job) => this.emit('printed', job));
        this.printer = drv;
        return drv.start();
      }
      case 'dispenser': {
        const drv = new DispenserDriver({ transport, presentTimeoutMs: d.dispenser.presentTimeoutMs, logger });
        drv.on('status', onStatus(drv));
        drv.on('ticket-taken', () => this.emit('ticket-taken'));
        drv.on('ticket-retracted', () => this.emit('ticket-retracted'));
        this.dispenser = drv;
        return drv.start();
      }
    }
  }
}

/** A device's part of the configuration: what reconfigure() compares. */
function deviceSection(config: KioskConfig, kind: DeviceKind): unknown {
  return kind === 'a4printer' ? config.certificate.printer : config.devices[kind];
}

/** The IPP simulator as the development API sees every simulator (its "host path" is its IPP URI). */
function ippSimulatorControl(sim: IppPrinterSimulator): SimulatorControl {
  return {
    kind: 'a4printer',
    get hostPath() {
      return sim.uri;
    },
    actions: sim.actions,
    state: () => sim.state(),
    act: (action, args) => sim.act(action, args),
    unplug: () => sim.unplug(),
    replug: () => sim.replug(),
    close: () => sim.close(),
  };
}
