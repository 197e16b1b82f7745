/**
 * Incremental ESC/POS stream decoder used by the printer simulator: bytes in (split anywhere
 * across chunks), typed events out. It frames every command of README.md §5.1–5.3
 * (plus the common ones that have their own length rules, so the stream stays in sync) and never
 * throws: an unknown command becomes an 'unknown' event. Payloads that could be huge (raster
 * images) are skipped by count, not buffered.
 */
import type { Align, QrErrorLevel, SizeMultiplier } from './document.ts';
import { DLE, ESC, FS, GS, LF } from './commands.ts';

export type EscPosEvent =
  | { readonly type: 'init' }
  | { readonly type: 'chinese-mode'; readonly on: boolean }
  | { readonly type: 'text'; readonly bytes: Uint8Array }
  | { readonly type: 'lf' }
  | { readonly type: 'feed'; readonly lines: number }
  | { readonly type: 'align'; readonly align: Align }
  | { readonly type: 'bold'; readonly on: boolean }
  | { readonly type: 'size'; readonly width: SizeMultiplier | 5 | 6 | 7 | 8; readonly height: SizeMultiplier | 5 | 6 | 7 | 8 }
  /** ESC ! n: bit 3 bold, bit 4 double height, bit 5 double width. */
  | { readonly type: 'print-mode'; readonly bold: boolean; readonly doubleHeight: boolean; readonly doubleWidth: boolean }
  | { readonly type: 'qr-model'; readonly model: number }
  | { readonly type: 'qr-module-size'; readonly dots: number }
  | { readonly type: 'qr-error-level'; readonly level: QrErrorLevel }
  | { readonly type: 'qr-store'; readonly data: Uint8Array }
  | { readonly type: 'qr-print' }
  | { readonly type: 'cut'; readonly partial: boolean }
  | { readonly type: 'status-request'; readonly n: number }
  | { readonly type: 'unknown'; readonly bytes: Uint8Array };

const NEED_MORE = -1;
/** Cap for NUL-terminated parameter lists (ESC D, GS k function A) so garbage cannot stall us. */
const MAX_NUL_TERMINATED = 64;
const ALIGNS: Record<number, Align> = { 0: 'left', 1: 'center', 2: 'right', 48: 'left', 49: 'center', 50: 'right' };
const QR_LEVELS: Record<number, QrErrorLevel> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

export class EscPosDecoder {
  #cmd: number[] = [];
  #skip = 0;
  readonly #emit: (event: EscPosEvent) => void;

  constructor(onEvent: (event: EscPosEvent) => void) {
    this.#emit = onEvent;
  }

  /** True when a command is partly received (useful for tests and for flushing on unplug). */
  get midCommand(): boolean {
    return this.#cmd.length > 0 || this.#skip > 0;
  }

