/**
 * Fuzz: random and mutated byte streams through framer + every reply decoder + text decoder.
 * Seeded PRNG (mulberry32) so a failure names the seed and iteration that reproduce it.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeAppendedAddressReply,
  decodeFindCardReply,
  decodeReadBasicReply,
  decodeSamIdReply,
  decodeSelectCardReply,
  decodeStatusReply,
  FrameDecoder,
} from '../../../drivers/idcard/codec.ts';
import { decodeIdCard, decodeTextBlock } from '../../../drivers/idcard/text-block.ts';
import type { Frame } from '../../../drivers/idcard/types.ts';
import * as fx from '../../fixtures/idcard/frames.ts';
import { mulberry32 } from '../../helpers/rng.ts';

const SEEDS = [Number(process.env['IDCARD_FUZZ_SEED'] ?? 0x1d0c4d)];

const CORPUS: readonly Uint8Array[] = [
  ...Object.values(fx.REPLY_FRAMES),
  ...Object.values(fx.COMMAND_FRAMES),
  fx.readReply(fx.RESIDENT_TEXT),
  fx.readReply(fx.HK_PERMIT_TEXT),
  fx.readReply(fx.FOREIGNER_2017_TEXT),
  fx.readReplyWithEmptyFingerprint(fx.FOREIGNER_2023_TEXT),
  fx.readReplyWithFingerprint(fx.RESIDENT_ADULT_TEXT),
  fx.SAM_ID_REPLY,
  fx.APPENDED_ADDRESS_REPLY,
];

function decodeEverything(frame: Frame): number {
  let ok = 0;
  for (const decode of [decodeStatusReply, decodeFindCardReply, decodeSelectCardReply, decodeSamIdReply, decodeAppendedAddressReply]) {
    if (decode(frame).ok) ok++;
  }
  const read = decodeReadBasicReply(frame);
  if (read.ok && decodeIdCard(read.value, { includePhoto: true }).ok) ok++;
  return ok;
}

describe('fuzz: framer + decoders never throw', () => {
  it.each(SEEDS)('100 000 random and mutated inputs (seed %i)', (seed) => {
    const rnd = mulberry32(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const framer = new FrameDecoder({ initialCapacity: 64 });
    let frames = 0;
    let errors = 0;
    let i = 0;
    try {
      for (; i < 100_000; i++) {
        let input: Uint8Array;
        const kind = int(4);
        if (kind === 0) {
          // pure noise, biased towards preamble bytes so the framer gets exercised
          input = Uint8Array.from({ length: 1 + int(48) }, () => (rnd() < 0.3 ? ([0xaa, 0x96, 0x69, 0x00][int(4)] ?? 0) : int(256)));
        } else {
          const base = CORPUS[int(CORPUS.length)] ?? fx.REPLY_FRAMES.samOk;
          const start = kind === 3 ? int(base.length) : 0;
          input = base.slice(start, start + 1 + int(base.length));
          const flips = kind === 1 ? 0 : 1 + int(4);
          for (let k = 0; k < flips; k++) input[int(input.length)] = int(256);
        }
        for (const result of framer.push(input)) {
          if (!result.ok) {
            errors++;
            continue;
          }
          frames++;
          decodeEverything(result.frame);
          // feed mutated payloads straight to the decoders too (bypassing the checksum)
          const payload = result.frame.payload.slice();
          if (payload.length > 0) payload[int(payload.length)] = int(256);
          decodeEverything({ payload });
        }
        if (i % 1000 === 0) decodeTextBlock(Uint8Array.from({ length: 256 }, () => int(256)));
      }
    } catch (err) {
      throw new Error(`seed ${seed} iteration ${i}: ${(err as Error).stack}`);
    }
    // The run must actually have exercised both paths.
    expect(frames).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(1000);
  });
});
