import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from './pty.ts';

/**
 * The device end of a simulated serial device: a socat pty pair whose `hostPath` the real driver
 * opens, while the simulator reads and writes `devicePath`. `unplug()` tears the pair down
 * (the driver's port vanishes, as when a USB cable is pulled); `replug()` recreates it on the
 * same paths (the driver must reconnect by itself).
 */
type PortEvents = { data: [Buffer] };

export class SimulatedPort extends EventEmitter<PortEvents> {
  readonly hostPath: string;
  readonly devicePath: string;
  #pair: PtyPair | null;
  #port: SerialPort | null = null;

  private constructor(pair: PtyPair) {
    super();
    this.#pair = pair;
    this.hostPath = pair.hostPath;
    this.devicePath = pair.devicePath;
  }

  /** Create the pty pair and open its device end. */
  static async open(paths: { hostPath?: string; devicePath?: string } = {}): Promise<SimulatedPort> {
    const sim = new SimulatedPort(await openPtyPair(paths));
    await sim.#openDeviceEnd();
    return sim;
  }

  get plugged(): boolean {
    return this.#pair !== null;
  }

  /** Send bytes to the driver. Bytes sent while unplugged are dropped, as on a real cable. */
  async write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => (err ? reject(err) : port.drain(() => resolve())));
    });
  }

  async unplug(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    const pair = this.#pair;
    this.#pair = null;
    await pair?.close();
  }

  async replug(): Promise<void> {
    if (this.#pair) return;
    this.#pair = await openPtyPair({ hostPath: this.hostPath, devicePath: this.devicePath });
    await this.#openDeviceEnd();
  }

  close(): Promise<void> {
    this.removeAllListeners();
    return this.unplug();
  }

  async #openDeviceEnd(): Promise<void> {
    const port = new SerialPort({ path: this.devicePath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('error', () => undefined); // a torn-down pty reports EIO; unplug() already handles it
    this.#port = port;
  }
}
