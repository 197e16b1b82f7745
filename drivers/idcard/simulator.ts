/**
 * A simulated SAM ID-card reader on the device end of a link (an in-memory pair or a pty). It
 * answers real command frames (README.md §1.3 in this folder) with real reply frames built from
 * its state, including the "read once until lifted" behaviour.
 */
import type { SimulatorAction, SimulatorControl } from '../common/simulator.ts';
import type { DeviceEnd } from '../common/transport.ts';
import { commandOf, encodeReadBasicReply, encodeReply, FrameDecoder } from './codec.ts';
import { fakeWltPhoto, isSampleCardName, SAMPLE_CARDS, type SampleCardName } from './sample-cards.ts';
import { encodeTextBlock } from './text-block-encode.ts';
import type { IdCard } from './types.ts';

/**
 * Card phases on the reader: `fresh` answers find with 9F; after a read (or a failed read) the
 * card answers find with 80 until it is lifted (§1.3 practical notes) but still answers select.
 */
type CardPhase = 'fresh' | 'read' | 'failed';

interface CardOnReader {
  readonly label: string;
  readonly card: IdCard;
  phase: CardPhase;
}

const SW = {
  ok: 0x90,
  noContent: 0x91,
  found: 0x9f,
  checksum: 0x10,
  command: 0x21,
  readFailed: 0x41,
  selfTest: 0x60,
  findFailed: 0x80,
  selectFailed: 0x81,
} as const;

/** Fixed 16-byte SAM management info (formats as 05.01-…). */
const SAM_ID = Uint8Array.from([5, 0, 1, 0, 0x40, 0x42, 0x0f, 0x00, 0x15, 0xcd, 0x5b, 0x07, 0xb1, 0x68, 0xde, 0x3a]);

const ACTIONS: readonly SimulatorAction[] = Object.freeze([
  { name: 'insert-card', description: `放置身份证（参数 fixture：${Object.keys(SAMPLE_CARDS).join('、')}）` },
  { name: 'remove-card', description: '取走身份证' },
  { name: 'fail-next-read', description: '下一次读卡失败（需重新放置）' },
  { name: 'corrupt-next-read', description: '下一次读卡应答校验和错误（模拟线路干扰；证件已读过，需重新放置）' },
  { name: 'hang-next-read', description: '下一次读卡命令不应答（模拟读卡中途卡死或断开）' },
  { name: 'sam-fault', description: '安全模块自检失败' },
  { name: 'sam-ok', description: '安全模块恢复正常' },
  { name: 'set-silent', description: '读卡器不应答（参数 silent：true/false）' },
  { name: 'unplug', description: '拔出读卡器' },
  { name: 'replug', description: '重新插入读卡器' },
]);

export class IdCardSimulator implements SimulatorControl {
  readonly kind = 'idcard' as const;
  readonly actions = ACTIONS;
  readonly #port: DeviceEnd;
  readonly #framer = new FrameDecoder();
  readonly #photo = fakeWltPhoto();
  #card: CardOnReader | null = null;
  #failNextRead = false;
  #hangNextRead = false;
  #corruptNextRead = false;
  #hungReads = 0;
  #samFault = false;
  #silent = false;
  #commands = 0;

