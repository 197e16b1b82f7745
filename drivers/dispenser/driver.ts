import { EventEmitter } from 'node:events';
import type { DeviceLogger } from '../common/logger.ts';
import { silentLogger } from '../common/logger.ts';
import { disconnected, faultFrom, sameStatus, type DeviceStatus } from '../common/status.ts';
import type { ByteTransport } from '../common/transport.ts';
import {
  buildCustomPresent,
  buildFeedAndCut,
  buildFullStatusRequest,
  buildHoldAtBezel,
  buildPresentWithTimeout,
  buildRetract,
  deriveFlags,
  FullStatusFramer,
} from './codec.ts';
import { DISPENSER_FAULTS, DISPENSER_TEXT, type DispenserFaultCode } from './messages.ts';
import { statusFromFullStatus } from './status-map.ts';
import type { DispenserDriverOptions, DispenserEvents, FullStatus, PresentCommand, PresentOptions, PresentResult } from './types.ts';

/**
 * Default wait at the mouth before retracting: 60 s. A queue ticket is the citizen's place in
 * line, so retracting it too early costs them a new ticket; elderly citizens in a 医保 hall may
 * need time to put away an ID card first. One minute matches the auto-retract default documented
 * for the Primex NP-2511 (`ESC r 1` = after 1 minute, README.md §6.1 in this folder).
 */
export const DEFAULT_PRESENT_TIMEOUT_MS = 60_000;
/** Longest wait the driver accepts, so its firmware backstop (below) still fits in one byte. */
export const MAX_PRESENT_TIMEOUT_MS = 240_000;
/**
 * The present command carries a firmware timeout as a backstop (so a ticket is not left hanging
 * if the daemon dies). It is longer than the driver's own timeout, so normally the driver
 * retracts first and can tell "retracted" from "taken" (§6.3 [INFERENCE]).
 */
const FIRMWARE_BACKSTOP_S = 10;

type Phase = 'arriving' | 'at-mouth' | 'retracting';
interface Presentation {
  phase: Phase;
  readonly timeoutMs: number;
  since: number;
  readonly finish: (result: PresentResult) => void;
}

type Exchange = { kind: 'reply'; status: FullStatus } | { kind: 'timeout' } | { kind: 'write-failed' };

export class DispenserDriver extends EventEmitter<DispenserEvents> {
  readonly kind = 'dispenser' as const;
  #transport: ByteTransport;
  #log: DeviceLogger;
  #framer = new FullStatusFramer();
  #status: DeviceStatus = disconnected(DISPENSER_TEXT.notStarted);
  #running = false;
  #queue: Promise<unknown> = Promise.resolve();
  #pollTimer: NodeJS.Timeout | null = null;
  #pending: ((status: FullStatus) => void) | null = null;
  /** Ends the outstanding exchange early (port closed or driver stopped). */
  #abortExchange: (() => void) | null = null;
  #missed = 0;
  #lastAtMouth = false;
  #presentation: Presentation | null = null;
  readonly #pollMs: number;
  readonly #replyMs: number;
  readonly #maxMissed: number;
  readonly #presentMs: number;
  readonly #arrivalMs: number;
  readonly #retractMs: number;
  readonly #steps: number;
  readonly #presentCommand: PresentCommand;

  constructor(options: DispenserDriverOptions) {
    super();
    this.#log = options.logger ?? silentLogger;
    this.#pollMs = options.pollIntervalMs ?? 300;
    this.#replyMs = options.replyTimeoutMs ?? 1000;
    this.#maxMissed = Math.max(1, options.maxMissedReplies ?? 2);
    this.#presentMs = options.presentTimeoutMs ?? DEFAULT_PRESENT_TIMEOUT_MS;
    this.#arrivalMs = options.arrivalTimeoutMs ?? 5000;
    this.#retractMs = options.retractTimeoutMs ?? 5000;
    this.#steps = options.presentSteps ?? 5;
    this.#presentCommand = options.presentCommand ?? 'gs-e';
    if (!options.transport) throw new TypeError('"transport" is required');
    this.#transport = options.transport;
    this.#transport.on('data', (chunk) => this.#onData(chunk));
    this.#transport.on('open', () => this.#onOpen());
    this.#transport.on('close', () => this.#onClose());
  }

