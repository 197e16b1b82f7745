import type { EventEmitter } from 'node:events';

/**
 * The byte link between a driver and its device. Drivers receive one (they never build their
 * own), so the same driver code runs on a serial port (`serial-transport.ts`), a HID device
 * (`../scanner/hid-transport.ts`) or one end of an in-process pair (`memory-transport.ts`).
 *
 * A transport is a link that keeps itself open, in the spirit of serialport's stream contract
 * with reconnection added:
 *
 * - `open()` starts the link and resolves after the FIRST attempt, whether or not it opened; if
 *   the device is absent the transport retries in the background until it appears or `close()`
 *   is called. `open()` on a transport that is already started does nothing.
 * - `'open'` is emitted each time the link comes up; `'close'` each time a link that was up goes
 *   down (cable pulled, port vanished), with a short English reason for logs. The two alternate
 *   strictly, starting with `'open'`. After a `'close'` the transport retries by itself.
 * - `'unavailable'` means the transport gave up for good (e.g. the native HID library cannot
 *   load on this machine); no retries and no further `'open'` follow. It is a fault, not an
 *   absence.
 * - `close()` stops retrying and closes the link; it is silent (no `'close'` event: the caller
 *   knows) and after it resolves no event of any kind is emitted. It may be called repeatedly.
 * - `write()` resolves when the bytes have been handed to the device (drained) and rejects when
 *   the link is not open. It never queues bytes for a device that may come back in another
 *   state: a write while unplugged fails at once.
 * - `'data'` chunks may split or join protocol frames arbitrarily, so every driver frames its
 *   own input. (A HID transport delivers one input report per chunk.)
 * - A transport never throws from an event handler and never emits `'error'`.
 * - Nothing a transport logs contains the bytes it carried (they may be personal data).
 */
export type TransportEvents = {
  open: [];
  data: [Buffer];
  close: [reason: string];
  unavailable: [reason: string];
};

export interface ByteTransport extends EventEmitter<TransportEvents> {
  /** What the transport is attached to (a port path, `memory:printer`, a HID path), for logs. */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
}

/**
 * The device side of a simulated link, which a simulator reads and writes: one end of an
 * in-memory pair (`memory-transport.ts`) or the master side of a real pty (`pty.ts`).
 *
 * - `write()` sends bytes to the driver; bytes written while unplugged are dropped, as on a
 *   real cable, and `write()` still resolves.
 * - `unplug()` makes the driver's transport lose its link; `replug()` brings it back on the
 *   same address, and the driver must reconnect by itself.
 * - `close()` unplugs for good and removes every listener.
 */
export type DeviceEndEvents = { data: [Buffer] };

export interface DeviceEnd extends EventEmitter<DeviceEndEvents> {
  /** Where the driver side is attached: a pty path, or `memory:<label>` for an in-memory pair. */
  readonly hostPath: string;
  readonly plugged: boolean;
  write(bytes: Uint8Array): Promise<void>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}
