/**
 * Pure bytes <-> messages for the SAM protocol (§1.2–§1.8). No I/O; never throws on bad input.
 */
import { sw3Info, unknownSw3Message } from './messages.ts';
import { COMMANDS, PREAMBLE, type BasicInfoBlocks, type CommandName, type Decoded, type Frame, type Reply, type ReplyError } from './types.ts';

export { FrameDecoder, type FrameDecoderOptions } from './framer.ts';

/** XOR of `bytes[from..to)` (§1.2 CHK covers LEN_H up to the last DATA byte). */
export function xorChecksum(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let chk = 0;
  for (let i = from; i < to; i++) chk ^= bytes[i] ?? 0;
  return chk;
}

/** Wrap a payload (CMD PARA DATA or SW1 SW2 SW3 DATA) in preamble, LEN and CHK. */
export function encodeFrame(payload: Uint8Array | readonly number[]): Uint8Array {
  const len = payload.length + 1;
  if (len > 0xffff) throw new RangeError('payload too long for a 16-bit LEN');
  const out = new Uint8Array(7 + len);
  out.set(PREAMBLE, 0);
  out[5] = len >> 8;
  out[6] = len & 0xff;
  out.set(payload, 7);
  out[out.length - 1] = xorChecksum(out, 5, out.length - 1);
  return out;
}

/** A request frame for one of the §1.3 commands, e.g. `encodeCommand('findCard')` = `AA AA AA 96 69 00 03 20 01 22`. */
export function encodeCommand(name: CommandName, data: Uint8Array | readonly number[] = []): Uint8Array {
  const [cmd, para] = COMMANDS[name];
  const payload = new Uint8Array(2 + data.length);
  payload[0] = cmd;
  payload[1] = para;
  payload.set(data, 2);
  return encodeFrame(payload);
}

/** `setMaxRfBytes` carries one data byte (§1.3, unconfirmed that any reader needs it). */
export function encodeSetMaxRfBytes(max: number): Uint8Array {
  return encodeCommand('setMaxRfBytes', [max & 0xff]);
}

/** Which §1.3 command a request frame carries; `null` for anything else. */
export function commandOf(frame: Frame): CommandName | null {
  const [cmd, para] = frame.payload;
  for (const [name, pair] of Object.entries(COMMANDS)) {
    if (pair[0] === cmd && pair[1] === para) return name as CommandName;
  }
  return null;
}

/** A reply frame (simulators): SW1 SW2 SW3 then data. */
export function encodeReply(sw3: number, data: Uint8Array | readonly number[] = [], sw1 = 0, sw2 = 0): Uint8Array {
  const payload = new Uint8Array(3 + data.length);
  payload[0] = sw1;
  payload[1] = sw2;
  payload[2] = sw3;
  payload.set(data, 3);
  return encodeFrame(payload);
}

/** Split a reply frame into SW1–SW3 and data. */
export function parseReply(frame: Frame): Decoded<Reply> {
  const p = frame.payload;
  if (p.length < 3) return { ok: false, error: { code: 'short-reply', message: '读卡器应答过短' } };
  return { ok: true, value: { sw1: p[0] ?? 0, sw2: p[1] ?? 0, sw3: p[2] ?? 0, data: p.subarray(3) } };
}

/** The typed error for a reply whose status is not one of `accepted`; `null` when it is. */
export function statusError(reply: Reply, accepted: readonly number[]): ReplyError | null {
  if (reply.sw1 !== 0 || reply.sw2 !== 0) {
    return { code: 'bad-status-word', message: '读卡器应答状态字异常', sw3: reply.sw3 };
  }
  if (accepted.includes(reply.sw3)) return null;
  const info = sw3Info(reply.sw3);
  if (!info) return { code: 'unknown-status', message: unknownSw3Message(reply.sw3), sw3: reply.sw3 };
  // A success code that does not belong to this command (e.g. a late reply to an earlier one).
  if (info.success) return { code: 'unexpected-status', message: '读卡器应答与命令不符', sw3: reply.sw3 };
  return { code: info.code, message: info.message, sw3: reply.sw3 };
}

function expect(frame: Frame, accepted: readonly number[]): Decoded<Reply> {
  const parsed = parseReply(frame);
  if (!parsed.ok) return parsed;
  const err = statusError(parsed.value, accepted);
  return err ? { ok: false, error: err } : parsed;
}

function badLayout(message: string): { ok: false; error: ReplyError } {
  return { ok: false, error: { code: 'bad-layout', message } };
}

/** Reset (10 FF) or SAM status (11 FF): success is SW3 90. */
export function decodeStatusReply(frame: Frame): Decoded<true> {
  const r = expect(frame, [0x90]);
  return r.ok ? { ok: true, value: true } : r;
}

/** Find card (20 01): SW3 9F + 4-byte IIN; 80 when no (unread) card is present. */
export function decodeFindCardReply(frame: Frame): Decoded<{ iin: Uint8Array }> {
  const r = expect(frame, [0x9f]);
  if (!r.ok) return r;
  if (r.value.data.length < 4) return badLayout('寻卡应答数据不完整');
  return { ok: true, value: { iin: r.value.data.slice(0, 4) } };
}

