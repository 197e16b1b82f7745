/**
 * A simulated ESC/POS receipt printer on the device end of a link (an in-memory pair, or a pty
 * whose `hostPath` the driver opens): the real PrinterDriver talks to it exactly as to a
 * USB-serial printer. Incoming bytes are decoded incrementally
 * (escpos-decoder.ts), DLE EOT requests are answered from the current state, and each cut
 * finishes a Receipt kept for tests, the dev console and PNG previews: the last `RECEIPTS_KEPT`
 * of them, like the paper in the tray, not every receipt since start-up.
 */
import { EventEmitter } from 'node:events';
import type { SimulatorAction, SimulatorControl } from '../common/simulator.ts';
import type { DeviceEnd } from '../common/transport.ts';
import { PrinterModel } from './printer-model.ts';
import type { PrinterSimulatorOptions, Receipt } from './types.ts';

type SimulatorEvents = { receipt: [Receipt] };

export const PRINTER_SIMULATOR_ACTIONS: readonly SimulatorAction[] = Object.freeze([
  { name: 'paper-out', description: '纸用完' },
  { name: 'paper-near-end', description: '纸将用尽' },
  { name: 'paper-ok', description: '装入新纸卷' },
  { name: 'paper-out-after', description: '再打印 N 行后缺纸（参数 lines）' },
  { name: 'cover-open', description: '打开打印机盖' },
  { name: 'cover-close', description: '关闭打印机盖' },
  { name: 'offline', description: '打印机离线' },
  { name: 'online', description: '打印机恢复在线' },
  { name: 'cutter-error', description: '切刀卡住' },
  { name: 'cutter-ok', description: '切刀恢复' },
  { name: 'clear', description: '清除已打印票据' },
  { name: 'unplug', description: '拔出数据线' },
  { name: 'replug', description: '插回数据线' },
]);

/**
 * How many finished receipts the simulator keeps. A kiosk on the simulated printer (a demo or
 * training terminal, the hall day) prints all day; each receipt is a few kB of decoded lines and
 * items, so keeping every one grew the daemon without bound (issue 18: +10 % RSS over the hall
 * day's last run). Readers only ever want the latest (`lastReceipt`, the dev console's preview) or
 * the few a test just printed.
 */
export const RECEIPTS_KEPT = 50;

export class PrinterSimulator extends EventEmitter<SimulatorEvents> implements SimulatorControl {
  readonly kind = 'printer' as const;
  readonly actions = PRINTER_SIMULATOR_ACTIONS;
  readonly #port: DeviceEnd;
  readonly #model: PrinterModel;
  #receipts: Receipt[] = [];
  #bytesReceived = 0;
  /** Replies are written in order, one after another. */
  #replyChain: Promise<void> = Promise.resolve();

  /** Attach the simulated printer to the device end of a link. */
  constructor(port: DeviceEnd, options: PrinterSimulatorOptions = {}) {
    super();
    this.#port = port;
    this.#model = new PrinterModel({
      paperDots: options.paperDots ?? 576,
      chineseModeByDefault: options.chineseModeByDefault ?? false,
      ...(options.paperLines === undefined ? {} : { paperLines: options.paperLines }),
      onReply: (byte) => {
        this.#replyChain = this.#replyChain.then(() => this.#port.write(Uint8Array.of(byte))).catch(() => undefined);
      },
      onReceipt: (receipt) => {
        this.#receipts.push(receipt);
        if (this.#receipts.length > RECEIPTS_KEPT) this.#receipts.splice(0, this.#receipts.length - RECEIPTS_KEPT);
        this.emit('receipt', receipt);
      },
    });
    port.on('data', (chunk) => {
      this.#bytesReceived += chunk.length;
      this.#model.push(chunk);
    });
  }

  get hostPath(): string {
    return this.#port.hostPath;
  }

  /** The last `RECEIPTS_KEPT` receipts, oldest first (the model's `receiptsPrinted` counts all). */
  receipts(): readonly Receipt[] {
    return this.#receipts;
  }

  lastReceipt(): Receipt | undefined {
    return this.#receipts.at(-1);
  }

  /** Total bytes received from the driver (for benchmarks). */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** Resolves with the next completed (or interrupted) receipt. */
  nextReceipt(): Promise<Receipt> {
    return new Promise((resolve) => this.once('receipt', resolve));
  }

  state(): Record<string, unknown> {
    return { ...this.#model.state(), plugged: this.#port.plugged, receipts: this.#receipts.length };
  }

  async act(action: string, args: Record<string, unknown> = {}): Promise<void> {
    const m = this.#model;
    switch (action) {
      case 'paper-out':
        m.paper = 'out';
        m.interrupt();
        return;
      case 'paper-near-end':
        m.paper = 'near-end';
        return;
      case 'paper-ok':
        m.paper = 'ok';
        m.linesUntilPaperOut = null;
        return;
      case 'paper-out-after': {
        const lines = args['lines'];
        if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 0)
          throw new Error(`paper-out-after needs args.lines as a non-negative integer, got ${JSON.stringify(lines)}`);
        m.linesUntilPaperOut = lines;
        return;
      }
      case 'cover-open':
        m.coverOpen = true;
        m.interrupt();
        return;
      case 'cover-close':
        m.coverOpen = false;
        return;
      case 'offline':
        m.offline = true;
        m.interrupt();
        return;
      case 'online':
        m.offline = false;
        return;
      case 'cutter-error':
        m.cutterError = true;
        return;
      case 'cutter-ok':
        m.cutterError = false;
        return;
      case 'clear':
        this.#receipts = [];
        return;
      case 'unplug':
        return this.unplug();
      case 'replug':
        return this.replug();
      default:
        throw new Error(`unknown printer simulator action '${action}'; known: ${this.actions.map((a) => a.name).join(', ')}`);
    }
  }

  unplug(): Promise<void> {
    return this.#port.unplug();
  }

  replug(): Promise<void> {
    return this.#port.replug();
  }

  async close(): Promise<void> {
    this.removeAllListeners();
    await this.#port.close();
  }
}