  status(): DeviceStatus {
    return this.#status;
  }

  /** True while a ticket is being presented (between `present()` and its result). */
  get presenting(): boolean {
    return this.#presentation !== null;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#setStatus(disconnected(DISPENSER_TEXT.disconnected));
    await this.#transport.open();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#clearPollTimer();
    this.#abortExchange?.();
    this.#failPresentation('stopped');
    await this.#transport.close();
    this.#setStatus(disconnected(DISPENSER_TEXT.stopped));
  }

  /**
   * Present the ticket that was just printed and cut, then follow it: resolves `taken` when the
   * mouth sensor clears, `retracted` when the driver had to pull it back after `timeoutMs`, or
   * `failed`. Always settles: every phase has a deadline checked on each poll, and a lost port
   * fails it at once. Emits 'ticket-at-mouth', then 'ticket-taken' or 'ticket-retracted'.
   */
  present(options: PresentOptions = {}): Promise<PresentResult> {
    if (!this.#running) return Promise.resolve(failed('stopped'));
    if (this.#presentation) return Promise.resolve(failed('busy'));
    const status = this.#status;
    if (status.state === 'fault') return Promise.resolve(failedWith(status));
    if (status.state === 'disconnected') return Promise.resolve({ outcome: 'failed', code: 'disconnected', message: status.reason });
    const timeoutMs = Math.min(MAX_PRESENT_TIMEOUT_MS, Math.max(0, options.timeoutMs ?? this.#presentMs));
    return new Promise<PresentResult>((resolve) => {
      const presentation: Presentation = {
        phase: 'arriving',
        timeoutMs,
        since: performance.now(),
        finish: (result) => {
          if (this.#presentation !== presentation) return;
          this.#presentation = null;
          resolve(result);
        },
      };
      this.#presentation = presentation;
      void this.#exclusive(async () => {
        if (this.#presentation !== presentation) return;
        try {
          await this.#transport.write(this.#presentBytes(timeoutMs));
          presentation.since = performance.now();
        } catch {
          presentation.finish(failed('disconnected'));
        }
      });
    });
  }

  /** Admin test: feed and cut a blank slip, present it with a short timeout, report the outcome. */
  async testPresent(options: PresentOptions = {}): Promise<PresentResult> {
    if (this.#status.state !== 'ready') return this.present(options); // reports the reason
    const wrote = await this.#exclusive(() =>
      this.#transport.write(buildFeedAndCut(4)).then(
        () => true,
        () => false,
      ),
    );
    if (!wrote) return failed('disconnected');
    return this.present({ timeoutMs: options.timeoutMs ?? 15_000 });
  }

  #presentBytes(timeoutMs: number): Uint8Array {
    const timeoutSeconds = Math.min(255, Math.ceil(timeoutMs / 1000) + FIRMWARE_BACKSTOP_S);
    return this.#presentCommand === 'fs-p'
      ? buildCustomPresent({ length: this.#steps, action: 'retract', timeoutSeconds })
      : buildPresentWithTimeout({ steps: this.#steps, timeoutSeconds });
  }

  // ------------------------------------------------------------ transport events

  #onOpen(): void {
    this.#missed = 0;
    this.#framer.reset();
    // Keep tickets at the bezel instead of continuous mode (§6.2 `GS e 18`); no reply expected.
    void this.#exclusive(() => this.#transport.write(buildHoldAtBezel()).catch(() => undefined));
    this.#schedulePoll(0);
  }

  #onClose(): void {
    this.#clearPollTimer();
    this.#abortExchange?.();
    this.#framer.reset();
    this.#lastAtMouth = false;
    this.#failPresentation('disconnected');
    if (this.#running) this.#setStatus(disconnected(DISPENSER_TEXT.disconnected));
  }

  #onData(chunk: Buffer): void {
    for (const item of this.#framer.push(chunk)) {
      // Replies that arrive with no request outstanding are stale (e.g. after a timeout): dropped.
      if (item.type === 'status' && this.#pending) this.#pending(item.status);
    }
  }

  // ------------------------------------------------------------ polling

  #schedulePoll(delayMs: number): void {
    if (!this.#running || this.#pollTimer || !this.#transport.isOpen) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = null;
      void this.#exclusive(() => this.#pollOnce()).finally(() => this.#schedulePoll(this.#pollMs));
    }, delayMs);
  }

  #clearPollTimer(): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
  }

  async #pollOnce(): Promise<void> {
    if (!this.#running) return;
    const result = await this.#exchange(buildFullStatusRequest());
    if (result.kind === 'write-failed') return; // the 'close' handler reports it
    if (result.kind === 'timeout') {
      this.#missed++;
      if (this.#missed >= this.#maxMissed) {
        this.#setStatus(faultFrom(DISPENSER_FAULTS, 'no-response'));
        this.#failPresentation('no-response');
      }
      return;
    }
    this.#missed = 0;
    this.#setStatus(statusFromFullStatus(result.status));
    await this.#advance(result.status);
  }

  /** Send a request and wait for one full-status reply, bounded by the reply timeout. */
  async #exchange(bytes: Uint8Array): Promise<Exchange> {
    this.#framer.reset();
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<Exchange>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), this.#replyMs);
      this.#pending = (status) => resolve({ kind: 'reply', status });
      this.#abortExchange = () => resolve({ kind: 'write-failed' });
    });
    try {
      await this.#transport.write(bytes);
      return await reply;
    } catch {
      return { kind: 'write-failed' };
    } finally {
      clearTimeout(timer);
      this.#pending = null;
      this.#abortExchange = null;
    }
  }

  /** Follow the ticket through its phases (§6.3 [INFERENCE]); runs inside the exclusive queue. */
  async #advance(s: FullStatus): Promise<void> {
    const p = this.#presentation;
    const flags = deriveFlags(this.#lastAtMouth, s, p?.phase === 'retracting');
    this.#lastAtMouth = s.ticketAtMouth;
    if (!p) return;
    const now = performance.now();
    switch (p.phase) {
      case 'arriving':
        if (flags.ticketAtMouth) {
          p.phase = 'at-mouth';
          p.since = now;
          this.emit('ticket-at-mouth');
        } else if (this.#status.state === 'fault') {
          p.finish(failedWith(this.#status));
        } else if (now - p.since > this.#arrivalMs) {
          p.finish(failed('no-ticket'));
        }
        return;
      case 'at-mouth':
        if (flags.ticketTaken || !flags.ticketAtMouth) {
          this.emit('ticket-taken');
          p.finish({ outcome: 'taken' });
        } else if (now - p.since >= p.timeoutMs) {
          try {
            await this.#transport.write(buildRetract());
            p.phase = 'retracting';
            p.since = performance.now();
          } catch {
            p.finish(failed('disconnected'));
          }
        }
        return;
      case 'retracting':
        if (flags.retracted || !flags.ticketAtMouth) {
          this.emit('ticket-retracted');
          p.finish({ outcome: 'retracted' });
        } else if (now - p.since > this.#retractMs) {
          p.finish(failed('retract-failed'));
        }
        return;
    }
  }

  #failPresentation(code: DispenserFaultCode): void {
    this.#presentation?.finish(failed(code));
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #setStatus(next: DeviceStatus): void {
    if (sameStatus(this.#status, next)) return;
    this.#status = next;
    const detail = next.state === 'fault' ? { code: next.code } : next.state === 'ready' ? { warnings: next.warnings.map((w) => w.code) } : {};
    if (next.state === 'fault') this.#log.warn({ state: next.state, ...detail }, 'dispenser status changed');
    else this.#log.info({ state: next.state, ...detail }, 'dispenser status changed');
    this.emit('status', next);
  }
}

function failed(code: DispenserFaultCode): PresentResult {
  return { outcome: 'failed', code, message: DISPENSER_FAULTS[code] };
}

/** A present() refused or ended by the current fault: the fault's own code and message. */
function failedWith(status: { readonly code: string; readonly message: string }): PresentResult {
  return { outcome: 'failed', code: status.code, message: status.message };
}
