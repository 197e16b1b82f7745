/**
 * Micro-benchmark: frame + decode a full read-basic-info reply (1295 bytes, §1.4) per iteration.
 */
import { decodeReadBasicReply, encodeReadBasicReply, FrameDecoder } from './codec.ts';
import { fakeWltPhoto, SAMPLE_CARDS } from './sample-cards.ts';
import { decodeIdCard } from './text-block.ts';
import { encodeTextBlock } from './text-block-encode.ts';

/** Decode `iterations` reply frames through the framer and text decoder; returns operations per second. */
export function benchDecode(iterations = 20_000): number {
  if (!Number.isInteger(iterations) || iterations <= 0) throw new RangeError('iterations must be a positive integer');
  const frame = encodeReadBasicReply(encodeTextBlock(SAMPLE_CARDS.adult), fakeWltPhoto());
  const framer = new FrameDecoder();
  let decoded = 0;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    for (const result of framer.push(frame)) {
      if (!result.ok) continue;
      const blocks = decodeReadBasicReply(result.frame);
      if (blocks.ok && decodeIdCard(blocks.value).ok) decoded++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (decoded !== iterations) throw new Error(`bench decoded ${decoded} of ${iterations} frames`);
  return Math.round(iterations / Math.max(seconds, 1e-9));
}
