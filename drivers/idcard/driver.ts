/**
 * IdCardReaderDriver: polls a SAM ID-card reader over the ByteTransport it is given (§1.1–§1.3 of
 * README.md in this folder):
 * find (20 01) → select (20 02) → read (30 01), emits 'card' with the decoded IdCard and
 * 'removed' when the card leaves. Never logs card content; logs only on status change.
 */
import { EventEmitter } from 'node:events';
import { silentLogger, type DeviceLogger } from '../common/logger.ts';
import { disconnected, faultFrom, ready, sameStatus, type DeviceStatus } from '../common/status.ts';
import type { ByteTransport } from '../common/transport.ts';
import { decodeFindCardReply, decodeReadBasicReply, decodeSelectCardReply, decodeStatusReply, encodeCommand, FrameDecoder } from './codec.ts';
import { IDCARD_FAULTS, IDCARD_TEXT, type IdCardFaultCode } from './messages.ts';
import { decodeIdCard } from './text-block.ts';
import type {
  CommandName,
  Frame,
  IdCard,
  IdCardReaderEvents,
  IdCardReaderOptions,
  LinkErrorCode,
  ReadFailure,
  ReadOnceResult,
  ReplyErrorCode,
} from './types.ts';

type Exchange = { ok: true; frame: Frame } | { ok: false; code: LinkErrorCode; message: string };

/** SW3 answers that mean the reader itself (not the card) is unusable. */
const isDeviceFault = (code: ReplyErrorCode): code is ReplyErrorCode & IdCardFaultCode => code in IDCARD_FAULTS;

const LINK_MESSAGES: Readonly<Record<LinkErrorCode, string>> = {
  timeout: IDCARD_TEXT.timeout,
  disconnected: IDCARD_TEXT.portClosed,
  stopped: IDCARD_TEXT.stopped,
  'bad-frame': IDCARD_TEXT.badFrame,
};

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`"${name}" must be a number greater than 0`);
  return value;
}

export class IdCardReaderDriver extends EventEmitter<IdCardReaderEvents> {
  readonly #transport: ByteTransport;
  readonly #framer = new FrameDecoder({ minLength: 4 });
  readonly #log: DeviceLogger;
  readonly #pollMs: number;
  readonly #timeoutMs: number;
  readonly #includePhoto: boolean;
  #status: DeviceStatus = disconnected(IDCARD_TEXT.portClosed);
  #running = false;
  #pollTimer: NodeJS.Timeout | null = null;
  #cycle: Promise<void> | null = null;
  #pending: ((result: Exchange) => void) | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #needsSamCheck = true;
  #cardPresent = false;
  /** Type of the card on the reader (not personal data), kept only while it stays there. */
  #presentType: IdCard['type'] | null = null;
  #paused = 0;

  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onOpen = (): void => this.#opened();
  readonly #onClose = (): void => this.#closed();

  constructor(options: IdCardReaderOptions) {
    super();
    if (!options.transport) throw new TypeError('"transport" is required');
    this.#pollMs = positive('pollIntervalMs', options.pollIntervalMs ?? 500);
    this.#timeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs ?? 1000);
    this.#includePhoto = options.includePhoto ?? false;
    this.#log = options.logger ?? silentLogger;
    this.#transport = options.transport;
  }

  status(): DeviceStatus {
    return this.#status;
  }

  /** Whether a card was read and has not left the reader yet. */
  get cardPresent(): boolean {
    return this.#cardPresent;
  }

  /** The type of the card the poller read and that is still on the reader, else null. */
  get presentCardType(): IdCard['type'] | null {
    return this.#cardPresent ? this.#presentType : null;
  }

