import { EventEmitter } from 'node:events';
import type { ByteTransport, DeviceEnd, DeviceEndEvents, TransportEvents } from './transport.ts';

/**
 * Two connected ends in one process: `host` is a ByteTransport a driver receives, `device` is
 * the DeviceEnd a simulator reads and writes. Bytes cross asynchronously (each write arrives in
 * a later macrotask, like a real port), so drivers meet the same event ordering as on a pty.
 *
 * `device.unplug()` makes the host end emit 'close' and reject writes; `device.replug()` brings
 * it back and the host end emits 'open' after `reopenDelayMs`, as a serial transport does when
 * the port reappears. Fault injection (`faults`) can be changed at any time, also mid-test.
 *
 * This is how simulated devices attach in the daemon (simulator mode) and in the driver unit
 * tests: the driver code is exactly the hall's code minus the serialport binding, which the pty
 * integration tier (pty.ts) and real hardware cover.
 */
export interface MemoryLinkFaults {
  /** Deliver every write in pieces of at most this many bytes (exercises the drivers' framing). */
  chunkBytes?: number;
  /** Host writes reject with this message while set (a port that errors on write). */
  failHostWrites?: string;
  /** Bytes from the device are dropped while set (a device that has gone silent). */
  dropToHost?: boolean;
  /** Bytes from the host are dropped while set (the device does not hear the driver). */
  dropToDevice?: boolean;
  /** Replace byte `index` of the next device → host write with `value`, once. */
  corruptNext?: { index: number; value: number };
}

export interface MemoryLinkOptions {
  /** Shown as `memory:<label>` in logs and the simulator list. */
  label?: string;
  /** Delay before the host end reopens after a replug (a serial transport's retry). Default 0. */
  reopenDelayMs?: number;
  /** Start unplugged (the driver starts before the device exists). */
  plugged?: boolean;
  faults?: MemoryLinkFaults;
}

export interface MemoryLink {
  readonly host: MemoryHostTransport;
  readonly device: MemoryDeviceEnd;
  /** Live fault settings; assign fields to inject or clear faults. */
  readonly faults: MemoryLinkFaults;
}

export function memoryLink(options: MemoryLinkOptions = {}): MemoryLink {
  const wire = new Wire(options);
  return { host: wire.host, device: wire.device, faults: wire.faults };
}

class Wire {
  readonly faults: MemoryLinkFaults;
  readonly host: MemoryHostTransport;
  readonly device: MemoryDeviceEnd;
  readonly address: string;
  readonly reopenDelayMs: number;
  plugged: boolean;
  /** Generation of the physical connection; bytes in flight from an older one are dropped. */
  generation = 0;

  constructor(options: MemoryLinkOptions) {
    this.address = `memory:${options.label ?? 'device'}`;
    this.reopenDelayMs = Math.max(0, options.reopenDelayMs ?? 0);
    this.plugged = options.plugged ?? true;
    this.faults = { ...options.faults };
    this.host = new MemoryHostTransport(this);
    this.device = new MemoryDeviceEnd(this);
  }

  /** Deliver bytes to `to` in later macrotasks, split per `chunkBytes`, unless the cable changed. */
  carry(bytes: Uint8Array, to: (chunk: Buffer) => void): void {
    const generation = this.generation;
    const copy = Buffer.from(bytes);
    const size = this.faults.chunkBytes && this.faults.chunkBytes > 0 ? Math.floor(this.faults.chunkBytes) : copy.length;
    for (let at = 0; at < copy.length; at += size) {
      const piece = copy.subarray(at, at + size);
      setImmediate(() => {
        if (this.generation === generation && this.plugged) to(piece);
      });
    }
  }
}

export class MemoryHostTransport extends EventEmitter<TransportEvents> implements ByteTransport {
  readonly #wire: Wire;
  #wanted = false;
  #open = false;
  #timer: NodeJS.Timeout | null = null;
  /** Writes the host made, for tests that check what reached the wire. */
  bytesWritten = 0;

  constructor(wire: Wire) {
    super();
    this.#wire = wire;
  }

  get description(): string {
    return this.#wire.address;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    if (this.#wanted) return;
    this.#wanted = true;
    if (this.#wire.plugged) this.#up();
  }

  async close(): Promise<void> {
    this.#wanted = false;
    this.#open = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.#open) throw new Error(`${this.#wire.address} is not open`);
    const failure = this.#wire.faults.failHostWrites;
    if (failure) throw new Error(failure);
    this.bytesWritten += bytes.length;
    if (this.#wire.faults.dropToDevice) return;
    this.#wire.carry(bytes, (chunk) => this.#wire.device.deliver(chunk));
    // Resolve once the bytes have left, like serialport's drain.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** The cable went away. */
  lost(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#open) return;
    this.#open = false;
    this.emit('close', 'unplugged');
  }

  /** The cable came back: reopen after the retry delay, if still wanted. */
  reappeared(): void {
    if (!this.#wanted || this.#open || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#wanted && this.#wire.plugged && !this.#open) this.#up();
    }, this.#wire.reopenDelayMs);
  }

  deliver(chunk: Buffer): void {
    if (this.#open) this.emit('data', chunk);
  }

  #up(): void {
    this.#open = true;
    this.emit('open');
  }
}

export class MemoryDeviceEnd extends EventEmitter<DeviceEndEvents> implements DeviceEnd {
  readonly #wire: Wire;

  constructor(wire: Wire) {
    super();
    this.#wire = wire;
  }

  get hostPath(): string {
    return this.#wire.address;
  }

  get plugged(): boolean {
    return this.#wire.plugged;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const wire = this.#wire;
    if (!wire.plugged || wire.faults.dropToHost) return;
    let out = bytes;
    const corrupt = wire.faults.corruptNext;
    if (corrupt && corrupt.index < bytes.length) {
      out = Uint8Array.from(bytes);
      out[corrupt.index] = corrupt.value;
      delete wire.faults.corruptNext;
    }
    wire.carry(out, (chunk) => wire.host.deliver(chunk));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async unplug(): Promise<void> {
    if (!this.#wire.plugged) return;
    this.#wire.plugged = false;
    this.#wire.generation++;
    this.#wire.host.lost();
  }

  async replug(): Promise<void> {
    if (this.#wire.plugged) return;
    this.#wire.plugged = true;
    this.#wire.generation++;
    this.#wire.host.reappeared();
  }

  async close(): Promise<void> {
    this.removeAllListeners();
    await this.unplug();
  }

  deliver(chunk: Buffer): void {
    this.emit('data', chunk);
  }
}
