/**
 * Which characters a TrueType font can draw, read from its cmap table (format 12, or format 4 when
 * there is no format 12). Noto Sans SC covers GB 18030's BMP ideographs but not CJK Extension B,
 * so a 生僻字 such as 𠮷 would print as an empty box: the renderer reports such characters and the
 * print service refuses the certificate instead of printing a wrong name.
 */
type Range = readonly [start: number, end: number];

export class GlyphCoverage {
  readonly #ranges: Range[];

  constructor(ttf: Buffer) {
    this.#ranges = readCmap(ttf);
  }

  has(codePoint: number): boolean {
    let lo = 0;
    let hi = this.#ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = this.#ranges[mid] as Range;
      if (codePoint < s) hi = mid - 1;
      else if (codePoint > e) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Distinct characters of `text` the font lacks (whitespace and controls are not counted). */
  missing(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (cp > 0x20 && !this.has(cp)) out.add(ch);
    }
    return [...out];
  }
}

function readCmap(b: Buffer): Range[] {
  const numTables = b.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    if (b.toString('latin1', rec, rec + 4) === 'cmap') cmap = b.readUInt32BE(rec + 8);
  }
  if (cmap < 0) throw new Error('font has no cmap table');
  const n = b.readUInt16BE(cmap + 2);
  let fmt4 = -1;
  for (let i = 0; i < n; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = b.readUInt16BE(rec);
    const encoding = b.readUInt16BE(rec + 2);
    const off = cmap + b.readUInt32BE(rec + 4);
    const format = b.readUInt16BE(off);
    if (format === 12 && (platform === 3 || platform === 0)) {
      const groups = b.readUInt32BE(off + 12);
      const ranges: Range[] = [];
      for (let g = 0; g < groups; g++) {
        const p = off + 16 + g * 12;
        ranges.push([b.readUInt32BE(p), b.readUInt32BE(p + 4)]);
      }
      return ranges.sort((x, y) => x[0] - y[0]);
    }
    if (format === 4 && platform === 3 && encoding === 1) fmt4 = off;
  }
  if (fmt4 < 0) throw new Error('font has no Unicode cmap');
  const segX2 = b.readUInt16BE(fmt4 + 6);
  const ranges: Range[] = [];
  for (let i = 0; i < segX2 / 2; i++) {
    const end = b.readUInt16BE(fmt4 + 14 + i * 2);
    const start = b.readUInt16BE(fmt4 + 16 + segX2 + i * 2);
    if (start !== 0xffff) ranges.push([start, end]); // approximation: a segment may map some code points to glyph 0
  }
  return ranges.sort((x, y) => x[0] - y[0]);
}