  reset(): void {
    this.#cmd = [];
    this.#skip = 0;
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      const b = chunk[i] as number;
      if (this.#cmd.length === 0) {
        if (b >= 0x20) {
          let end = i + 1;
          while (end < chunk.length && (chunk[end] as number) >= 0x20) end++;
          this.#emit({ type: 'text', bytes: chunk.slice(i, end) });
          i = end;
          continue;
        }
        i++;
        if (b === LF) this.#emit({ type: 'lf' });
        else if (b === ESC || b === GS || b === FS || b === DLE) this.#cmd.push(b);
        // CR, HT and other C0 controls are ignored by the simulated printer.
        continue;
      }
      this.#cmd.push(b);
      i++;
      const cmd = this.#cmd;
      if (cmd[0] === DLE && cmd.length === 2 && b !== 0x04 && b !== 0x05 && b !== 0x14) {
        // A lone DLE is not a command: drop it and read this byte afresh.
        this.#cmd = [];
        i--;
        continue;
      }
      const total = commandLength(cmd);
      if (total === NEED_MORE) continue;
      const header = opaqueHeaderLength(cmd);
      if (header > 0 && cmd.length === header && total > header) {
        // Image-like payload: report the header and skip the data by count.
        this.#cmd = [];
        this.#skip = total - header;
        this.#unknown(Uint8Array.from(cmd));
        continue;
      }
      if (cmd.length < total) continue;
      this.#cmd = [];
      this.#dispatch(Uint8Array.from(cmd));
    }
  }

  #dispatch(cmd: Uint8Array): void {
    const [a, b, c] = cmd;
    const p = c ?? 0;
    if (a === ESC) {
      switch (b) {
        case 0x40:
          return this.#emit({ type: 'init' }); // ESC @
        case 0x61: {
          // ESC a n
          const align = ALIGNS[p];
          return align ? this.#emit({ type: 'align', align }) : this.#unknown(cmd);
        }
        case 0x45:
          return this.#emit({ type: 'bold', on: (p & 1) === 1 }); // ESC E n
        case 0x21: // ESC ! n
          return this.#emit({ type: 'print-mode', bold: (p & 0x08) !== 0, doubleHeight: (p & 0x10) !== 0, doubleWidth: (p & 0x20) !== 0 });
        case 0x64:
          return this.#emit({ type: 'feed', lines: p }); // ESC d n
        case 0x69:
          return this.#emit({ type: 'cut', partial: false }); // ESC i (KP: full)
        case 0x6d:
          return this.#emit({ type: 'cut', partial: true }); // ESC m (KP: partial)
        default:
          return this.#unknown(cmd);
      }
    }
    if (a === GS) {
      switch (b) {
        case 0x21: // GS ! n
          return this.#emit({ type: 'size', width: (((p >> 4) & 7) + 1) as SizeMultiplier, height: ((p & 7) + 1) as SizeMultiplier });
        case 0x56:
          return this.#emit({ type: 'cut', partial: (p & 1) === 1 }); // GS V m [n]: 0/48/65 full, 1/49/66 partial
        case 0x28:
          return cmd[2] === 0x6b ? this.#qr(cmd) : this.#unknown(cmd);
        default:
          return this.#unknown(cmd);
      }
    }
    if (a === FS) {
      if (b === 0x26) return this.#emit({ type: 'chinese-mode', on: true }); // FS &
      if (b === 0x2e) return this.#emit({ type: 'chinese-mode', on: false }); // FS .
      return this.#unknown(cmd);
    }
    if (a === DLE && b === 0x04) return this.#emit({ type: 'status-request', n: p }); // DLE EOT n
    return this.#unknown(cmd);
  }

  /** GS ( k pL pH cn fn … with cn = 0x31 (QR). */
  #qr(cmd: Uint8Array): void {
    const cn = cmd[5];
    const fn = cmd[6];
    if (cn !== 0x31 || cmd.length < 7) return this.#unknown(cmd);
    const arg = cmd[7];
    switch (fn) {
      case 0x41:
        return arg === undefined ? this.#unknown(cmd) : this.#emit({ type: 'qr-model', model: arg - 0x30 });
      case 0x43:
        return arg === undefined ? this.#unknown(cmd) : this.#emit({ type: 'qr-module-size', dots: arg });
      case 0x45: {
        const level = arg === undefined ? undefined : QR_LEVELS[arg];
        return level ? this.#emit({ type: 'qr-error-level', level }) : this.#unknown(cmd);
      }
      case 0x50:
        return arg === 0x30 ? this.#emit({ type: 'qr-store', data: cmd.slice(8) }) : this.#unknown(cmd);
      case 0x51:
        return this.#emit({ type: 'qr-print' });
      default:
        return this.#unknown(cmd);
    }
  }

  #unknown(cmd: Uint8Array): void {
    this.#emit({ type: 'unknown', bytes: cmd.length > 16 ? cmd.slice(0, 16) : cmd });
  }
}

/**
 * Total byte length of the command starting in `cmd`, or NEED_MORE while that cannot be known
 * yet. Commands with large opaque payloads return their header length after arranging a skip.
 */
