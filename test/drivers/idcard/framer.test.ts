import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../../drivers/idcard/codec.ts';
import type { FramerResult } from '../../../drivers/idcard/types.ts';
import * as fx from '../../fixtures/idcard/frames.ts';

const summary = (results: FramerResult[]) => results.map((r) => (r.ok ? `frame:${Buffer.from(r.frame.payload).toString('hex')}` : `error:${r.error.code}`));

const payloadHex = (frame: Uint8Array) => Buffer.from(frame.subarray(7, frame.length - 1)).toString('hex');

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

describe('FrameDecoder (§1.2 reassembly)', () => {
  it('reassembles a 1295-byte read reply fed one byte at a time', () => {
    const bytes = fx.readReply(fx.RESIDENT_TEXT);
    const framer = new FrameDecoder();
    const out: FramerResult[] = [];
    for (const b of bytes) out.push(...framer.push(Uint8Array.of(b)));
    expect(summary(out)).toEqual([`frame:${payloadHex(bytes)}`]);
    expect(framer.buffered).toBe(0);
  });

  it('reassembles frames split at every possible boundary', () => {
    const bytes = fx.REPLY_FRAMES.findOk;
    for (let cut = 1; cut < bytes.length; cut++) {
      const framer = new FrameDecoder();
      const out = [...framer.push(bytes.subarray(0, cut)), ...framer.push(bytes.subarray(cut))];
      expect(summary(out), `cut at ${cut}`).toEqual([`frame:${payloadHex(bytes)}`]);
    }
  });

  it('yields several frames joined in one chunk, in order', () => {
    const chunk = concat(fx.REPLY_FRAMES.samOk, fx.REPLY_FRAMES.findOk, fx.readReply(fx.HK_PERMIT_TEXT), fx.REPLY_FRAMES.selectFail);
    expect(summary(new FrameDecoder().push(chunk))).toEqual([
      `frame:${payloadHex(fx.REPLY_FRAMES.samOk)}`,
      `frame:${payloadHex(fx.REPLY_FRAMES.findOk)}`,
      `frame:${payloadHex(fx.readReply(fx.HK_PERMIT_TEXT))}`,
      `frame:${payloadHex(fx.REPLY_FRAMES.selectFail)}`,
    ]);
  });

  it('skips garbage before the preamble, including a partial preamble', () => {
    const chunk = concat(fx.hex('00 13 AA AA 96 AA'), fx.REPLY_FRAMES.samOk);
    expect(summary(new FrameDecoder().push(chunk))).toEqual(['error:garbage', `frame:${payloadHex(fx.REPLY_FRAMES.samOk)}`]);
  });

  it('keeps a trailing partial preamble for the next chunk', () => {
    const framer = new FrameDecoder();
    const frame = fx.REPLY_FRAMES.findNoCard;
    expect(summary(framer.push(concat(fx.hex('01 02'), frame.subarray(0, 3))))).toEqual(['error:garbage']);
    expect(framer.buffered).toBe(3);
    expect(summary(framer.push(frame.subarray(3)))).toEqual([`frame:${payloadHex(frame)}`]);
  });

  it('an extra AA before the preamble is one garbage byte', () => {
    const chunk = concat(fx.hex('AA'), fx.REPLY_FRAMES.samOk);
    expect(summary(new FrameDecoder().push(chunk))).toEqual(['error:garbage', `frame:${payloadHex(fx.REPLY_FRAMES.samOk)}`]);
  });

  it('reports a bad checksum and recovers on the next frame', () => {
    const bad = fx.REPLY_FRAMES.findOk.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x01;
    const out = summary(new FrameDecoder().push(concat(bad, fx.REPLY_FRAMES.samOk)));
    expect(out[0]).toBe('error:bad-checksum');
    expect(out.at(-1)).toBe(`frame:${payloadHex(fx.REPLY_FRAMES.samOk)}`);
    expect(out.filter((s) => s.startsWith('frame:'))).toHaveLength(1);
  });

  it('a corrupted body byte is caught by the XOR', () => {
    const bad = fx.readReply(fx.RESIDENT_TEXT);
    bad[500] = (bad[500] ?? 0) ^ 0x40;
    expect(summary(new FrameDecoder().push(bad))[0]).toBe('error:bad-checksum');
  });

  it('rejects an oversize LEN without waiting for 64 KB and then finds the real frame', () => {
    const framer = new FrameDecoder({ maxLength: 4096 });
    const out = summary(framer.push(concat(fx.hex('AA AA AA 96 69 FF F0 00'), fx.REPLY_FRAMES.samOk)));
    expect(out).toEqual(['error:oversize-length', 'error:garbage', `frame:${payloadHex(fx.REPLY_FRAMES.samOk)}`]);
  });

  it('rejects a LEN below the minimum', () => {
    const out = summary(new FrameDecoder({ minLength: 4 }).push(concat(fx.hex('AA AA AA 96 69 00 01 01'), fx.REPLY_FRAMES.samOk)));
    expect(out[0]).toBe('error:undersize-length');
    expect(out.at(-1)).toBe(`frame:${payloadHex(fx.REPLY_FRAMES.samOk)}`);
  });

  it('grows past a small initial buffer and still frames correctly', () => {
    const framer = new FrameDecoder({ initialCapacity: 16 });
    const bytes = fx.readReplyWithFingerprint(fx.FOREIGNER_2023_TEXT);
    const out: FramerResult[] = [];
    for (let i = 0; i < bytes.length; i += 100) out.push(...framer.push(bytes.subarray(i, i + 100)));
    expect(summary(out)).toEqual([`frame:${payloadHex(bytes)}`]);
  });

  it('returned payloads are copies, not views of the reused buffer', () => {
    const framer = new FrameDecoder();
    const [first] = framer.push(fx.REPLY_FRAMES.findOk);
    framer.push(fx.REPLY_FRAMES.findNoCard);
    expect(first?.ok && Buffer.from(first.frame.payload).toString('hex')).toBe(payloadHex(fx.REPLY_FRAMES.findOk));
  });

  it('reset() drops a partial frame', () => {
    const framer = new FrameDecoder();
    framer.push(fx.REPLY_FRAMES.findOk.subarray(0, 9));
    framer.reset();
    expect(summary(framer.push(fx.REPLY_FRAMES.samOk))).toEqual([`frame:${payloadHex(fx.REPLY_FRAMES.samOk)}`]);
  });

  it('checks its options', () => {
    expect(() => new FrameDecoder({ maxLength: 0 })).toThrow(TypeError);
    expect(() => new FrameDecoder({ minLength: 10, maxLength: 5 })).toThrow(TypeError);
    expect(() => new FrameDecoder({ initialCapacity: 1 })).toThrow(TypeError);
  });
});
