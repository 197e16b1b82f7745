import { describe, expect, it } from 'vitest';
import { encodeDocument } from '../../../drivers/printer/codec.ts';
import { EscPosDecoder } from '../../../drivers/printer/escpos-decoder.ts';
import { PrinterModel } from '../../../drivers/printer/printer-model.ts';
import { resolvePrinterProfile } from '../../../drivers/printer/profiles.ts';
import { sampleQueueTicket, testPageDocument } from '../../../drivers/printer/samples.ts';
import { decodeStatusReply, flagsToDeviceStatus, mergeReplies } from '../../../drivers/printer/status-codec.ts';
import { mulberry32 } from '../../helpers/rng.ts';

const profile = resolvePrinterProfile('generic-80');
const corpus = [sampleQueueTicket(), testPageDocument(profile, new Date(0))].map((d) => {
  const r = encodeDocument(d, profile);
  if (!r.ok) throw new Error(r.code);
  return r.bytes;
});
// Command lead bytes weighted in, so random input reaches deep decoder states.
const INTERESTING = [0x1b, 0x1d, 0x1c, 0x10, 0x04, 0x0a, 0x28, 0x6b, 0x31, 0x50, 0x51, 0x56, 0x76, 0x2a, 0x00, 0xff];

function makeInput(next: () => number): Uint8Array {
  const byte = (): number => (next() < 0.3 ? (INTERESTING[Math.floor(next() * INTERESTING.length)] as number) : Math.floor(next() * 256));
  if (next() < 0.5) {
    const out = new Uint8Array(1 + Math.floor(next() * 64));
    for (let i = 0; i < out.length; i++) out[i] = byte();
    return out;
  }
  const src = corpus[Math.floor(next() * corpus.length)] as Uint8Array;
  const start = Math.floor(next() * src.length);
  const bytes = Array.from(src.subarray(start, start + 1 + Math.floor(next() * 96)));
  const mutations = 1 + Math.floor(next() * 4);
  for (let m = 0; m < mutations; m++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const op = next();
    if (op < 0.4) bytes[at] = byte();
    else if (op < 0.7) bytes.splice(at, 0, byte());
    else bytes.splice(at, 1);
  }
  return Uint8Array.from(bytes);
}

describe('fuzz (seeded)', () => {
  it('the ESC/POS decoder and printer model survive 100 000 random and mutated inputs', () => {
    const next = mulberry32(0x5eed_2025);
    let events = 0;
    let replies = 0;
    let receipts = 0;
    for (let n = 0; n < 100_000; n++) {
      const input = makeInput(next);
      const model = new PrinterModel({ onReply: () => replies++, onReceipt: () => receipts++, paperLines: next() < 0.1 ? 3 : undefined });
      const decoder = new EscPosDecoder(() => events++);
      let at = 0;
      while (at < input.length) {
        const size = 1 + Math.floor(next() * 16);
        const chunk = input.subarray(at, at + size);
        model.push(chunk);
        decoder.push(chunk);
        at += size;
      }
    }
    // Sanity: the inputs really exercised the decoder (these are counts, not fixed expectations).
    expect(events).toBeGreaterThan(100_000);
    expect(replies).toBeGreaterThan(0);
    expect(receipts).toBeGreaterThan(0);
  });

  it('the status decoder survives 100 000 random (n, byte) pairs', () => {
    const next = mulberry32(0xdecade);
    let decoded = 0;
    let unexpected = 0;
    for (let i = 0; i < 100_000; i++) {
      const n = Math.floor(next() * 8) - 1;
      const byte = next() < 0.05 ? next() * 600 - 100 : Math.floor(next() * 256);
      const r = decodeStatusReply(n, byte);
      if (r.ok) {
        decoded++;
        const status = flagsToDeviceStatus(mergeReplies([r.reply]));
        if (status.state !== 'ready' && status.state !== 'fault') unexpected++;
      } else if (r.error !== 'bad-request-kind' && r.error !== 'bad-byte') {
        unexpected++;
      }
    }
    expect(unexpected).toBe(0);
    expect(decoded).toBeGreaterThan(0);
  });
});
