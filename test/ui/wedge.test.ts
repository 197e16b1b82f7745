import { describe, expect, it } from 'vitest';
import { wedgeBurstDetector } from '../../ui/wedge.ts';
import type { WedgeVerdict } from '../../ui/wedge.ts';

/** Feed `text` then Enter with `gapMs` between keys, starting at `t0`; return the last verdict. */
function type(det: ReturnType<typeof wedgeBurstDetector>, text: string, gapMs: number, t0 = 1000): WedgeVerdict {
  let t = t0;
  for (const ch of text) {
    det.push(ch, t);
    t += gapMs;
  }
  return det.push('Enter', t);
}

describe('wedgeBurstDetector (keyboard-wedge scans)', () => {
  it('reports a fast burst ending in Enter as a scan', () => {
    expect(type(wedgeBurstDetector(), 'HK1.T.abc', 8)).toEqual({ kind: 'scan', text: 'HK1.T.abc' });
  });

  it('treats slow typing as human', () => {
    expect(type(wedgeBurstDetector(), '123456', 150)).toEqual({ kind: 'human' });
  });

  it('respects the gap threshold exactly', () => {
    expect(type(wedgeBurstDetector({ maxGapMs: 30 }), 'ABCDE', 30)).toMatchObject({ kind: 'scan' });
    expect(type(wedgeBurstDetector({ maxGapMs: 30 }), 'ABCDE', 31)).toEqual({ kind: 'human' });
  });

  it('ignores Shift keys inside a burst (scanners shift for capitals)', () => {
    const det = wedgeBurstDetector();
    const keys: [string, number][] = [
      ['Shift', 0],
      ['H', 2],
      ['Shift', 4],
      ['K', 6],
      ['1', 8],
      ['.', 10],
      ['Enter', 12],
    ];
    const verdicts = keys.map(([k, t]) => det.push(k, t));
    expect(verdicts.at(-1)).toEqual({ kind: 'scan', text: 'HK1.' });
  });

  it('drops human keys typed before a scan burst', () => {
    const det = wedgeBurstDetector();
    det.push('9', 0);
    det.push('8', 400); // slow: a person
    expect(type(det, '6901234567892', 5, 2000)).toEqual({ kind: 'scan', text: '6901234567892' });
  });

  it('needs a minimum length and a fast Enter', () => {
    expect(type(wedgeBurstDetector(), 'ab', 5)).toEqual({ kind: 'human' });
    const det = wedgeBurstDetector();
    for (const [i, ch] of [...'ABCDEF'].entries()) det.push(ch, i * 5);
    expect(det.push('Enter', 500)).toEqual({ kind: 'human' });
  });

  it('resets on navigation keys and on reset()', () => {
    const det = wedgeBurstDetector();
    det.push('A', 0);
    det.push('B', 5);
    expect(det.push('Backspace', 10)).toEqual({ kind: 'human' });
    det.push('C', 12);
    det.reset();
    expect(det.push('Enter', 14)).toEqual({ kind: 'human' });
  });

  it('has no imports, so the browser UI can load it', async () => {
    const { readFile } = await import('node:fs/promises');
    const src = await readFile(new URL('../../ui/wedge.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/^\s*import\s/m);
  });
});