  /** Attach the simulated reader to the device end of a link. */
  constructor(port: DeviceEnd) {
    this.#port = port;
    port.on('data', (chunk) => this.#onData(chunk));
  }

  get hostPath(): string {
    return this.#port.hostPath;
  }

  /** Well-formed command frames received so far, answered or not (for tests that watch polling). */
  get commandCount(): number {
    return this.#commands;
  }

  state(): Record<string, unknown> {
    return {
      plugged: this.#port.plugged,
      card: this.#card ? { fixture: this.#card.label, type: this.#card.card.type, phase: this.#card.phase } : null,
      failNextRead: this.#failNextRead,
      hangNextRead: this.#hangNextRead,
      corruptNextRead: this.#corruptNextRead,
      hungReads: this.#hungReads,
      samFault: this.#samFault,
      silent: this.#silent,
      commands: this.#commands,
    };
  }

  /** Put a card on the reader: a sample name or any IdCard (e.g. from `sampleCardAged`). */
  insertCard(card: SampleCardName | IdCard): void {
    this.#card = typeof card === 'string' ? { label: card, card: SAMPLE_CARDS[card], phase: 'fresh' } : { label: 'custom', card, phase: 'fresh' };
  }

  removeCard(): void {
    this.#card = null;
  }

  async act(action: string, args: Record<string, unknown> = {}): Promise<void> {
    switch (action) {
      case 'insert-card': {
        const fixture = args['fixture'] ?? 'adult';
        if (!isSampleCardName(fixture)) {
          throw new Error(`unknown fixture ${JSON.stringify(fixture)}; use one of ${Object.keys(SAMPLE_CARDS).join(', ')}`);
        }
        this.insertCard(fixture);
        return;
      }
      case 'remove-card':
        this.removeCard();
        return;
      case 'fail-next-read':
        this.#failNextRead = true;
        return;
      case 'hang-next-read':
        this.#hangNextRead = true;
        return;
      case 'corrupt-next-read':
        this.#corruptNextRead = true;
        return;
      case 'sam-fault':
        this.#samFault = true;
        return;
      case 'sam-ok':
        this.#samFault = false;
        return;
      case 'set-silent': {
        if (typeof args['silent'] !== 'boolean') throw new Error('set-silent needs a boolean "silent" argument');
        this.#silent = args['silent'];
        return;
      }
      case 'unplug':
        return this.unplug();
      case 'replug':
        return this.replug();
      default:
        throw new Error(`unknown action "${action}"; use one of ${ACTIONS.map((a) => a.name).join(', ')}`);
    }
  }

  async unplug(): Promise<void> {
    await this.#port.unplug();
  }

  async replug(): Promise<void> {
    // Power comes back: the RF field restarts, so a card left on the reader is fresh again.
    if (this.#card) this.#card.phase = 'fresh';
    this.#framer.reset();
    await this.#port.replug();
  }

  async close(): Promise<void> {
    await this.#port.close();
  }

  #onData(chunk: Buffer): void {
    for (const result of this.#framer.push(chunk)) {
      if (result.ok) this.#commands++;
      if (this.#silent) continue;
      let reply: Uint8Array | null;
      if (result.ok) {
        reply = this.#answer(result.frame.payload);
      } else {
        // A corrupted command gets the SAM's checksum/length error; skipped noise gets nothing.
        reply = result.error.code === 'bad-checksum' ? encodeReply(SW.checksum) : null;
      }
      if (reply) void this.#port.write(reply).catch(() => undefined); // port torn down mid-write: like a real cable
    }
  }

  #answer(payload: Uint8Array): Uint8Array | null {
    const command = commandOf({ payload });
    if (command === null) return encodeReply(SW.command);
    if (this.#samFault && command !== 'readSamId') return encodeReply(SW.selfTest);
    const card = this.#card;
    switch (command) {
      case 'resetSam':
      case 'samStatus':
      case 'setMaxRfBytes':
        return encodeReply(SW.ok);
      case 'readSamId':
        return encodeReply(SW.ok, SAM_ID);
      case 'findCard':
        return card?.phase === 'fresh' ? encodeReply(SW.found, [0, 0, 0, 0]) : encodeReply(SW.findFailed);
      case 'selectCard':
        return card ? encodeReply(SW.ok, new Uint8Array(8)) : encodeReply(SW.selectFailed);
      case 'readBasic':
      case 'readBasicWithFingerprint': {
        if (!card || card.phase !== 'fresh') return encodeReply(SW.readFailed);
        if (this.#hangNextRead) {
          this.#hangNextRead = false;
          this.#hungReads++;
          return null;
        }
        if (this.#failNextRead) {
          this.#failNextRead = false;
          card.phase = 'failed';
          return encodeReply(SW.readFailed);
        }
        card.phase = 'read';
        const fingerprint = command === 'readBasicWithFingerprint' ? new Uint8Array(0) : null;
        const reply = encodeReadBasicReply(encodeTextBlock(card.card), this.#photo, fingerprint);
        if (this.#corruptNextRead) {
          // The SAM read the card, but the reply reaches the host with a wrong CHK (§1.2): line noise.
          this.#corruptNextRead = false;
          const bad = Uint8Array.from(reply);
          bad[bad.length - 1]! ^= 0xff;
          return bad;
        }
        return reply;
      }
      case 'readAppendedAddress':
        return card ? encodeReply(SW.noContent) : encodeReply(SW.readFailed);
    }
  }
}