  /** Open the transport (it retries in the background until the device appears) and start polling. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#transport.on('data', this.#onData);
    this.#transport.on('open', this.#onOpen);
    this.#transport.on('close', this.#onClose);
    await this.#transport.open();
  }

  /** Stop polling, abandon any exchange in flight and close the port. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#clearTimer();
    this.#settle({ ok: false, code: 'stopped', message: IDCARD_TEXT.stopped });
    await this.#cycle;
    this.#transport.off('data', this.#onData);
    this.#transport.off('open', this.#onOpen);
    this.#transport.off('close', this.#onClose);
    await this.#transport.close();
    this.#cardPresent = false;
    this.#setStatus(disconnected(IDCARD_TEXT.stopped));
  }

  /**
   * Admin test read: find → select → read now, without emitting 'card'. A card the poller has
   * already read answers "find failed" until it is lifted and placed again (§1.3).
   */
  async readOnce(): Promise<ReadOnceResult> {
    if (!this.#running || !this.#transport.isOpen) return { ok: false, code: 'disconnected', message: IDCARD_TEXT.portClosed };
    this.#paused++;
    try {
      await this.#cycle;
      const find = await this.#exchange('findCard');
      if (!find.ok) return { ok: false, code: find.code, message: find.message };
      const found = decodeFindCardReply(find.frame);
      if (!found.ok) return { ok: false, code: found.error.code, message: found.error.message };
      return await this.#selectAndRead();
    } finally {
      this.#paused--;
    }
  }

  // ------------------------------------------------------------------ polling

  #opened(): void {
    this.#framer.reset();
    this.#needsSamCheck = true;
    this.#schedule(0);
  }