/** Select card (20 02): SW3 90 + 8-byte SN; 81 when it fails. */
export function decodeSelectCardReply(frame: Frame): Decoded<{ sn: Uint8Array }> {
  const r = expect(frame, [0x90]);
  if (!r.ok) return r;
  if (r.value.data.length < 8) return badLayout('选卡应答数据不完整');
  return { ok: true, value: { sn: r.value.data.slice(0, 8) } };
}

function u32le(d: Uint8Array, at: number): number {
  return ((d[at] ?? 0) | ((d[at + 1] ?? 0) << 8) | ((d[at + 2] ?? 0) << 16) | ((d[at + 3] ?? 0) << 24)) >>> 0;
}

/**
 * Read SAM ID (12 FF): 16 data bytes formatted as in §1.3 (frame offsets 10, 12, 14, 18, 22 are
 * data offsets 0, 2, 4, 8, 12): `D2 "." D2 "-" u32 "-" D9 "-" D9`.
 */
export function decodeSamIdReply(frame: Frame): Decoded<string> {
  const r = expect(frame, [0x90]);
  if (!r.ok) return r;
  const d = r.value.data;
  if (d.length < 16) return badLayout('SAM编号应答数据不完整');
  const d2 = (n: number) => String(n).padStart(2, '0');
  const d9 = (n: number) => String(n).padStart(9, '0');
  return { ok: true, value: `${d2(d[0] ?? 0)}.${d2(d[2] ?? 0)}-${u32le(d, 4)}-${d9(u32le(d, 8))}-${d9(u32le(d, 12))}` };
}

/**
 * Read basic info (30 01, or 30 10 with fingerprint): length words then text, photo and
 * optional fingerprint (§1.4). The layout is told apart by the data length.
 */
export function decodeReadBasicReply(frame: Frame): Decoded<BasicInfoBlocks> {
  const r = expect(frame, [0x90]);
  if (!r.ok) return r;
  const d = r.value.data;
  if (d.length < 4) return badLayout('读卡应答数据不完整');
  const textLen = ((d[0] ?? 0) << 8) | (d[1] ?? 0);
  const photoLen = ((d[2] ?? 0) << 8) | (d[3] ?? 0);
  if (textLen !== 256) return badLayout('文字信息长度异常');
  let offset: number;
  let fpLen = -1;
  if (d.length === 4 + textLen + photoLen) {
    offset = 4;
  } else if (d.length >= 6) {
    fpLen = ((d[4] ?? 0) << 8) | (d[5] ?? 0);
    if (d.length !== 6 + textLen + photoLen + fpLen) return badLayout('读卡应答长度与字段长度不符');
    offset = 6;
  } else {
    return badLayout('读卡应答长度与字段长度不符');
  }
  const text = d.slice(offset, offset + textLen);
  const photo = d.slice(offset + textLen, offset + textLen + photoLen);
  const fingerprint = fpLen < 0 ? null : d.slice(offset + textLen + photoLen, offset + textLen + photoLen + fpLen);
  return { ok: true, value: { text, photo, fingerprint } };
}

/** Read appended address (30 03): 90 + 70 bytes UCS-2LE, or 91 = no appended address (`null`). */
export function decodeAppendedAddressReply(frame: Frame): Decoded<string | null> {
  const r = expect(frame, [0x90, 0x91]);
  if (!r.ok) return r;
  if (r.value.sw3 === 0x91) return { ok: true, value: null };
  const d = r.value.data;
  if (d.length < 70) return badLayout('追加住址应答数据不完整');
  return { ok: true, value: ucs2(d, 0, 70) };
}

/** UCS-2LE text with space/NUL padding removed from both ends. */
export function ucs2(bytes: Uint8Array, offset: number, length: number): string {
  const start = Math.max(0, Math.min(offset, bytes.length));
  const end = Math.min(bytes.length, start + length);
  const even = (end - start) & ~1;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, even)
    .toString('utf16le')
    .replace(/^[\s\u0000]+|[\s\u0000]+$/g, '');
}

/**
 * A read-basic-info reply (simulators, bench): `00 00 90`, big-endian lengths, text, photo and,
 * when `fingerprint` is given (30 10), its length word and bytes (§1.4).
 */
export function encodeReadBasicReply(text: Uint8Array, photo: Uint8Array, fingerprint: Uint8Array | null = null): Uint8Array {
  const words = fingerprint ? 6 : 4;
  const data = new Uint8Array(words + text.length + photo.length + (fingerprint?.length ?? 0));
  data[0] = text.length >> 8;
  data[1] = text.length & 0xff;
  data[2] = photo.length >> 8;
  data[3] = photo.length & 0xff;
  if (fingerprint) {
    data[4] = fingerprint.length >> 8;
    data[5] = fingerprint.length & 0xff;
    data.set(fingerprint, words + text.length + photo.length);
  }
  data.set(text, words);
  data.set(photo, words + text.length);
  return encodeReply(0x90, data);
}
