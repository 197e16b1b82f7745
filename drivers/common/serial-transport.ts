import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import type { SerialPort } from 'serialport';
import { lazyRequire } from './lazy-require.ts';

const serialport = lazyRequire<typeof import('serialport')>('serialport');
import type { DeviceLogger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { ByteTransport, TransportEvents } from './transport.ts';

/**
 * The serial-port ByteTransport (contract and invariants in transport.ts): when the port
 * vanishes (USB unplugged, pty closed) it emits 'close' and retries opening every
 * `reconnectIntervalMs` until the port is back or `close()` is called. This is the only file
 * that imports 'serialport'; the daemon builds one per hardware device and hands it to the driver.
 *
 * While open it also checks every `reconnectIntervalMs` that the device node still exists:
 * serialport reports a hang-up (POLLHUP) only while it is waiting to read, so a port pulled
 * while bytes were still queued for reading could otherwise stay "open" with nothing behind it
 * (seen on ptys: test/drivers/pty.test.ts unplugs right after a scan).
 */
export interface SerialTransportOptions {
  path: string;
  baudRate: number;
  /** Delay between attempts to reopen a vanished port. Default 250 ms (reconnect well within 2 s). */
  reconnectIntervalMs?: number;
  logger?: DeviceLogger;
}

export class SerialTransport extends EventEmitter<TransportEvents> implements ByteTransport {
  readonly path: string;
  readonly baudRate: number;
  #port: SerialPort | null = null;
  #stopped = true;
  #timer: NodeJS.Timeout | null = null;
  #presence: NodeJS.Timeout | null = null;
  #reconnectMs: number;
  #log: DeviceLogger;
  #lastOpenError = '';

  constructor(options: SerialTransportOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate;
    this.#reconnectMs = options.reconnectIntervalMs ?? 250;
    this.#log = options.logger ?? silentLogger;
  }

  get description(): string {
    return this.path;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen === true;
  }

  /** Start trying to open the port; resolves after the first attempt, open or not. */
  async open(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    await this.#tryOpen();
  }

  async close(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#stopPresenceCheck();
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port || !port.isOpen) return Promise.reject(new Error(`serial port ${this.path} is not open`));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => {
        if (err) return reject(err);
        port.drain((drainErr) => (drainErr ? reject(drainErr) : resolve()));
      });
    });
  }

  async #tryOpen(): Promise<void> {
    if (this.#stopped || this.#port) return;
    const port = new (serialport().SerialPort)({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    const error = await new Promise<Error | null>((resolve) => port.open((err) => resolve(err ?? null)));
    if (this.#stopped) {
      if (!error) port.close(() => undefined);
      return;
    }
    if (error) {
      if (error.message !== this.#lastOpenError) {
        this.#lastOpenError = error.message;
        this.#log.warn({ path: this.path, err: error.message }, 'serial port not available; retrying');
      }
      this.#scheduleReopen();
      return;
    }
    this.#lastOpenError = '';
    this.#port = port;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('error', (err) => this.#lost(port, err.message));
    port.on('close', () => this.#lost(port, 'port closed'));
    this.#presence = setInterval(() => {
      if (!existsSync(this.path)) this.#lost(port, 'device node vanished');
    }, this.#reconnectMs);
    this.#presence.unref();
    this.#log.info({ path: this.path }, 'serial port open');
    this.emit('open');
  }

  #lost(port: SerialPort, reason: string): void {
    if (this.#port !== port) return;
    this.#port = null;
    this.#stopPresenceCheck();
    if (port.isOpen) port.close(() => undefined);
    this.#log.warn({ path: this.path, reason }, 'serial port lost');
    this.emit('close', reason);
    this.#scheduleReopen();
  }

  #stopPresenceCheck(): void {
    if (this.#presence) clearInterval(this.#presence);
    this.#presence = null;
  }

  #scheduleReopen(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#tryOpen();
    }, this.#reconnectMs);
  }
}
