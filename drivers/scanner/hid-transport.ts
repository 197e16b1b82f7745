import { EventEmitter } from 'node:events';
import type { DeviceLogger } from '../common/logger.ts';
import { silentLogger } from '../common/logger.ts';
import type { ByteTransport, TransportEvents } from '../common/transport.ts';
import { HidUnavailableError, openWithNodeHid } from './hid-open.ts';
import type { HidDeviceHandle, HidOpener, HidTarget } from './types.ts';
import { SCANNER_VENDOR_IDS } from './types.ts';

/**
 * The HID ByteTransport for a scanner in HID-POS mode (README.md §4.1 in this folder), under the
 * contract of ../common/transport.ts: it opens the HID-POS collection, emits each input report
 * as one 'data' chunk, and when opening fails or the device reports an error (unplugged) closes
 * it and retries every `retryIntervalMs` until `close()`. When node-hid itself cannot load it
 * emits 'unavailable' once and stops. `write()` sends an output report.
 */
export interface HidPosTransportOptions {
  /** hidraw path; takes precedence over vendorId/productId. */
  path?: string;
  vendorId?: number;
  productId?: number;
  /** Delay between attempts to (re)open the device; clamped to 250..500 ms. Default 300 ms. */
  retryIntervalMs?: number;
  /**
   * Send feature report 0xFE [0x01] on open ("enable HID mode", §4.1). Default: only for
   * Honeywell (0x0C2E) and Youjie (0x23D0), whose reports also carry the Honeywell code ID.
   */
  enableHidModeReport?: boolean;
  /** Injected opener for tests; default opens with node-hid (imported lazily). */
  openDevice?: HidOpener;
  logger?: DeviceLogger;
}

/** Feature report 0xFE [0x01]: "enable HID mode" on Honeywell/Youjie (§4.1). */
const ENABLE_HID_MODE = [0xfe, 0x01];

export class HidPosTransport extends EventEmitter<TransportEvents> implements ByteTransport {
  readonly target: HidTarget;
  readonly #retryMs: number;
  readonly #opener: HidOpener;
  readonly #enable: boolean | undefined;
  readonly #log: DeviceLogger;
  #handle: HidDeviceHandle | null = null;
  #vendorId: number | undefined;
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  #gaveUp = false;

  constructor(options: HidPosTransportOptions) {
    super();
    this.target = hidTarget(options);
    this.#retryMs = Math.min(500, Math.max(250, options.retryIntervalMs ?? 300));
    this.#opener = options.openDevice ?? openWithNodeHid;
    this.#enable = options.enableHidModeReport;
    this.#log = options.logger ?? silentLogger;
  }

  get description(): string {
    return 'path' in this.target ? this.target.path : `hid:${hex(this.target.vendorId)}:${hex(this.target.productId)}`;
  }

  get isOpen(): boolean {
    return this.#handle !== null;
  }

  /** Vendor ID of the open device (the report layout differs per vendor, §4.1). */
  get vendorId(): number | undefined {
    return this.#handle ? this.#vendorId : undefined;
  }

  async open(): Promise<void> {
    if (!this.#stopped || this.#gaveUp) return;
    this.#stopped = false;
    await this.#tryOpen();
  }

  async close(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const handle = this.#handle;
    this.#handle = null;
    if (handle) await closeQuietly(handle);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.#handle;
    if (!handle) throw new Error(`HID device ${this.description} is not open`);
    await handle.write([...bytes]);
  }

  async #tryOpen(): Promise<void> {
    if (this.#stopped || this.#handle) return;
    let opened: Awaited<ReturnType<HidOpener>>;
    try {
      opened = await this.#opener(this.target);
    } catch (err) {
      if (this.#stopped) return;
      if (err instanceof HidUnavailableError) {
        this.#gaveUp = true;
        this.#stopped = true;
        this.#log.error({ device: this.description, err: err.message }, 'node-hid unavailable');
        this.emit('unavailable', err.message);
        return;
      }
      this.#schedule();
      return;
    }
    const { handle, vendorId } = opened;
    if (this.#stopped) {
      await closeQuietly(handle);
      return;
    }
    this.#handle = handle;
    this.#vendorId = vendorId;
    handle.on('data', (report) => {
      if (this.#handle === handle) this.emit('data', report);
    });
    handle.on('error', () => this.#lost(handle));
    const wantsEnable = this.#enable ?? (vendorId === SCANNER_VENDOR_IDS.honeywell || vendorId === SCANNER_VENDOR_IDS.youjie);
    if (wantsEnable) await handle.sendFeatureReport(ENABLE_HID_MODE).catch(() => 0);
    if (this.#handle !== handle) return; // lost while enabling
    this.emit('open');
  }

  #lost(handle: HidDeviceHandle): void {
    if (this.#handle !== handle) return;
    this.#handle = null;
    void closeQuietly(handle);
    this.emit('close', 'device error (unplugged)');
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#tryOpen();
    }, this.#retryMs);
  }
}

function hidTarget(options: HidPosTransportOptions): HidTarget {
  if (options.path !== undefined) return { path: options.path };
  if (options.vendorId !== undefined && options.productId !== undefined) {
    return { vendorId: options.vendorId, productId: options.productId };
  }
  throw new TypeError('hid-pos scanner needs "path" or both "vendorId" and "productId"');
}

const hex = (n: number): string => n.toString(16).padStart(4, '0');

async function closeQuietly(handle: HidDeviceHandle): Promise<void> {
  // Our listeners stay attached (they ignore a handle that is no longer current), so a late
  // 'error' from a closing device is never unhandled; node-hid removes them on close.
  await handle.close().catch(() => undefined);
}