  #closed(): void {
    this.#clearTimer();
    this.#settle({ ok: false, code: 'disconnected', message: IDCARD_TEXT.portClosed });
    this.#setStatus(disconnected(IDCARD_TEXT.portClosed));
    if (this.#cardPresent) {
      this.#cardPresent = false;
      this.emit('removed');
    }
  }

  #schedule(delay: number): void {
    if (!this.#running || this.#pollTimer || !this.#transport.isOpen) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = null;
      if (this.#cycle) return; // the running cycle reschedules when it ends
      if (this.#paused > 0) return this.#schedule(this.#pollMs);
      this.#cycle = this.#poll()
        .catch((err: unknown) => {
          this.#log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'idcard poll cycle failed');
        })
        .finally(() => {
          this.#cycle = null;
          this.#schedule(this.#pollMs);
        });
    }, delay);
  }

  #clearTimer(): void {
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.#pollTimer = null;
  }

  async #poll(): Promise<void> {
    if (this.#needsSamCheck) {
      const check = await this.#exchange('samStatus');
      if (!check.ok) return this.#linkFailure(check);
      this.#needsSamCheck = false;
      const sam = decodeStatusReply(check.frame);
      if (sam.ok) this.#setStatus(ready());
      else this.#setStatus(isDeviceFault(sam.error.code) ? faultFrom(IDCARD_FAULTS, sam.error.code) : faultFrom(IDCARD_FAULTS, 'sam-self-test-failed'));
      if (!sam.ok) return;
    }
    const find = await this.#exchange('findCard');
    if (!find.ok) return this.#linkFailure(find);
    const found = decodeFindCardReply(find.frame);
    if (!found.ok) {
      if (isDeviceFault(found.error.code)) return this.#setStatus(faultFrom(IDCARD_FAULTS, found.error.code));
      this.#setStatus(ready());
      if (found.error.code === 'find-failed' && this.#cardPresent) await this.#checkStillPresent();
      return;
    }
    // A fresh card: the previous one (if any) must have been lifted in between.
    if (this.#cardPresent) {
      this.#cardPresent = false;
      this.emit('removed');
    }
    this.#setStatus({ state: 'busy', task: IDCARD_TEXT.readingTask });
    const result = await this.#selectAndRead();
    if (result.ok) {
      this.#cardPresent = true;
      this.#presentType = result.card.type;
      this.#setStatus(ready());
      this.emit('card', result.card);
      return;
    }
    const failure: ReadFailure = { code: result.code, message: result.message };
    if (failure.code === 'disconnected' || failure.code === 'stopped') return;
    if (failure.code === 'timeout') this.#setStatus(faultFrom(IDCARD_FAULTS, 'no-response'));
    else this.#setStatus(ready());
    this.emit('read-error', failure);
  }

  /**
   * A card already read answers find with 80 until lifted; select still reaches it while it
   * lies on the reader and fails (81) once it is gone. [INFERENCE from §1.3: no source states
   * how readers report removal.]
   */
  async #checkStillPresent(): Promise<void> {
    const select = await this.#exchange('selectCard');
    if (!select.ok) return this.#linkFailure(select);
    const selected = decodeSelectCardReply(select.frame);
    if (!selected.ok && selected.error.code === 'select-failed') {
      this.#cardPresent = false;
      this.emit('removed');
    }
  }

  async #selectAndRead(): Promise<ReadOnceResult> {
    const select = await this.#exchange('selectCard');
    if (!select.ok) return { ok: false, code: select.code, message: select.message };
    const selected = decodeSelectCardReply(select.frame);
    if (!selected.ok) return { ok: false, code: selected.error.code, message: selected.error.message };
    const read = await this.#exchange('readBasic');
    if (!read.ok) return { ok: false, code: read.code, message: read.message };
    const blocks = decodeReadBasicReply(read.frame);
    if (!blocks.ok) return { ok: false, code: blocks.error.code, message: blocks.error.message };
    const decoded = decodeIdCard(blocks.value, { includePhoto: this.#includePhoto });
    if (!decoded.ok) return { ok: false, code: decoded.error.code, message: decoded.error.message };
    return { ok: true, card: decoded.card };
  }

  #linkFailure(result: { code: LinkErrorCode }): void {
    if (result.code === 'timeout') this.#setStatus(faultFrom(IDCARD_FAULTS, 'no-response'));
    // 'disconnected' and 'stopped' are reported by #closed() / stop(); a corrupt frame is retried next poll.
  }

  // ------------------------------------------------------------------ exchange

  /** Send one command and wait for its reply frame; one exchange at a time, never hangs. */
  #exchange(name: CommandName): Promise<Exchange> {
    const run = (): Promise<Exchange> => {
      if (!this.#running) return Promise.resolve({ ok: false, code: 'stopped', message: IDCARD_TEXT.stopped });
      if (!this.#transport.isOpen) return Promise.resolve({ ok: false, code: 'disconnected', message: IDCARD_TEXT.portClosed });
      this.#framer.reset(); // nothing is owed to us before a new command: drop stale partial bytes
      const reply = new Promise<Exchange>((resolve) => {
        const timer = setTimeout(() => this.#settle({ ok: false, code: 'timeout', message: LINK_MESSAGES.timeout }), this.#timeoutMs);
        this.#pending = (result) => {
          clearTimeout(timer);
          this.#pending = null;
          if (!result.ok && result.code === 'timeout') this.#framer.reset();
          resolve(result);
        };
      });
      this.#transport.write(encodeCommand(name)).catch(() => {
        this.#settle({ ok: false, code: 'disconnected', message: LINK_MESSAGES.disconnected });
      });
      return reply;
    };
    const next = this.#queue.then(run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #settle(result: Exchange): void {
    this.#pending?.(result);
  }

  #receive(chunk: Buffer): void {
    for (const result of this.#framer.push(chunk)) {
      if (result.ok) this.#settle({ ok: true, frame: result.frame });
      else if (result.error.code === 'bad-checksum') this.#settle({ ok: false, code: 'bad-frame', message: LINK_MESSAGES['bad-frame'] });
      // Unsolicited frames and line noise are ignored.
    }
  }

  #setStatus(next: DeviceStatus): void {
    if (sameStatus(this.#status, next)) return;
    this.#status = next;
    const fields = { state: next.state, ...(next.state === 'fault' ? { code: next.code } : {}) };
    if (next.state === 'fault' || next.state === 'disconnected') this.#log.warn(fields, 'idcard reader status changed');
    else this.#log.info(fields, 'idcard reader status changed');
    this.emit('status', next);
  }
}
