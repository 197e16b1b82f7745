import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import type { DeviceLogger } from './logger.ts';
import { silentLogger } from './logger.ts';

/**
 * A serial byte pipe that keeps itself open: when the port vanishes (USB unplugged, pty closed)
 * it emits 'close' and retries opening every `reconnectIntervalMs` until the port is back or
 * `stop()` is called. Drivers build on this and never import 'serialport' themselves.
 *
 * Invariants: 'open' and 'close' alternate; `write` rejects when the port is not open (it never
 * queues bytes for a device that may come back in a different state); 'data' chunks may split
 * or join protocol frames arbitrarily, so every driver frames its own input.
 */
export interface SerialTransportOptions {
  path: string;
  baudRate: number;
  /** Delay between attempts to reopen a vanished port. Default 250 ms (reconnect well within 2 s). */
  reconnectIntervalMs?: number;
  logger?: DeviceLogger;
}

type TransportEvents = {
  data: [Buffer];
  open: [];
  close: [reason: string];
};

export class SerialTransport extends EventEmitter<TransportEvents> {
  readonly path: string;
  readonly baudRate: number;
  #port: SerialPort | null = null;
  #stopped = true;
  #timer: NodeJS.Timeout | null = null;
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

  get isOpen(): boolean {
    return this.#port?.isOpen === true;
  }

  /** Start trying to open the port; resolves after the first attempt, open or not. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#tryOpen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
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
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
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
    this.#log.info({ path: this.path }, 'serial port open');
    this.emit('open');
  }

  #lost(port: SerialPort, reason: string): void {
    if (this.#port !== port) return;
    this.#port = null;
    if (port.isOpen) port.close(() => undefined);
    this.#log.warn({ path: this.path, reason }, 'serial port lost');
    this.emit('close', reason);
    this.#scheduleReopen();
  }

  #scheduleReopen(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#tryOpen();
    }, this.#reconnectMs);
  }
}
