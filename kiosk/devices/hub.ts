import { EventEmitter } from 'node:events';
import type { KioskConfig } from '../../config/schema.ts';
import type { DeviceLogger } from '../../drivers/common/logger.ts';
import type { SimulatorControl } from '../../drivers/common/simulator.ts';
import { disconnected, type DeviceKind, type DeviceStatus } from '../../drivers/common/status.ts';
import { DispenserDriver, DispenserSimulator, type PresentResult } from '../../drivers/dispenser/index.ts';
import { IdCardReaderDriver, IdCardSimulator, type IdCard, type ReadFailure } from '../../drivers/idcard/index.ts';
import { PrinterDriver, PrinterSimulator, resolvePrinterProfile, type PrinterProfile } from '../../drivers/printer/index.ts';
import { ScannerDriver, ScannerSimulator, type ScanEvent } from '../../drivers/scanner/index.ts';

/**
 * The one place that decides, from configuration, whether each device is real hardware, a
 * simulator (a socat pty pair with the simulator on the far end, so the same driver code runs)
 * or switched off. Everything else talks to the drivers through this hub.
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
};

export const DEVICE_KINDS: readonly DeviceKind[] = ['idcard', 'scanner', 'printer', 'dispenser'];

export class DeviceHub extends EventEmitter<HubEvents> {
  idcard: IdCardReaderDriver | null = null;
  scanner: ScannerDriver | null = null;
  printer: PrinterDriver | null = null;
  dispenser: DispenserDriver | null = null;
  readonly simulators = new Map<DeviceKind, SimulatorControl>();
  readonly printerProfile: PrinterProfile;
  #config: KioskConfig;
  #log: (kind: DeviceKind) => DeviceLogger;
  #openErrors = new Map<DeviceKind, string>();

  constructor(config: KioskConfig, log: (kind: DeviceKind) => DeviceLogger) {
    super();
    this.setMaxListeners(0);
    this.#config = config;
    this.#log = log;
    this.printerProfile = resolvePrinterProfile(config.devices.printer.profile, config.devices.printer.profileOverrides ?? {});
  }

  /** Open every configured device. A device that cannot be opened is reported, never fatal. */
  async start(): Promise<void> {
    await Promise.all(DEVICE_KINDS.map((kind) => this.#open(kind)));
  }

  status(kind: DeviceKind): DeviceStatusView {
    if (this.#config.devices[kind].mode === 'off') return { state: 'off' };
    const err = this.#openErrors.get(kind);
    if (err) return disconnected(err);
    const driver = this[kind];
    return driver ? driver.status() : disconnected('设备未启动');
  }

  statuses(): Record<DeviceKind, DeviceStatusView> {
    return Object.fromEntries(DEVICE_KINDS.map((k) => [k, this.status(k)])) as Record<DeviceKind, DeviceStatusView>;
  }

  simulated(kind: DeviceKind): boolean {
    return this.#config.devices[kind].mode === 'simulator';
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
    await Promise.all([this.idcard?.stop(), this.scanner?.stop(), this.printer?.stop(), this.dispenser?.stop()]);
    await Promise.all([...this.simulators.values()].map((s) => s.close()));
    this.simulators.clear();
  }

  async #open(kind: DeviceKind): Promise<void> {
    const cfg = this.#config.devices[kind];
    if (cfg.mode === 'off') return;
    let path = cfg.path ?? '';
    try {
      if (cfg.mode === 'simulator') {
        const sim = await this.#openSimulator(kind);
        this.simulators.set(kind, sim);
        path = sim.hostPath;
      }
      await this.#openDriver(kind, path);
    } catch (err) {
      const reason = `无法打开设备: ${(err as Error).message}`;
      this.#openErrors.set(kind, reason);
      this.#log(kind).error({ device: kind, err: (err as Error).message }, 'device could not be opened');
      this.emit('status', kind, disconnected(reason));
    }
  }

  #openSimulator(kind: DeviceKind): Promise<SimulatorControl> {
    switch (kind) {
      case 'idcard':
        return IdCardSimulator.open();
      case 'scanner':
        return ScannerSimulator.open({ terminator: 'cr' });
      case 'printer':
        return PrinterSimulator.open();
      case 'dispenser':
        return DispenserSimulator.open();
    }
  }

  async #openDriver(kind: DeviceKind, path: string): Promise<void> {
    const d = this.#config.devices;
    const logger = this.#log(kind);
    const onStatus = (s: DeviceStatus) => this.emit('status', kind, s);
    switch (kind) {
      case 'idcard': {
        const drv = new IdCardReaderDriver({ path, baudRate: d.idcard.baudRate, pollIntervalMs: d.idcard.pollIntervalMs, logger });
        drv.on('status', onStatus);
        drv.on('card', (card) => this.emit('card', card));
        drv.on('removed', () => this.emit('card-removed'));
        drv.on('read-error', (e) => this.emit('card-error', e));
        this.idcard = drv;
        return drv.start();
      }
      case 'scanner': {
        const drv =
          d.scanner.transport === 'hid-pos' && d.scanner.mode === 'hardware'
            ? new ScannerDriver({ mode: 'hid-pos', vendorId: d.scanner.vendorId as number, productId: d.scanner.productId as number, logger })
            : new ScannerDriver({ mode: 'serial', path, baudRate: d.scanner.baudRate, logger });
        drv.on('status', onStatus);
        drv.on('scan', (scan) => this.emit('scan', scan));
        this.scanner = drv;
        return drv.start();
      }
      case 'printer': {
        const drv = new PrinterDriver({
          path,
          profile: this.printerProfile,
          baudRate: d.printer.baudRate,
          pollIntervalMs: d.printer.statusPollMs,
          ...(d.printer.mode === 'simulator' ? { settleMs: 20 } : {}),
          logger,
        });
        drv.on('status', onStatus);
        this.printer = drv;
        return drv.start();
      }
      case 'dispenser': {
        const drv = new DispenserDriver({ path, baudRate: d.dispenser.baudRate, presentTimeoutMs: d.dispenser.presentTimeoutMs, logger });
        drv.on('status', onStatus);
        drv.on('ticket-taken', () => this.emit('ticket-taken'));
        drv.on('ticket-retracted', () => this.emit('ticket-retracted'));
        this.dispenser = drv;
        return drv.start();
      }
    }
  }
}
