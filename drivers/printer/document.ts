/**
 * Printer-neutral receipt document: a flat list of blocks that the ESC/POS codec, the text
 * preview and the simulator's PNG renderer all understand. Documents are plain data (JSON-safe),
 * so the kiosk store can keep one for a reprint.
 */
import { displayWidth } from './text-width.ts';

export type Align = 'left' | 'center' | 'right';
/** GS ! supports 1–8; receipts never need more than 4. */
export type SizeMultiplier = 1 | 2 | 3 | 4;
export type TextSize = { readonly width: SizeMultiplier; readonly height: SizeMultiplier };
export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';

export type TextBlock = {
  readonly kind: 'text';
  /** May contain '\n'; long text wraps at the profile's characters per line (÷ width multiplier). */
  readonly text: string;
  readonly align?: Align;
  readonly bold?: boolean;
  readonly size?: TextSize;
};
/** A full-width line of one ASCII character ('-' by default). */
export type RuleBlock = { readonly kind: 'rule'; readonly char?: string };
/** Blank paper feed of `lines` lines (0–255). */
export type FeedBlock = { readonly kind: 'feed'; readonly lines: number };
export type QrBlock = {
  readonly kind: 'qr';
  readonly data: string;
  /** Dots per module, 1–16. Default 6. */
  readonly moduleSize?: number;
  /** Default 'M'. */
  readonly errorLevel?: QrErrorLevel;
  /** Default 'center'. */
  readonly align?: Align;
};
/** Label flush left, value flush right on one line when both fit, else value on its own line(s). */
export type KeyValueBlock = {
  readonly kind: 'kv';
  readonly label: string;
  readonly value: string;
  readonly bold?: boolean;
};
/** Feed past the blade and cut (profiles without a cutter only feed). */
export type CutBlock = { readonly kind: 'cut' };

export type Block = TextBlock | RuleBlock | FeedBlock | QrBlock | KeyValueBlock | CutBlock;

export type PrinterDocument = { readonly blocks: readonly Block[] };

export const NORMAL_SIZE: TextSize = Object.freeze({ width: 1, height: 1 });

// ---- small builders, so callers write doc(text('标题', { bold: true }), rule(), cut()) ----

export function doc(...blocks: Block[]): PrinterDocument {
  return { blocks };
}
export function text(value: string, options: Omit<TextBlock, 'kind' | 'text'> = {}): TextBlock {
  return { kind: 'text', text: value, ...options };
}
export function rule(char = '-'): RuleBlock {
  return { kind: 'rule', char };
}
export function feed(lines = 1): FeedBlock {
  return { kind: 'feed', lines };
}
export function qr(data: string, options: Omit<QrBlock, 'kind' | 'data'> = {}): QrBlock {
  return { kind: 'qr', data, ...options };
}
export function kv(label: string, value: string, options: { bold?: boolean } = {}): KeyValueBlock {
  return { kind: 'kv', label, value, ...options };
}
export function cut(): CutBlock {
  return { kind: 'cut' };
}

/**
 * Remove characters that must never reach the printer inside text: C0 controls and DEL would
 * otherwise be read as commands (a name containing ESC could reconfigure the printer).
 */
export function sanitizeText(value: string): string {
  return value.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
}

/**
 * Split text into lines no wider than `columns` display columns. CJK characters may break
 * anywhere; runs of ASCII letters/digits are kept whole when they fit on a line.
 * Explicit '\n' starts a new line. Always returns at least one (possibly empty) line.
 */
export function wrapText(value: string, columns: number): string[] {
  const width = Math.max(1, Math.floor(columns));
  const out: string[] = [];
  for (const paragraph of sanitizeText(value).split('\n')) {
    const tokens = paragraph.match(/[!-~]+| +|[^ !-~]/gu) ?? [];
    let line = '';
    let used = 0;
    const flush = (): void => {
      out.push(line.replace(/ +$/, ''));
      line = '';
      used = 0;
    };
    for (const token of tokens) {
      const w = displayWidth(token);
      if (used + w <= width) {
        line += token;
        used += w;
        continue;
      }
      if (token.startsWith(' ')) {
        flush(); // spaces at a break are dropped
        continue;
      }
      if (w <= width && used > 0) {
        flush();
        line = token;
        used = w;
        continue;
      }
      // Token longer than a line (or line empty): break it character by character.
      for (const ch of token) {
        const cw = displayWidth(ch);
        if (used + cw > width && used > 0) flush();
        line += ch;
        used += cw;
      }
    }
    if (line.length > 0 || out.length === 0 || tokens.length === 0) flush();
  }
  return out;
}

/** Pad `value` with spaces so it sits at `align` within `columns` display columns. */
export function alignLine(value: string, columns: number, align: Align): string {
  const gap = Math.max(0, columns - displayWidth(value));
  if (align === 'left') return value;
  if (align === 'right') return ' '.repeat(gap) + value;
  return ' '.repeat(Math.floor(gap / 2)) + value;
}

/** Lay out a key-value row into printable lines of at most `columns` display columns. */
export function layoutKeyValue(label: string, value: string, columns: number): string[] {
  const l = sanitizeText(label).replace(/\n/g, ' ');
  const v = sanitizeText(value).replace(/\n/g, ' ');
  const gap = columns - displayWidth(l) - displayWidth(v);
  if (gap >= 1) return [l + ' '.repeat(gap) + v];
  const lines = wrapText(l, columns);
  for (const part of wrapText(v, columns)) lines.push(alignLine(part, columns, 'right'));
  return lines;
}
