/**
 * Document → ESC/POS bytes for one printer profile. Pure: no I/O, never throws; an invalid
 * document yields a typed error naming the block. Commands are from README.md §5.1
 * (see commands.ts); the status side of the codec lives in status-codec.ts.
 */
import type { Align, Block, PrinterDocument, QrErrorLevel, TextSize } from './document.ts';
import { NORMAL_SIZE, layoutKeyValue, wrapText } from './document.ts';
import type { PrinterProfile } from './profiles.ts';
import {
  concatBytes,
  escAlign,
  escBold,
  escFeedLines,
  escInit,
  fsChineseOn,
  gsCut,
  gsSize,
  lf,
  qrErrorLevel,
  qrModel,
  qrModuleSize,
  qrPrint,
  qrStore,
} from './commands.ts';
import { encodeGbText } from './gb-text.ts';

export type EncodeErrorCode = 'invalid-block' | 'invalid-size' | 'invalid-feed' | 'invalid-qr' | 'qr-too-long' | 'invalid-rule';
export type EncodeResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly code: EncodeErrorCode; readonly blockIndex: number; readonly detail: string };

/** Byte-mode capacity of a version-40 QR symbol per error level (ISO/IEC 18004 table 7). */
export const QR_BYTE_CAPACITY = { L: 2953, M: 2331, Q: 1663, H: 1273 } as const satisfies Record<QrErrorLevel, number>;
export const DEFAULT_QR_MODULE = 6;
export const DEFAULT_QR_LEVEL: QrErrorLevel = 'M';

type PrintState = { align: Align; bold: boolean; width: number; height: number };

class ByteSink {
  readonly parts: Uint8Array[] = [];
  // State after ESC @ (left, not bold, 1×1).
  state: PrintState = { align: 'left', bold: false, width: 1, height: 1 };
  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
  }
  setAlign(align: Align): void {
    if (this.state.align !== align) this.push(escAlign(align));
    this.state.align = align;
  }
  setBold(bold: boolean): void {
    if (this.state.bold !== bold) this.push(escBold(bold));
    this.state.bold = bold;
  }
  setSize(size: TextSize): void {
    if (this.state.width !== size.width || this.state.height !== size.height) this.push(gsSize(size.width, size.height));
    this.state.width = size.width;
    this.state.height = size.height;
  }
}

const isMultiplier = (n: unknown): boolean => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 4;

export function encodeDocument(document: PrinterDocument, profile: PrinterProfile): EncodeResult {
  const sink = new ByteSink();
  sink.push(escInit());
  if (profile.chineseModeCommand) sink.push(fsChineseOn());
  for (let i = 0; i < document.blocks.length; i++) {
    const block = document.blocks[i] as Block;
    const error = encodeBlock(block, profile, sink);
    if (error) return { ok: false, code: error.code, blockIndex: i, detail: error.detail };
  }
  return { ok: true, bytes: concatBytes(sink.parts) };
}

type BlockError = { code: EncodeErrorCode; detail: string };

function encodeBlock(block: Block, profile: PrinterProfile, sink: ByteSink): BlockError | null {
  const text = (line: string): void => {
    sink.push(encodeGbText(line, profile.gbkOnly));
    sink.push(lf());
  };
  switch (block.kind) {
    case 'text': {
      const size = block.size ?? NORMAL_SIZE;
      if (!isMultiplier(size.width) || !isMultiplier(size.height)) return { code: 'invalid-size', detail: 'size width and height must be 1–4' };
      sink.setAlign(block.align ?? 'left');
      sink.setBold(block.bold ?? false);
      sink.setSize(size);
      for (const line of wrapText(block.text, Math.floor(profile.charsPerLine / size.width))) text(line);
      return null;
    }
    case 'rule': {
      const char = block.char ?? '-';
      if (!/^[!-~]$/.test(char)) return { code: 'invalid-rule', detail: 'rule char must be one printable ASCII character' };
      sink.setAlign('left');
      sink.setBold(false);
      sink.setSize(NORMAL_SIZE);
      text(char.repeat(profile.charsPerLine));
      return null;
    }
    case 'feed': {
      if (!Number.isInteger(block.lines) || block.lines < 0 || block.lines > 255)
        return { code: 'invalid-feed', detail: 'feed lines must be an integer 0–255' };
      if (block.lines > 0) sink.push(escFeedLines(block.lines));
      return null;
    }
    case 'kv': {
      sink.setAlign('left');
      sink.setBold(block.bold ?? false);
      sink.setSize(NORMAL_SIZE);
      for (const line of layoutKeyValue(block.label, block.value, profile.charsPerLine)) text(line);
      return null;
    }
    case 'qr':
      return encodeQr(block, profile, sink, text);
    case 'cut': {
      if (profile.feedBeforeCut > 0) sink.push(escFeedLines(profile.feedBeforeCut));
      if (profile.cutter !== 'none') sink.push(gsCut(profile.cutter === 'partial'));
      return null;
    }
    default:
      return { code: 'invalid-block', detail: 'unknown block kind' };
  }
}

function encodeQr(block: Extract<Block, { kind: 'qr' }>, profile: PrinterProfile, sink: ByteSink, text: (line: string) => void): BlockError | null {
  const level = block.errorLevel ?? DEFAULT_QR_LEVEL;
  const moduleSize = block.moduleSize ?? DEFAULT_QR_MODULE;
  const data = new TextEncoder().encode(block.data);
  if (data.length === 0) return { code: 'invalid-qr', detail: 'QR data is empty' };
  if (!(level in QR_BYTE_CAPACITY)) return { code: 'invalid-qr', detail: 'QR error level must be L, M, Q or H' };
  if (!Number.isInteger(moduleSize) || moduleSize < 1 || moduleSize > 16) return { code: 'invalid-qr', detail: 'QR module size must be an integer 1–16' };
  if (data.length > QR_BYTE_CAPACITY[level])
    return { code: 'qr-too-long', detail: `QR data of ${data.length} bytes exceeds ${QR_BYTE_CAPACITY[level]} at level ${level}` };
  const align = block.align ?? 'center';
  sink.setAlign(align);
  sink.setBold(false);
  sink.setSize(NORMAL_SIZE);
  if (profile.qr === 'none') {
    // No GS ( k on this printer: print the content so staff can still key it in.
    for (const line of wrapText(block.data, profile.charsPerLine)) text(line);
    return null;
  }
  sink.push(qrModel(2));
  sink.push(qrModuleSize(moduleSize));
  sink.push(qrErrorLevel(level));
  sink.push(qrStore(data));
  sink.push(qrPrint());
  return null;
}
