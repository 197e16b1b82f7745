/**
 * ESC/POS receipt printer driver on the ByteTransport it is given (README.md in this folder). Every device exchange (status polls and
 * print jobs) runs through one serialized queue, so status replies can never interleave with job
 * bytes. A job is: DLE EOT 1–4 pre-check → job bytes → settle → DLE EOT 1–4 post-check, and it
 * always ends in a typed PrintResult: device conditions never throw, and every wait has a timeout.
 */
import { EventEmitter } from 'node:events';
import type { DeviceLogger } from '../common/logger.ts';
import { silentLogger } from '../common/logger.ts';
import type { DeviceStatus } from '../common/status.ts';
import { disconnected, faultFrom, sameStatus } from '../common/status.ts';
import type { ByteTransport } from '../common/transport.ts';
import { encodeDocument } from './codec.ts';
import type { PrinterDocument } from './document.ts';
import { PRINTER_FAULTS, PRINTER_TEXT } from './messages.ts';
import type { PrinterProfile } from './profiles.ts';
import {
  STATUS_REQUESTS,
  decodeStatusReply,
  faultOf,
  flagsToDeviceStatus,
  mergeReplies,
  statusRequest,
  type PrinterFlags,
  type StatusReply,
} from './status-codec.ts';
import { measurePaper } from './paper-usage.ts';
import { testPageDocument } from './samples.ts';
import type { PrintFailureCode, PrintPhase, PrintResult, PrinterDriverEvents, PrinterDriverOptions } from './types.ts';

type FlagsResult = { ok: true; flags: PrinterFlags } | { ok: false; code: 'no-response' | 'disconnected' };

const OPEN_RETRIES = 2;
const OPEN_RETRY_DELAY_MS = 100;
const BUSY_PRINTING: DeviceStatus = Object.freeze({ state: 'busy', task: 'print' });

export class PrinterDriver extends EventEmitter<PrinterDriverEvents> {
  readonly profile: PrinterProfile;
  readonly #transport: ByteTransport;
  readonly #log: DeviceLogger;
  readonly #baudRate: number;
  readonly #pollMs: number;
  readonly #replyTimeoutMs: number;
  readonly #settleMs: number;
  #status: DeviceStatus = disconnected(PRINTER_TEXT.disconnected);
  #queue: Promise<unknown> = Promise.resolve();
  #queued = 0;
  #pending: ((byte: number | null) => void) | null = null;
  #pollTimer: NodeJS.Timeout | null = null;
  #started = false;
  /** A reply timed out: a late byte may still arrive, so wait for quiet before the next query. */
  #mayHaveStaleReply = false;

