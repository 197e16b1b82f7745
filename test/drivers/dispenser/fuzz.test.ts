import { describe, expect, it } from 'vitest';
import { HostCommandParser } from '../../../drivers/dispenser/command-codec.ts';
import { decodeFullStatus, FullStatusFramer } from '../../../drivers/dispenser/codec.ts';
import { fullStatusReplies } from '../../fixtures/dispenser/frames.ts';
import { mulberry32 } from '../../helpers/rng.ts';

const seeds = Object.values(fullStatusReplies);

function input(rand: () => number): Uint8Array {
  const mode = rand();
  if (mode < 0.4) {
    // purely random bytes, biased towards the header bytes so partial frames occur often
    const len = Math.floor(rand() * 24);
    return Uint8Array.from({ length: len }, () => {
      const r = rand();
      return r < 0.15 ? 0x10 : r < 0.25 ? 0x0f : Math.floor(rand() * 256);
    });
  }
  // a few real frames, then mutations: flip bits, drop, duplicate or insert bytes
  const parts: number[] = [];
  const frames = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < frames; i++) parts.push(...(seeds[Math.floor(rand() * seeds.length)] ?? []));
  const mutations = Math.floor(rand() * 4);
  for (let i = 0; i < mutations; i++) {
    const at = Math.floor(rand() * (parts.length + 1));
    const op = rand();
    if (op < 0.3 && parts.length > 0) parts[at % parts.length] = (parts[at % parts.length] ?? 0) ^ (1 << Math.floor(rand() * 8));
    else if (op < 0.55) parts.splice(at, 1);
    else if (op < 0.8) parts.splice(at, 0, Math.floor(rand() * 256));
    else parts.splice(at, 0, ...parts.slice(at, at + 3));
  }
  return Uint8Array.from(parts);
}

describe('fuzz: reply decoder, framer and host-command parser never throw', () => {
  it('survives 120 000 seeded random and mutated inputs with consistent framing', () => {
    const rand = mulberry32(0x5eed_d15e);
    const framer = new FullStatusFramer();
    const parser = new HostCommandParser();
    let statuses = 0;
    // Plain counters inside the loop (vitest's expect is too slow for 10^5 iterations); asserted below.
    let decodeMismatches = 0;
    let badStatusBytes = 0;
    let badErrors = 0;
    let pendingOverflows = 0;
    let badCommands = 0;
    for (let i = 0; i < 120_000; i++) {
      const data = input(rand);
      const decoded = decodeFullStatus(data);
      const wellFormed = data.length >= 6 && data[0] === 0x10 && data[1] === 0x0f;
      if (decoded.ok !== wellFormed) decodeMismatches++;
      // feed the framer in random chunk sizes
      let offset = 0;
      while (offset < data.length) {
        const size = 1 + Math.floor(rand() * 7);
        for (const out of framer.push(data.subarray(offset, offset + size))) {
          if (out.type === 'status') {
            statuses++;
            if (!out.status.raw.every((b) => b >= 0 && b <= 255)) badStatusBytes++;
          } else if (out.error.code !== 'unexpected-bytes' || out.error.count < 1) {
            badErrors++;
          }
        }
        offset += size;
      }
      if (framer.pending >= 6) pendingOverflows++;
      for (const cmd of parser.push(data)) if (typeof cmd.kind !== 'string') badCommands++;
    }
    expect({ decodeMismatches, badStatusBytes, badErrors, pendingOverflows, badCommands }).toEqual({
      decodeMismatches: 0,
      badStatusBytes: 0,
      badErrors: 0,
      pendingOverflows: 0,
      badCommands: 0,
    });
    // The mutated real frames must still yield plenty of frames: the framer resynchronises.
    expect(statuses).toBeGreaterThan(10_000);
    // And after all that noise, a clean frame still decodes.
    framer.reset();
    const out = framer.push(fullStatusReplies.jam);
    expect(out).toHaveLength(1);
    expect(out[0]?.type === 'status' && out[0].status.jam).toBe(true);
  });
});
