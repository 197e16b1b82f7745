/**
 * The simulated printer's brain, without I/O: ESC/POS events in, receipts and status bytes out.
 * Print state follows Epson semantics: paper out, cover open or offline stop printing (content
 * is dropped, the receipt in progress is finished as incomplete), while DLE EOT is real-time and
 * always answered (README.md §5.2).
 */
import iconv from 'iconv-lite';
import type { Align, QrErrorLevel, TextSize } from './document.ts';
import { EscPosDecoder, type EscPosEvent } from './escpos-decoder.ts';
import type { PaperLevel, Receipt, ReceiptItem, ReceiptLine } from './types.ts';

export type PrinterModelOptions = {
  onReply: (byte: number) => void;
  onReceipt: (receipt: Receipt) => void;
  paperDots?: number;
  chineseModeByDefault?: boolean;
  paperLines?: number;
};

export type PrinterModelState = {
  paper: PaperLevel;
  coverOpen: boolean;
  offline: boolean;
  cutterError: boolean;
  linesUntilPaperOut: number | null;
  chineseMode: boolean;
  receiptInProgress: boolean;
  receiptsPrinted: number;
};

/** Epson-compatible printers keep bits 1 and 4 set: all clear = 0x12 (§5.2). */
const FIXED_BITS = 0x12;

export class PrinterModel {
  readonly #opts: PrinterModelOptions;
  readonly #decoder: EscPosDecoder;
  paper: PaperLevel = 'ok';
  coverOpen = false;
  offline = false;
  cutterError = false;
  linesUntilPaperOut: number | null;
  #chinese: boolean;
  #align: Align = 'left';
  #bold = false;
  #size: TextSize = { width: 1, height: 1 };
  #qr = { moduleSize: 3, level: 'L' as QrErrorLevel, data: null as Uint8Array | null };
  #lineBytes: Uint8Array[] = [];
  #lineAttrs: Omit<ReceiptLine, 'text'> | null = null;
  #items: ReceiptItem[] = [];
  #printed = 0;

  constructor(options: PrinterModelOptions) {
    this.#opts = options;
    this.#chinese = options.chineseModeByDefault ?? false;
    this.linesUntilPaperOut = options.paperLines ?? null;
    this.#decoder = new EscPosDecoder((e) => this.#onEvent(e));
  }

  push(bytes: Uint8Array): void {
    this.#decoder.push(bytes);
  }

  get canPrint(): boolean {
    return this.paper !== 'out' && !this.coverOpen && !this.offline;
  }

  state(): PrinterModelState {
    return {
      paper: this.paper,
      coverOpen: this.coverOpen,
      offline: this.offline,
      cutterError: this.cutterError,
      linesUntilPaperOut: this.linesUntilPaperOut,
      chineseMode: this.#chinese,
      receiptInProgress: this.#items.length > 0 || this.#lineBytes.length > 0,
      receiptsPrinted: this.#printed,
    };
  }

