import { EventEmitter } from 'node:events';
import type { DeviceLogger } from '../common/logger.ts';
import { silentLogger } from '../common/logger.ts';
import type { DeviceStatus } from '../common/status.ts';
import { disconnected, faultFrom, ready, sameStatus } from '../common/status.ts';
import type { ByteTransport } from '../common/transport.ts';
import type { DecodedScan } from './codec.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, HidPosAssembler, LineFramer, decodeSerialLine } from './codec.ts';
import { SCANNER_FAULTS, SCANNER_TEXT } from './messages.ts';
import type { HidPosScannerOptions, ScanErrorCode, ScannerEvents, ScannerOptions, SerialScannerOptions } from './types.ts';
import { SCANNER_VENDOR_IDS } from './types.ts';

/**
 * Barcode/QR scanner driver on the ByteTransport it is given (README.md in this folder).
 * `mode: 'serial'` reads CR/LF-terminated lines from a USB-CDC or RS-232 scanner (§4.3);
 * `mode: 'hid-pos'` reassembles HID-POS input reports, one per chunk (§4.1). The transport
 * reconnects by itself. Emits 'scan' per decode, 'scan-error' for dropped input (no payload
 * attached), and 'status' only when the status changes. Scan text is personal data in the
 * e-voucher case and is never logged.
 */
export class ScannerDriver extends EventEmitter<ScannerEvents> {
  readonly mode: ScannerOptions['mode'];
  readonly #transport: ByteTransport;
  #status: DeviceStatus = disconnected(SCANNER_TEXT.stopped);
  #log: DeviceLogger;
  #maxBytes: number;
  #started = false;
  readonly #wire: () => () => void;
  #unwire: (() => void) | null = null;

  constructor(options: ScannerOptions) {
    super();
    if (!options.transport) throw new TypeError('"transport" is required');
    this.mode = options.mode;
    this.#transport = options.transport;
    this.#log = options.logger ?? silentLogger;
    this.#maxBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (!(Number.isInteger(this.#maxBytes) && this.#maxBytes > 0)) {
      throw new TypeError('"maxPayloadBytes" must be a positive integer');
    }
    this.#wire = options.mode === 'serial' ? () => this.#wireSerial(options) : () => this.#wireHid(options);
  }

  status(): DeviceStatus {
    return this.#status;
  }

  /** Start reading; resolves after the first connection attempt, whether or not it succeeded. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#unwire = this.#wire();
    this.#transport.on('unavailable', this.#onUnavailable);
    await this.#transport.open();
    if (!this.#transport.isOpen && this.#status.state !== 'fault') {
      this.#setStatus(disconnected(this.mode === 'serial' ? SCANNER_TEXT.serialNotOpen : SCANNER_TEXT.hidNotFound));
    }
  }

  async stop(): Promise<void> {
    this.#started = false;
    this.#unwire?.();
    this.#unwire = null;
    this.#transport.off('unavailable', this.#onUnavailable);
    await this.#transport.close();
    this.#setStatus(disconnected(SCANNER_TEXT.stopped));
  }

  readonly #onUnavailable = (): void => this.#setStatus(faultFrom(SCANNER_FAULTS, 'hid-unavailable'));

  #wireSerial(options: SerialScannerOptions): () => void {
    const framer = new LineFramer(this.#maxBytes);
    const aimPrefix = options.aimPrefix ?? true;
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
    const onOpen = (): void => {
      clearIdle();
      framer.reset();
      this.#setStatus(ready());
    };
    const onClose = (): void => {
      clearIdle();
      framer.reset();
      this.#setStatus(disconnected(SCANNER_TEXT.serialClosed));
    };
    const onData = (chunk: Buffer): void => {
      handle(framer.push(chunk));
      clearIdle();
      const idleMs = options.idleFlushMs;
      if (idleMs !== undefined && idleMs > 0 && framer.pending) {
        idleTimer = setTimeout(() => {
          idleTimer = null;
          handle(framer.flush());
        }, idleMs);
      }
    };
    return this.#listen(onOpen, onClose, onData, clearIdle);
  }

  #wireHid(options: HidPosScannerOptions): () => void {
    const transport = options.transport;
    let assembler = new HidPosAssembler({ maxPayloadBytes: this.#maxBytes });
    const onOpen = (): void => {
      const vendorId = transport.vendorId;
      const vendorCodeIds = vendorId === SCANNER_VENDOR_IDS.honeywell || vendorId === SCANNER_VENDOR_IDS.youjie;
      assembler = new HidPosAssembler({ maxPayloadBytes: this.#maxBytes, vendorCodeIds });
      this.#setStatus(ready());
    };
    const onClose = (): void => this.#setStatus(disconnected(SCANNER_TEXT.hidLost));
    const onData = (report: Buffer): void => {
      const result = assembler.push(report);
      if (result.type === 'scan') this.#emitScan(result.scan);
      else if (result.type === 'error') this.#scanError(result.code);
    };
    return this.#listen(onOpen, onClose, onData, () => undefined);
  }

  #listen(onOpen: () => void, onClose: () => void, onData: (chunk: Buffer) => void, cleanup: () => void): () => void {
    const t = this.#transport;
    t.on('open', onOpen);
    t.on('close', onClose);
    t.on('data', onData);
    return () => {
      cleanup();
      t.off('open', onOpen);
      t.off('close', onClose);
      t.off('data', onData);
    };
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
    const fields = { mode: this.mode, state: next.state };
    if (next.state === 'ready') this.#log.info(fields, 'scanner ready');
    else if (next.state === 'fault') this.#log.error({ ...fields, code: next.code }, 'scanner fault');
    else this.#log.warn(fields, 'scanner not available');
    this.emit('status', next);
  }
}
