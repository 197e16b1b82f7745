import { EventEmitter } from 'node:events';
import type { KioskConfig } from '../../config/schema.ts';
import type { DeviceLogger } from '../../drivers/common/logger.ts';
import { memoryLink } from '../../drivers/common/memory-transport.ts';
import { SerialTransport } from '../../drivers/common/serial-transport.ts';
import type { SimulatorControl } from '../../drivers/common/simulator.ts';
import { disconnected, type DeviceKind, type DeviceStatus } from '../../drivers/common/status.ts';
import type { ByteTransport, DeviceEnd } from '../../drivers/common/transport.ts';
import { DispenserDriver, DispenserSimulator, type PresentResult } from '../../drivers/dispenser/index.ts';
import { IdCardReaderDriver, IdCardSimulator, type IdCard, type ReadFailure } from '../../drivers/idcard/index.ts';
import { PrinterDriver, PrinterSimulator, resolvePrinterProfile, type PrinterProfile } from '../../drivers/printer/index.ts';
import { HidPosTransport, ScannerDriver, ScannerSimulator, type ScanEvent } from '../../drivers/scanner/index.ts';

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
      this.#log(kind).error({ device: kind, err: (err as Error).message }, 'device could not be opened');
      this.emit('status', kind, disconnected(reason));
    }
  }

  #attachSimulator(kind: DeviceKind, end: DeviceEnd): SimulatorControl {
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

  #hardwareTransport(kind: DeviceKind): ByteTransport {
    const d = this.#config.devices;
    const logger = this.#log(kind);
    if (kind === 'scanner' && d.scanner.transport === 'hid-pos') {
      return new HidPosTransport({ vendorId: d.scanner.vendorId as number, productId: d.scanner.productId as number, logger });
    }
    return new SerialTransport({ path: d[kind].path ?? '', baudRate: d[kind].baudRate, logger });
  }

  async #openDriver(kind: DeviceKind, transport: ByteTransport): Promise<void> {
    const d = this.#config.devices;
    const logger = this.#log(kind);
    const onStatus = (s: DeviceStatus) => this.emit('status', kind, s);
    switch (kind) {
      case 'idcard': {
        const drv = new IdCardReaderDriver({ transport, pollIntervalMs: d.idcard.pollIntervalMs, logger });
        drv.on('status', onStatus);
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
        drv.on('status', onStatus);
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
        drv.on('status', onStatus);
        this.printer = drv;
        return drv.start();
      }
      case 'dispenser': {
        const drv = new DispenserDriver({ transport, presentTimeoutMs: d.dispenser.presentTimeoutMs, logger });
        drv.on('status', onStatus);
        drv.on('ticket-taken', () => this.emit('ticket-taken'));
        drv.on('ticket-retracted', () => this.emit('ticket-retracted'));
        this.dispenser = drv;
        return drv.start();
      }
    }
  }
}
