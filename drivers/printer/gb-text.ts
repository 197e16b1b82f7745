/**
 * Text → GB18030 bytes for a Chinese printer in Chinese mode (README.md §5.1).
 * GBK-only firmware misprints GB18030 four-byte sequences, so those characters are substituted:
 * '¥' (U+00A5, GB18030 81 30 84 36) becomes the full-width '￥' (U+FFE5, GBK A3 A4), any other
 * four-byte character (emoji, rare CJK extension B ideographs) becomes '?'.
 */
import iconv from 'iconv-lite';
import { sanitizeText } from './document.ts';

const SUBSTITUTES: Record<string, string> = { '\u00a5': '\uffe5' };

export function encodeGbText(value: string, gbkOnly: boolean): Uint8Array {
  const clean = sanitizeText(value).replace(/[\u00a5]/g, (ch) => SUBSTITUTES[ch] ?? '?');
  const bytes = iconv.encode(clean, 'gb18030');
  if (!gbkOnly) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  return dropFourByteSequences(bytes);
}

/** True when `value` needs no substitution on GBK-only firmware. */
export function isGbkSafe(value: string): boolean {
  const bytes = iconv.encode(sanitizeText(value), 'gb18030');
  return dropFourByteSequences(bytes).length === bytes.length;
}

function dropFourByteSequences(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      out[n++] = b;
      i += 1;
      continue;
    }
    const second = bytes[i + 1] ?? 0;
    if (second >= 0x30 && second <= 0x39) {
      out[n++] = 0x3f; // '?' for a four-byte GB18030 sequence
      i += 4;
      continue;
    }
    out[n++] = b;
    out[n++] = second;
    i += 2;
  }
  return out.subarray(0, n);
}