  constructor(options: PrinterDriverOptions) {
    super();
    this.profile = options.profile;
    this.#log = options.logger ?? silentLogger;
    this.#baudRate = options.baudRate ?? 9600;
    this.#pollMs = options.pollIntervalMs ?? 2000;
    this.#replyTimeoutMs = options.statusTimeoutMs ?? 500;
    this.#settleMs = options.settleMs ?? 200;
    if (!options.transport) throw new TypeError('"transport" is required');
    this.#transport = options.transport;
    this.#transport.on('data', (chunk) => this.#onData(chunk));
    this.#transport.on('open', () => void this.#refreshAfterOpen());
    this.#transport.on('close', () => {
      this.#resolvePending(null);
      this.#setStatus(disconnected(PRINTER_TEXT.disconnected));
    });
  }

  status(): DeviceStatus {
    return this.#status;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#transport.open();
    // The transport's 'open' event has already queued the first status query; wait for it.
    await this.#queue;
    if (this.#pollMs > 0) {
      this.#pollTimer = setInterval(() => {
        if (this.#queued === 0 && this.#transport.isOpen) void this.refreshStatus();
      }, this.#pollMs);
      this.#pollTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#pollTimer = null;
    this.#resolvePending(null);
    await this.#queue.catch(() => undefined);
    await this.#transport.close();
    this.#setStatus(disconnected(PRINTER_TEXT.disconnected));
  }

  /** Ask the printer for its state now (queued behind any job) and return the resulting status. */
  refreshStatus(): Promise<DeviceStatus> {
    return this.#enqueue(async () => {
      if (!this.#transport.isOpen) return this.#status;
      const r = await this.#queryFlags();
      if (r.ok) this.#setStatus(flagsToDeviceStatus(r.flags));
      else this.#setStatus(this.#statusForFailure(r.code));
      return this.#status;
    });
  }

  /**
   * Right after a (re)connect the far end may not be listening yet (a USB printer still
   * enumerating, a pty whose other side is opening): retry silence a few times before
   * declaring the printer unresponsive.
   */
  #refreshAfterOpen(): Promise<DeviceStatus> {
    return this.#enqueue(async () => {
      for (let attempt = 0; ; attempt++) {
        if (!this.#transport.isOpen) return this.#status;
        const r = await this.#queryFlags();
        if (r.ok) {
          this.#setStatus(flagsToDeviceStatus(r.flags));
          return this.#status;
        }
        if (r.code !== 'no-response' || attempt >= OPEN_RETRIES) {
          this.#setStatus(this.#statusForFailure(r.code));
          return this.#status;
        }
        await delay(OPEN_RETRY_DELAY_MS);
      }
    });
  }

  /** Print a document. Resolves with a precise result; never rejects for device conditions. */
  print(document: PrinterDocument): Promise<PrintResult> {
    const encoded = encodeDocument(document, this.profile);
    if (!encoded.ok) {
      this.#log.warn({ code: encoded.code, blockIndex: encoded.blockIndex }, 'printer document rejected');
      return Promise.resolve(failure('invalid-document', 'precheck'));
    }
    return this.printBytes(encoded.bytes);
  }

  /** Print the self-test page (profile, alignment, sizes, QR, cut). */
  printTestPage(): Promise<PrintResult> {
    return this.print(testPageDocument(this.profile));
  }

  /** Send pre-encoded ESC/POS bytes as one job, with the same checks as print(). */
  printBytes(bytes: Uint8Array): Promise<PrintResult> {
    return this.#enqueue(() => this.#runJob(bytes));
  }

  async #runJob(bytes: Uint8Array): Promise<PrintResult> {
    if (!this.#started) return failure('stopped', 'precheck');
    if (!this.#transport.isOpen) return failure('disconnected', 'precheck');

    const before = await this.#queryFlags();
    if (!before.ok) {
      this.#setStatus(this.#statusForFailure(before.code));
      return failure(before.code, 'precheck');
    }
    const refused = faultOf(before.flags);
    this.#setStatus(flagsToDeviceStatus(before.flags));
    if (refused) return failure(refused, 'precheck');

    this.#setStatus(BUSY_PRINTING);
    const sent = await this.#write(bytes);
    if (!sent) {
      const gone = !this.#transport.isOpen;
      this.#setStatus(gone ? disconnected(PRINTER_TEXT.disconnected) : faultFrom(PRINTER_FAULTS, 'write-failed'));
      return failure(gone ? 'disconnected' : 'write-failed', 'send');
    }
    if (this.#settleMs > 0) await delay(this.#settleMs);

    const after = await this.#queryFlags();
    if (!after.ok) {
      this.#setStatus(this.#statusForFailure(after.code));
      return failure(after.code, 'postcheck');
    }
    this.#setStatus(flagsToDeviceStatus(after.flags));
    const cause = faultOf(after.flags);
    if (cause === 'paper-out') return failure('paper-out-mid-job', 'postcheck');
    if (cause) {
      return {
        ok: false,
        code: 'interrupted-mid-job',
        message: `${PRINTER_FAULTS['interrupted-mid-job']}（${PRINTER_FAULTS[cause]}）`,
        phase: 'postcheck',
      };
    }
    // Measured only when someone counts paper (the kiosk's paper counter does; tests may not).
    if (this.listenerCount('printed') > 0) this.emit('printed', { bytes: bytes.length, ...measurePaper(bytes) });
    const status = this.#status;
    return { ok: true, bytes: bytes.length, warnings: status.state === 'ready' ? status.warnings : [] };
  }

  /** DLE EOT 1, 2, 3, 4 one at a time, each reply awaited with a timeout. */
  async #queryFlags(): Promise<FlagsResult> {
    if (this.#mayHaveStaleReply) {
      await delay(Math.min(this.#replyTimeoutMs, 100));
      this.#mayHaveStaleReply = false;
    }
    const replies: StatusReply[] = [];
    for (const n of STATUS_REQUESTS) {
      const reply = new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => {
          if (this.#pending === settle) this.#pending = null;
          this.#mayHaveStaleReply = true;
          resolve(null);
        }, this.#replyTimeoutMs);
        const settle = (byte: number | null): void => {
          clearTimeout(timer);
          resolve(byte);
        };
        this.#pending = settle;
      });
      try {
        await this.#transport.write(statusRequest(n));
      } catch {
        this.#resolvePending(null);
        await reply;
        return { ok: false, code: 'disconnected' };
      }
      const byte = await reply;
      if (byte === null) return { ok: false, code: this.#transport.isOpen ? 'no-response' : 'disconnected' };
      const decoded = decodeStatusReply(n, byte);
      if (decoded.ok) replies.push(decoded.reply);
    }
    return { ok: true, flags: mergeReplies(replies) };
  }

  /** Write with a deadline of twice the wire time plus 2 s, so a stuck port cannot hang a job. */
  async #write(bytes: Uint8Array): Promise<boolean> {
    const wireMs = (bytes.length * 10 * 1000) / this.#baudRate;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), wireMs * 2 + 2000);
    });
    try {
      return await Promise.race([this.#transport.write(bytes).then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  #onData(chunk: Buffer): void {
    // Each request expects exactly one byte; anything unsolicited (e.g. ASB) is dropped.
    if (chunk.length > 0) this.#resolvePending(chunk[0] as number);
  }

  #resolvePending(byte: number | null): void {
    const pending = this.#pending;
    this.#pending = null;
    pending?.(byte);
  }

  #statusForFailure(code: 'no-response' | 'disconnected'): DeviceStatus {
    return code === 'disconnected' ? disconnected(PRINTER_TEXT.disconnected) : faultFrom(PRINTER_FAULTS, 'no-response');
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    this.#queued++;
    const run = this.#queue.then(task).finally(() => {
      this.#queued--;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #setStatus(next: DeviceStatus): void {
    if (sameStatus(this.#status, next)) return;
    this.#status = next;
    const detail =
      next.state === 'fault'
        ? { state: next.state, code: next.code }
        : next.state === 'ready'
          ? { state: next.state, warnings: next.warnings.map((w) => w.code) }
          : { state: next.state };
    if (next.state === 'fault' || next.state === 'disconnected') this.#log.warn(detail, 'printer status changed');
    else if (next.state === 'ready') this.#log.info(detail, 'printer status changed');
    else this.#log.debug(detail, 'printer status changed');
    this.emit('status', next);
  }
}

function failure(code: PrintFailureCode, phase: PrintPhase): PrintResult {
  return { ok: false, code, message: PRINTER_FAULTS[code], phase };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
