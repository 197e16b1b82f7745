import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ReadStream } from 'node:tty';
import type { DeviceEnd, DeviceEndEvents } from './transport.ts';

/**
 * The pty tier: a real pseudo-terminal pair made in-process with node-pty's native `open()`
 * (openpty(3); no child process, no socat). The driver's SerialTransport opens `hostPath`, a
 * symlink to the pty's /dev/pts/N slave, exactly as it opens /dev/ttyUSB0, so the serialport
 * binding is in the loop; the simulator reads and writes the master side in this process.
 *
 * `unplug()` closes both fds and removes the link (the driver's port reports EIO/close, as when
 * a USB cable is pulled); `replug()` opens a fresh pair and points the same link at it.
 *
 * node-pty's `UnixTerminal.open()` wraps both fds in streams that read (the slave stream would
 * steal the driver's bytes) and whose `destroy()` throws, so this file calls the native
 * binding and owns the two fds itself: the master is read and written through a tty stream,
 * the slave is put in raw mode and held open (never read) so the master does not see EIO while
 * the driver is between two opens.
 */
type NativePty = { open(cols: number, rows: number): { master: number; slave: number; pty: string } };

let native: NativePty | null = null;
function nativePty(): NativePty {
  if (!native) {
    const require = createRequire(import.meta.url);
    const utils = require('node-pty/lib/utils') as { loadNativeModule(name: string): { module: NativePty } };
    native = utils.loadNativeModule('pty').module;
  }
  return native;
}

interface Pair {
  master: ReadStream;
  slave: ReadStream;
}

export class PtyPort extends EventEmitter<DeviceEndEvents> implements DeviceEnd {
  readonly hostPath: string;
  readonly #tempDir: string | null;
  #pair: Pair | null = null;

  private constructor(hostPath: string, tempDir: string | null) {
    super();
    this.hostPath = hostPath;
    this.#tempDir = tempDir;
  }

  /** Open a pty pair; the driver opens `hostPath` (a fresh temporary link when omitted). */
  static async open(options: { hostPath?: string } = {}): Promise<PtyPort> {
    const tempDir = options.hostPath ? null : mkdtempSync(join(tmpdir(), 'kiosk-pty-'));
    const port = new PtyPort(options.hostPath ?? join(tempDir as string, 'host'), tempDir);
    port.#connect();
    return port;
  }

  get plugged(): boolean {
    return this.#pair !== null;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const pair = this.#pair;
    if (!pair) return;
    await new Promise<void>((resolve) => {
      pair.master.write(Buffer.from(bytes), () => resolve());
    });
  }

  async unplug(): Promise<void> {
    const pair = this.#pair;
    if (!pair) return;
    this.#pair = null;
    rmSync(this.hostPath, { force: true });
    await Promise.all([destroyStream(pair.master), destroyStream(pair.slave)]);
  }

  async replug(): Promise<void> {
    if (this.#pair) return;
    this.#connect();
  }

  async close(): Promise<void> {
    this.removeAllListeners();
    await this.unplug();
    if (this.#tempDir) rmSync(this.#tempDir, { recursive: true, force: true });
  }

  #connect(): void {
    const { master, slave, pty } = nativePty().open(80, 24);
    let masterStream: ReadStream;
    let slaveStream: ReadStream;
    try {
      slaveStream = new ReadStream(slave);
      slaveStream.setRawMode(true);
      masterStream = new ReadStream(master);
    } catch (err) {
      closeQuietly(master);
      closeQuietly(slave);
      throw err;
    }
    masterStream.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // EIO when the slave side hangs up, or when we tear the pair down: unplug() handles it.
    masterStream.on('error', () => undefined);
    slaveStream.on('error', () => undefined);
    mkdirSync(dirname(this.hostPath), { recursive: true });
    try {
      unlinkSync(this.hostPath);
    } catch {
      // no stale link
    }
    symlinkSync(pty, this.hostPath);
    this.#pair = { master: masterStream, slave: slaveStream };
  }
}

function destroyStream(stream: ReadStream): Promise<void> {
  if (stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    stream.destroy();
  });
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
