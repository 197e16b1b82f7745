import type { DecodedScan } from './codec.ts';
import { isAimId, symbologyFromAim } from './symbology.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, decodeScanText } from './text.ts';

/** Serial / USB-CDC scanner framing (README.md §4.3). Pure, never throws. */

export type FramerOutput = { readonly type: 'line'; readonly bytes: Uint8Array } | { readonly type: 'error'; readonly code: 'line-too-long' };

/**
 * Splits a serial byte stream into lines ended by CR, LF or CRLF, whatever the chunking.
 * A CRLF split across chunks still counts once; empty lines are skipped. A line longer than
 * `maxLineBytes` is reported once and discarded up to its terminator.
 */
export class LineFramer {
  #buf: Uint8Array;
  #len = 0;
  #afterCr = false;
  #overflow = false;

  constructor(maxLineBytes: number = DEFAULT_MAX_PAYLOAD_BYTES) {
    this.#buf = new Uint8Array(Math.max(1, Math.floor(maxLineBytes)));
  }

  /** True when bytes of an unterminated line are buffered. */
  get pending(): boolean {
    return this.#len > 0 || this.#overflow;
  }

  reset(): void {
    this.#len = 0;
    this.#afterCr = false;
    this.#overflow = false;
  }

  push(chunk: Uint8Array): FramerOutput[] {
    const out: FramerOutput[] = [];
    for (const byte of chunk) {
      const afterCr = this.#afterCr;
      this.#afterCr = byte === 0x0d;
      if (byte === 0x0a && afterCr) continue; // second half of CRLF
      if (byte === 0x0d || byte === 0x0a) {
        if (!this.#overflow && this.#len > 0) out.push({ type: 'line', bytes: this.#buf.slice(0, this.#len) });
        this.#len = 0;
        this.#overflow = false;
        continue;
      }
      if (this.#overflow) continue;
      if (this.#len === this.#buf.length) {
        this.#overflow = true;
        this.#len = 0;
        out.push({ type: 'error', code: 'line-too-long' });
        continue;
      }
      this.#buf[this.#len++] = byte;
    }
    return out;
  }

  /** Take the unterminated rest as a line (for scanners with the suffix disabled). */
  flush(): FramerOutput[] {
    const out: FramerOutput[] = !this.#overflow && this.#len > 0 ? [{ type: 'line', bytes: this.#buf.slice(0, this.#len) }] : [];
    this.reset();
    return out;
  }
}

/**
 * Turn one serial line into a scan, splitting off a leading AIM identifier (`]Q1…`) when
 * `aimPrefix` is on (§4.3: the prefix is optional on the scanner).
 */
export function decodeSerialLine(bytes: Uint8Array, aimPrefix = true): DecodedScan | null {
  const text = decodeScanText(bytes);
  if (aimPrefix && text.length > 3 && isAimId(text.slice(0, 3))) {
    const aim = text.slice(0, 3);
    const symbology = symbologyFromAim(aim);
    return { text: text.slice(3), aim, ...(symbology !== undefined ? { symbology } : {}) };
  }
  return text.length > 0 ? { text } : null;
}
