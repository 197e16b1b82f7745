import { describe, expect, it } from 'vitest';
import { HidPosAssembler, LineFramer, decodeSerialLine, parseHidPosReport } from '../../../drivers/scanner/codec.ts';
import { hidReport, hidReports } from '../../fixtures/scanner/hid-pos-reports.ts';
import { mulberry32 } from '../../helpers/rng.ts';

const ITERATIONS = 100_000;

function randomBytes(rand: () => number, max: number): Uint8Array {
  const out = new Uint8Array(Math.floor(rand() * max));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** Mutate a valid sample: flip bytes, truncate, or extend. */
function mutate(rand: () => number, sample: Uint8Array): Uint8Array {
  const r = rand();
  if (r < 0.2) return sample.subarray(0, Math.floor(rand() * sample.length));
  const out = r < 0.3 ? Uint8Array.from([...sample, ...randomBytes(rand, 16)]) : sample.slice();
  const flips = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < flips && out.length > 0; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  return out;
}

describe('fuzz: HID-POS report parser and assembler', () => {
  it(`survives ${ITERATIONS} random and mutated reports`, () => {
    const rand = mulberry32(0x5ca11e5);
    const samples = [
      hidReport({ payload: 'HK1.T.sample', aim: ']Q1', codeId: 0x73 }),
      hidReport({ payload: '6901234567892', aim: ']E0', zebraOffset: true }),
      ...hidReports('x'.repeat(120), { aim: ']Q1' }),
    ];
    const asm = new HidPosAssembler({ maxPayloadBytes: 512, vendorCodeIds: true });
    const counts = { ok: 0, error: 0, scan: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const input = i % 2 === 0 ? randomBytes(rand, 80) : mutate(rand, samples[i % samples.length]!);
      if (i % 2 === 0 && input.length > 0 && rand() < 0.5) input[0] = 0x02;
      const parsed = parseHidPosReport(input, { reportIdIncluded: rand() < 0.9 });
      if (parsed.ok) {
        counts.ok++;
        expect(parsed.report.payload.length).toBeLessThanOrEqual(input.length);
      } else counts.error++;
      const assembled = asm.push(input);
      if (assembled.type === 'scan') {
        counts.scan++;
        expect(typeof assembled.scan.text).toBe('string');
        expect(assembled.scan.text.length).toBeGreaterThan(0);
      }
    }
    // Both branches were exercised, so the fuzzer is not just feeding rejects.
    expect(counts.ok).toBeGreaterThan(1000);
    expect(counts.error).toBeGreaterThan(1000);
    expect(counts.scan).toBeGreaterThan(100);
  });
});

describe('fuzz: serial line framer', () => {
  it(`survives ${ITERATIONS} random chunks and keeps its length guard`, () => {
    const rand = mulberry32(0xc0ffee);
    const max = 64;
    const framer = new LineFramer(max);
    let lines = 0;
    let errors = 0;
    const bad: number[] = [];
    const terminators = [0x0d, 0x0a];
    for (let i = 0; i < ITERATIONS; i++) {
      const chunk = randomBytes(rand, i % 4 === 0 ? 150 : 20);
      // Sprinkle terminators so both short lines and over-long lines occur.
      for (let j = 0; j < chunk.length; j++) if (rand() < 0.04) chunk[j] = terminators[Math.floor(rand() * 2)]!;
      for (const out of framer.push(chunk)) {
        if (out.type === 'line') {
          lines++;
          const b = out.bytes;
          if (b.length === 0 || b.length > max || b.includes(0x0d) || b.includes(0x0a)) bad.push(i);
          decodeSerialLine(b, true);
        } else errors++;
      }
    }
    expect(bad).toEqual([]);
    expect(lines).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(100);
  });
});