  /** Stop printing (paper out, cover open, offline): a receipt in progress ends incomplete. */
  interrupt(): void {
    this.#lineBytes = [];
    this.#lineAttrs = null;
    if (this.#items.some(hasInk)) this.#finish(false, false);
    this.#items = [];
  }

  /** The 1-byte reply to DLE EOT n, or null for an n the printer ignores. */
  statusByte(n: number): number | null {
    const out = this.paper === 'out';
    switch (n) {
      case 1:
        return FIXED_BITS | (this.offline || this.coverOpen || out ? 0x08 : 0);
      case 2:
        return FIXED_BITS | (this.coverOpen ? 0x04 : 0) | (out ? 0x20 : 0) | (this.cutterError ? 0x40 : 0);
      case 3:
        return FIXED_BITS | (this.cutterError ? 0x08 : 0);
      case 4:
        return FIXED_BITS | (this.paper !== 'ok' ? 0x0c : 0) | (out ? 0x60 : 0);
      default:
        return null;
    }
  }

  #onEvent(e: EscPosEvent): void {
    switch (e.type) {
      case 'status-request': {
        const reply = this.statusByte(e.n);
        if (reply !== null) this.#opts.onReply(reply);
        return;
      }
      case 'init':
        this.#align = 'left';
        this.#bold = false;
        this.#size = { width: 1, height: 1 };
        this.#chinese = this.#opts.chineseModeByDefault ?? false;
        this.#lineBytes = [];
        this.#lineAttrs = null;
        this.#qr = { moduleSize: 3, level: 'L', data: null };
        return;
      case 'chinese-mode':
        this.#chinese = e.on;
        return;
      case 'align':
        this.#align = e.align;
        return;
      case 'bold':
        this.#bold = e.on;
        return;
      case 'size':
        this.#size = { width: clampSize(e.width), height: clampSize(e.height) };
        return;
      case 'print-mode':
        this.#bold = e.bold;
        this.#size = { width: e.doubleWidth ? 2 : 1, height: e.doubleHeight ? 2 : 1 };
        return;
      case 'qr-model':
        return;
      case 'qr-module-size':
        this.#qr.moduleSize = e.dots;
        return;
      case 'qr-error-level':
        this.#qr.level = e.level;
        return;
      case 'qr-store':
        this.#qr.data = e.data;
        return;
      case 'text':
        if (!this.canPrint) return;
        this.#lineAttrs ??= { align: this.#align, bold: this.#bold, size: this.#size };
        this.#lineBytes.push(e.bytes);
        return;
      case 'lf':
        this.#printLine();
        return;
      case 'feed':
        if (this.#lineBytes.length > 0) this.#printLine();
        for (let i = 0; i < e.lines && this.canPrint; i++) this.#printLine();
        return;
      case 'qr-print': {
        const data = this.#qr.data;
        if (!data || data.length === 0 || !this.#consumeLine()) return;
        this.#items.push({
          kind: 'qr',
          data: new TextDecoder().decode(data),
          moduleSize: this.#qr.moduleSize,
          errorLevel: this.#qr.level,
          align: this.#align,
        });
        return;
      }
      case 'cut':
        if (this.#lineBytes.length > 0) this.#printLine();
        if (!this.canPrint) return;
        if (this.#items.some(hasInk)) this.#finish(!this.cutterError, true);
        this.#items = [];
        return;
      case 'unknown':
        return;
    }
  }

  /** Account one line of paper; false (and paper out) when the roll has just run out. */
  #consumeLine(): boolean {
    if (!this.canPrint) return false;
    if (this.linesUntilPaperOut !== null) {
      if (this.linesUntilPaperOut <= 0) {
        this.paper = 'out';
        this.interrupt();
        return false;
      }
      this.linesUntilPaperOut--;
    }
    return true;
  }

  #printLine(): void {
    const bytes = concat(this.#lineBytes);
    const attrs = this.#lineAttrs ?? { align: this.#align, bold: this.#bold, size: this.#size };
    this.#lineBytes = [];
    this.#lineAttrs = null;
    if (!this.#consumeLine()) return;
    const text = iconv.decode(Buffer.from(bytes), this.#chinese ? 'gb18030' : 'cp437');
    // A blank line is paper fed by the line spacing, whatever the character size.
    if (text.length === 0) this.#items.push({ kind: 'line', text, align: attrs.align, bold: false, size: { width: 1, height: 1 } });
    else this.#items.push({ kind: 'line', text, ...attrs });
  }

  #finish(cut: boolean, complete: boolean): void {
    const items = this.#items;
    this.#items = [];
    this.#printed++;
    const receipt: Receipt = {
      lines: items.flatMap((i) => (i.kind === 'line' ? [{ text: i.text, align: i.align, bold: i.bold, size: i.size }] : [])),
      qrCodes: items.flatMap((i) => (i.kind === 'qr' ? [i.data] : [])),
      items,
      cut,
      complete,
      paperDots: this.#opts.paperDots ?? 576,
    };
    this.#opts.onReceipt(receipt);
  }
}

const hasInk = (item: ReceiptItem): boolean => item.kind === 'qr' || item.text.trim().length > 0;
const clampSize = (n: number): 1 | 2 | 3 | 4 => (n >= 4 ? 4 : n <= 1 ? 1 : (n as 2 | 3));

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
