/**
 * Incremental framer for `AA AA AA 96 69 | LEN_H LEN_L | … | CHK` frames (§1.2).
 * Accepts arbitrary chunks; keeps one growing buffer with read/write cursors so bytes are
 * copied once per chunk, never concatenated per byte. Never throws on bad input.
 */
import { PREAMBLE, type FramerError, type FramerErrorCode, type FramerResult } from './types.ts';

export interface FrameDecoderOptions {
  /** Largest LEN accepted (bytes after LEN incl. CHK). Default 4096; the biggest real reply has 2314. */
  maxLength?: number;
  /** Smallest LEN accepted. Default 3 (CMD PARA CHK); replies need 4 (SW1 SW2 SW3 CHK). */
  minLength?: number;
  /** Initial buffer size in bytes. Default 4096; it grows when a frame needs more. */
  initialCapacity?: number;
}

const P0 = PREAMBLE[0];
const P3 = PREAMBLE[3];
const P4 = PREAMBLE[4];
const HEADER = 7; // preamble + LEN

const MESSAGES: Readonly<Record<FramerErrorCode, string>> = {
  garbage: '丢弃帧头前的无效字节',
  'bad-checksum': '数据帧校验和错误',
  'oversize-length': '数据帧长度超出上限',
  'undersize-length': '数据帧长度过短',
};

function error(code: FramerErrorCode, detail = ''): { ok: false; error: FramerError } {
  return { ok: false, error: { code, message: MESSAGES[code] + detail } };
}

export class FrameDecoder {
  #buf: Uint8Array;
  readonly #initialCapacity: number;
  #start = 0;
  #end = 0;
  readonly #maxLength: number;
  readonly #minLength: number;

  constructor(options: FrameDecoderOptions = {}) {
    const maxLength = options.maxLength ?? 4096;
    const minLength = options.minLength ?? 3;
    const capacity = options.initialCapacity ?? 4096;
    if (!Number.isInteger(maxLength) || maxLength < 2 || maxLength > 0xffff) {
      throw new TypeError('"maxLength" must be an integer from 2 to 65535');
    }
    if (!Number.isInteger(minLength) || minLength < 1 || minLength > maxLength) {
      throw new TypeError('"minLength" must be an integer from 1 to maxLength');
    }
    if (!Number.isInteger(capacity) || capacity < 16) throw new TypeError('"initialCapacity" must be an integer >= 16');
    this.#maxLength = maxLength;
    this.#minLength = minLength;
    this.#initialCapacity = capacity;
    this.#buf = new Uint8Array(capacity);
  }

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Drop any partial frame (after a command timeout, or when the port reopens). */
  reset(): void {
    this.#start = 0;
    this.#end = 0;
  }

  /** Feed one chunk; returns every complete frame and every error it caused, in order. */
  push(chunk: Uint8Array): FramerResult[] {
    this.#append(chunk);
    const out: FramerResult[] = [];
    const buf = this.#buf;
    for (;;) {
      const found = this.#findPreamble();
      if (found > this.#start) {
        out.push(error('garbage', `（${found - this.#start} 字节）`));
        this.#start = found;
      }
      const start = this.#start;
      if (this.#end - start < HEADER) break;
      const len = ((buf[start + 5] ?? 0) << 8) | (buf[start + 6] ?? 0);
      if (len > this.#maxLength) {
        out.push(error('oversize-length', `（${len}）`));
        this.#start += 1;
        continue;
      }
      if (len < this.#minLength) {
        out.push(error('undersize-length', `（${len}）`));
        this.#start += 1;
        continue;
      }
      const total = HEADER + len;
      if (this.#end - start < total) break;
      let chk = 0;
      for (let i = start + 5; i < start + total - 1; i++) chk ^= buf[i] ?? 0;
      if (chk !== buf[start + total - 1]) {
        out.push(error('bad-checksum'));
        this.#start += 1;
        continue;
      }
      out.push({ ok: true, frame: { payload: buf.slice(start + HEADER, start + total - 1) } });
      this.#start += total;
    }
    if (this.#start === this.#end) {
      this.reset();
      // A huge chunk may have grown the buffer; give the memory back once it is drained.
      if (this.#buf.length > 16 * this.#initialCapacity) this.#buf = new Uint8Array(this.#initialCapacity);
    }
    return out;
  }

  /**
   * Index of the first full preamble at or after the read cursor. When there is none, returns
   * the start of a trailing partial preamble (kept for the next chunk) or the write cursor.
   */
  #findPreamble(): number {
    const buf = this.#buf;
    const end = this.#end;
    let i = this.#start;
    for (; i + 5 <= end; i++) {
      if (buf[i] === P0 && buf[i + 1] === P0 && buf[i + 2] === P0 && buf[i + 3] === P3 && buf[i + 4] === P4) return i;
    }
    // Fewer than 5 bytes left: keep the longest suffix that is a prefix of the preamble.
    for (; i < end; i++) {
      let match = true;
      for (let k = 0; i + k < end; k++) {
        if (buf[i + k] !== PREAMBLE[k]) {
          match = false;
          break;
        }
      }
      if (match) return i;
    }
    return end;
  }

  #append(chunk: Uint8Array): void {
    const needed = this.#end - this.#start + chunk.length;
    if (this.#end + chunk.length > this.#buf.length) {
      if (needed <= this.#buf.length) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        const grown = new Uint8Array(Math.max(needed, this.#buf.length * 2));
        grown.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = grown;
      }
      this.#end -= this.#start;
      this.#start = 0;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }
}
