import { EventEmitter } from 'node:events';
import type { DeviceLogger } from '../common/logger.ts';
import { silentLogger } from '../common/logger.ts';
import type { DeviceStatus } from '../common/status.ts';
import { disconnected, fault, ready, sameStatus } from '../common/status.ts';
import { SerialTransport } from '../common/serial-transport.ts';
import type { DecodedScan } from './codec.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, HidPosAssembler, LineFramer, decodeSerialLine } from './codec.ts';
import { HidReader } from './hid-reader.ts';
import { openWithNodeHid } from './hid-open.ts';
import { SCANNER_FAULT_CODES, SCANNER_MESSAGES } from './messages.ts';
import type {
  HidPosScannerOptions,
  HidTarget,
  ScanErrorCode,
  ScannerEvents,
  ScannerOptions,
  SerialScannerOptions,
} from './types.ts';
import { SCANNER_VENDOR_IDS } from './types.ts';

/**
 * Barcode/QR scanner driver. `mode: 'serial'` reads CR/LF-terminated lines from a USB-CDC or
 * RS-232 scanner over SerialTransport (§4.3); `mode: 'hid-pos'` reads HID-POS input reports with
 * node-hid (§4.1). Both reconnect by themselves. Emits 'scan' per decode, 'scan-error' for dropped
 * input (no payload attached), and 'status' only when the status changes. Scan text is personal
 * data in the e-voucher case and is never logged.
 */
export class ScannerDriver extends EventEmitter<ScannerEvents> {
  readonly mode: ScannerOptions['mode'];
  #status: DeviceStatus = disconnected(SCANNER_MESSAGES.stopped);
  #log: DeviceLogger;
  #maxBytes: number;
  #start: () => Promise<void>;
  #stop: () => Promise<void>;

  constructor(options: ScannerOptions) {
    super();
    this.mode = options.mode;
    this.#log = options.logger ?? silentLogger;
    this.#maxBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (!(Number.isInteger(this.#maxBytes) && this.#maxBytes > 0)) {
      throw new TypeError('"maxPayloadBytes" must be a positive integer');
    }
    const wiring = options.mode === 'serial' ? this.#wireSerial(options) : this.#wireHid(options);
    this.#start = wiring.start;
    this.#stop = wiring.stop;
  }

  status(): DeviceStatus {
    return this.#status;
  }

  /** Start reading; resolves after the first connection attempt, whether or not it succeeded. */
  start(): Promise<void> {
    return this.#start();
  }

  async stop(): Promise<void> {
    await this.#stop();
    this.#setStatus(disconnected(SCANNER_MESSAGES.stopped));
  }

  #wireSerial(options: SerialScannerOptions): { start: () => Promise<void>; stop: () => Promise<void> } {
    const framer = new LineFramer(this.#maxBytes);
    const aimPrefix = options.aimPrefix ?? true;
    const transport = new SerialTransport({
      path: options.path,
      baudRate: options.baudRate,
      logger: this.#log,
      ...(options.reconnectIntervalMs !== undefined ? { reconnectIntervalMs: options.reconnectIntervalMs } : {}),
    });
    let idleTimer: NodeJS.Timeout | null = null;
    const clearIdle = (): void => {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
    };
    const handle = (outs: ReturnType<LineFramer['push']>): void => {
      for (const out of outs) {
        if (out.type === 'error') this.#scanError(out.code);
        else {
          const scan = decodeSerialLine(out.bytes, aimPrefix);
          if (scan) this.#emitScan(scan);
        }
      }
    };
    transport.on('open', () => {
      clearIdle();
      framer.reset();
      this.#setStatus(ready());
    });
    transport.on('close', () => {
      clearIdle();
      framer.reset();
      this.#setStatus(disconnected(SCANNER_MESSAGES.serialClosed));
    });
    transport.on('data', (chunk) => {
      handle(framer.push(chunk));
      clearIdle();
      const idleMs = options.idleFlushMs;
      if (idleMs !== undefined && idleMs > 0 && framer.pending) {
        idleTimer = setTimeout(() => {
          idleTimer = null;
          handle(framer.flush());
        }, idleMs);
      }
    });
    return {
      start: async () => {
        await transport.start();
        if (!transport.isOpen) this.#setStatus(disconnected(SCANNER_MESSAGES.serialNotOpen));
      },
      stop: async () => {
        clearIdle();
        await transport.stop();
      },
    };
  }

  #wireHid(options: HidPosScannerOptions): { start: () => Promise<void>; stop: () => Promise<void> } {
    const target = hidTarget(options);
    const retryMs = Math.min(500, Math.max(250, options.retryIntervalMs ?? 300));
    let assembler = new HidPosAssembler({ maxPayloadBytes: this.#maxBytes });
    const reader = new HidReader(
      {
        target,
        retryMs,
        opener: options.openDevice ?? openWithNodeHid,
        ...(options.enableHidModeReport !== undefined ? { enableHidModeReport: options.enableHidModeReport } : {}),
      },
      {
        opened: (vendorId) => {
          const vendorCodeIds = vendorId === SCANNER_VENDOR_IDS.honeywell || vendorId === SCANNER_VENDOR_IDS.youjie;
          assembler = new HidPosAssembler({ maxPayloadBytes: this.#maxBytes, vendorCodeIds });
          this.#setStatus(ready());
        },
        openFailed: () => this.#setStatus(disconnected(SCANNER_MESSAGES.hidNotFound)),
        lost: () => this.#setStatus(disconnected(SCANNER_MESSAGES.hidLost)),
        unavailable: () =>
          this.#setStatus(fault(SCANNER_FAULT_CODES.hidUnavailable, SCANNER_MESSAGES.hidUnavailable)),
        report: (bytes) => {
          const result = assembler.push(bytes);
          if (result.type === 'scan') this.#emitScan(result.scan);
          else if (result.type === 'error') this.#scanError(result.code);
        },
      },
    );
    return { start: () => reader.start(), stop: () => reader.stop() };
  }

  #emitScan(scan: DecodedScan): void {
    this.emit('scan', { ...scan, at: Date.now() });
  }

  #scanError(code: ScanErrorCode): void {
    this.emit('scan-error', { code, at: Date.now() });
  }

  #setStatus(next: DeviceStatus): void {
    if (sameStatus(this.#status, next)) return;
    this.#status = next;
    const fields = { device: 'scanner', mode: this.mode, state: next.state };
    if (next.state === 'ready') this.#log.info(fields, 'scanner ready');
    else if (next.state === 'fault') this.#log.error({ ...fields, code: next.code }, 'scanner fault');
    else this.#log.warn(fields, 'scanner not available');
    this.emit('status', next);
  }
}

function hidTarget(options: HidPosScannerOptions): HidTarget {
  if (options.path !== undefined) return { path: options.path };
  if (options.vendorId !== undefined && options.productId !== undefined) {
    return { vendorId: options.vendorId, productId: options.productId };
  }
  throw new TypeError('hid-pos scanner needs "path" or both "vendorId" and "productId"');
}
