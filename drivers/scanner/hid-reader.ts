import type { HidDeviceHandle, HidOpener, HidTarget } from './types.ts';
import { SCANNER_VENDOR_IDS } from './types.ts';
import { HidUnavailableError } from './hid-open.ts';

/**
 * Keeps a HID-POS scanner open: opens it, forwards its input reports, and when opening fails or
 * the device reports an error (unplugged) closes it and retries every `retryMs` until `stop()`.
 * When node-hid itself cannot load, it gives up and reports `unavailable` once.
 */
export interface HidReaderCallbacks {
  opened(vendorId: number | undefined): void;
  openFailed(): void;
  lost(): void;
  unavailable(): void;
  report(bytes: Buffer): void;
}

export interface HidReaderOptions {
  target: HidTarget;
  retryMs: number;
  opener: HidOpener;
  enableHidModeReport?: boolean;
}

/** Feature report 0xFE [0x01]: "enable HID mode" on Honeywell/Youjie (§4.1). */
const ENABLE_HID_MODE = [0xfe, 0x01];

export class HidReader {
  #opts: HidReaderOptions;
  #cb: HidReaderCallbacks;
  #handle: HidDeviceHandle | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;

  constructor(options: HidReaderOptions, callbacks: HidReaderCallbacks) {
    this.#opts = options;
    this.#cb = callbacks;
  }

  /** Resolves after the first open attempt, successful or not. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#tryOpen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const handle = this.#handle;
    this.#handle = null;
    if (handle) await closeQuietly(handle);
  }

  async #tryOpen(): Promise<void> {
    if (this.#stopped || this.#handle) return;
    let opened: Awaited<ReturnType<HidOpener>>;
    try {
      opened = await this.#opts.opener(this.#opts.target);
    } catch (err) {
      if (this.#stopped) return;
      if (err instanceof HidUnavailableError) {
        this.#cb.unavailable();
        return;
      }
      this.#cb.openFailed();
      this.#schedule();
      return;
    }
    const { handle, vendorId } = opened;
    if (this.#stopped) {
      await closeQuietly(handle);
      return;
    }
    this.#handle = handle;
    handle.on('data', (report) => {
      if (this.#handle === handle) this.#cb.report(report);
    });
    handle.on('error', () => this.#lost(handle));
    const wantsEnable =
      this.#opts.enableHidModeReport ??
      (vendorId === SCANNER_VENDOR_IDS.honeywell || vendorId === SCANNER_VENDOR_IDS.youjie);
    if (wantsEnable) await handle.sendFeatureReport(ENABLE_HID_MODE).catch(() => 0);
    if (this.#handle !== handle) return; // lost while enabling
    this.#cb.opened(vendorId);
  }

  #lost(handle: HidDeviceHandle): void {
    if (this.#handle !== handle) return;
    this.#handle = null;
    void closeQuietly(handle);
    this.#cb.lost();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#tryOpen();
    }, this.#opts.retryMs);
  }
}

async function closeQuietly(handle: HidDeviceHandle): Promise<void> {
  // Our listeners stay attached (they ignore a handle that is no longer current), so a late
  // 'error' from a closing device is never unhandled; node-hid removes them on close.
  await handle.close().catch(() => undefined);
}
