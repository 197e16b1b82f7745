import { describe, expect, it } from 'vitest';
import { alignLine, cut, doc, feed, kv, layoutKeyValue, qr, rule, text, wrapText } from '../../../drivers/printer/document.ts';
import { resolvePrinterProfile } from '../../../drivers/printer/profiles.ts';
import { renderPreview } from '../../../drivers/printer/render-text.ts';
import { displayWidth } from '../../../drivers/printer/text-width.ts';

describe('display width', () => {
  it('counts ASCII as 1 and GB double-byte characters as 2', () => {
    expect(displayWidth('A012')).toBe(4);
    expect(displayWidth('医保')).toBe(4);
    expect(displayWidth('医保 A1，')).toBe(9);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('a\x1bb')).toBe(2);
  });
});

describe('wrapText', () => {
  it('breaks CJK text at the column limit', () => {
    expect(wrapText('一二三四五', 4)).toEqual(['一二', '三四', '五']);
    expect(wrapText('一二三', 5)).toEqual(['一二', '三']);
  });
  it('keeps ASCII words whole when they fit and drops spaces at breaks', () => {
    expect(wrapText('hello world again', 11)).toEqual(['hello world', 'again']);
    expect(wrapText('医保 card', 6)).toEqual(['医保', 'card']);
  });
  it('hard-breaks words longer than a line', () => {
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
  it('honours explicit newlines and keeps empty lines', () => {
    expect(wrapText('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(wrapText('', 10)).toEqual(['']);
  });
  it('never produces a line wider than the limit', () => {
    for (const s of ['医保A1 医保B22 长长的业务名称abc', 'x'.repeat(100), '，。、'.repeat(9)]) {
      for (const w of [3, 7, 16, 32]) for (const line of wrapText(s, w)) expect(displayWidth(line)).toBeLessThanOrEqual(w);
    }
  });
});

describe('key-value rows', () => {
  it('puts label left and value right in exactly the line width', () => {
    const [line] = layoutKeyValue('办理业务', '医保关系转移', 32);
    expect(line).toBe('办理业务' + ' '.repeat(32 - 8 - 12) + '医保关系转移');
    expect(displayWidth(line ?? '')).toBe(32);
  });
  it('moves a value that does not fit to its own right-aligned line', () => {
    const lines = layoutKeyValue('业务', '医保关系转移接续申请', 16);
    expect(lines[0]).toBe('业务');
    for (const l of lines.slice(1)) expect(displayWidth(l)).toBe(16);
  });
  it('alignLine pads by display width', () => {
    expect(alignLine('医保', 10, 'right')).toBe('      医保');
    expect(alignLine('医保', 10, 'center')).toBe('   医保');
  });
});

describe('renderPreview', () => {
  it('renders the lines as printed on a 58 mm profile', () => {
    const p = resolvePrinterProfile('generic-58');
    const lines = renderPreview(doc(text('A012', { align: 'center', size: { width: 2, height: 2 } }), rule(), kv('等待', '3 人'), feed(1), qr('x'), cut()), p);
    expect(lines[0]).toBe(' '.repeat(12) + 'A012');
    expect(lines[1]).toBe('-'.repeat(32));
    expect(lines[2]).toBe('等待' + ' '.repeat(32 - 4 - 4) + '3 人');
    expect(lines[3]).toBe('');
    expect(lines[4]?.trim()).toBe('[二维码]');
    expect(lines.length).toBe(5 + p.feedBeforeCut); // generic-58 has no cutter: feed only
  });
});