function commandLength(cmd: readonly number[]): number {
  const [a, b, c, d, e] = cmd;
  if (b === undefined) return NEED_MORE;
  if (a === DLE) {
    if (b === 0x14) {
      // DLE DC4 fn …: fn 1/2 take 5 bytes, fn 8 takes 9
      if (c === undefined) return NEED_MORE;
      return c === 8 ? 9 : c === 1 || c === 2 ? 5 : 3;
    }
    return 3; // DLE EOT n, DLE ENQ n
  }
  if (a === FS) {
    switch (b) {
      case 0x26:
      case 0x2e:
        return 2; // FS & / FS .
      case 0x21:
      case 0x43:
      case 0x57:
      case 0x2d:
        return 3; // FS ! n, FS C n, FS W n, FS - n
      case 0x70:
        return 4; // FS p n m
      default:
        return 2;
    }
  }
  if (a === ESC) {
    switch (b) {
      case 0x40:
      case 0x32:
      case 0x69:
      case 0x6d:
      case 0x76:
      case 0x3c:
        return 2; // ESC @, ESC 2, ESC i, ESC m, ESC v, ESC <
      case 0x61:
      case 0x45:
      case 0x21:
      case 0x64:
      case 0x74:
      case 0x52:
      case 0x2d:
      case 0x4a:
      case 0x33:
      case 0x47:
      case 0x4d:
      case 0x56:
      case 0x7b:
      case 0x20:
      case 0x65:
      case 0x25:
      case 0x72:
      case 0x63:
        return b === 0x63 ? 4 : 3; // ESC c x n is 4; the rest take one parameter
      case 0x70:
        return 5; // ESC p m t1 t2
      case 0x24:
      case 0x5c:
        return 4; // ESC $ nL nH, ESC \ nL nH
      case 0x5a: // ESC Z m n k dL dH d… (alternative QR)
        if (cmd.length < 7) return NEED_MORE;
        return 7 + (cmd[5] as number) + (cmd[6] as number) * 256;
      case 0x2a: // ESC * m nL nH d…: bit image, 1 or 3 bytes per column
        if (c === undefined || d === undefined || e === undefined) return NEED_MORE;
        return 5 + (d + e * 256) * (c === 32 || c === 33 ? 3 : 1);
      case 0x44: // ESC D n1 … NUL
        return nulTerminated(cmd, 2);
      default:
        return 2;
    }
  }
  // GS
  switch (b) {
    case 0x21:
    case 0x42:
    case 0x61:
    case 0x72:
    case 0x48:
    case 0x66:
    case 0x68:
    case 0x77:
    case 0x49:
    case 0x62:
      return 3;
    case 0x4c:
    case 0x57:
      return 4; // GS L nL nH, GS W nL nH
    case 0x56: // GS V m, or GS V m n for m = 65/66 (and function C/D codes ≥ 0x61)
      if (c === undefined) return NEED_MORE;
      return c >= 0x41 ? 4 : 3;
    case 0x28: // GS ( x pL pH …
      if (d === undefined || e === undefined) return NEED_MORE;
      return 5 + d + e * 256;
    case 0x6b: // GS k m …: m ≤ 6 NUL-terminated, m ≥ 65 length-prefixed
      if (c === undefined) return NEED_MORE;
      if (c <= 6) return nulTerminated(cmd, 3);
      if (d === undefined) return NEED_MORE;
      return 4 + d;
    case 0x76: // GS v 0 m xL xH yL yH d…: raster image of (xL+xH·256)·(yL+yH·256) bytes
      if (cmd.length < 8) return NEED_MORE;
      return 8 + ((cmd[4] as number) + (cmd[5] as number) * 256) * ((cmd[6] as number) + (cmd[7] as number) * 256);
    case 0x65: // GS e n [m] [t] (presenter, §6.2)
      if (c === undefined) return NEED_MORE;
      return c === 3 ? 4 : c === 32 ? 5 : 3;
    default:
      return 2;
  }
}

/** Header length of commands whose payload is skipped (images, other GS ( functions), else 0. */
function opaqueHeaderLength(cmd: readonly number[]): number {
  const [a, b, c] = cmd;
  if (a === GS && b === 0x76) return 8; // GS v 0
  if (a === GS && b === 0x28 && c !== 0x6b) return 5; // GS ( L, GS ( A, …
  if (a === ESC && b === 0x2a) return 5; // ESC *
  if (a === ESC && b === 0x5a) return 7; // ESC Z
  return 0;
}

function nulTerminated(cmd: readonly number[], start: number): number {
  if (cmd.length > start && cmd[cmd.length - 1] === 0) return cmd.length;
  if (cmd.length >= start + MAX_NUL_TERMINATED) return cmd.length;
  return NEED_MORE;
}
