/**
 * 避头尾 line breaking for printed Chinese text: break only where Unicode line breaking (UAX #14,
 * the `linebreak` package) allows, so no line starts with closing punctuation (）；，。、：！？」》…)
 * and none ends with an opening one (（《「). Lines are measured in printer display columns (a
 * CJK character is 2). A run with no break opportunity longer than a line is cut by character,
 * still never leaving a closing mark at the start of a line.
 */
import { lazyRequire } from '../../drivers/common/lazy-require.ts';
import { displayWidth } from '../../drivers/printer/text-width.ts';

interface Break {
  position: number;
  required: boolean;
}
type LineBreakerClass = new (text: string) => { nextBreak(): Break | null };
const lineBreaker = lazyRequire<LineBreakerClass>('linebreak');

/** Characters no line may start with (GB/T 15834 标点符号用法 and JIS X 4051 行頭禁則). */
export const NO_LINE_START = new Set([...'）)]］】》〉」』〕”’，,。.、；;：:！!？?…—～·%％']);

/** Splits `text` into lines of at most `columns` display columns with 避头尾 rules. */
export function kinsokuWrap(text: string, columns: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    const segments: string[] = [];
    const breaker = new (lineBreaker())(paragraph);
    let last = 0;
    for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
      segments.push(paragraph.slice(last, bk.position));
      last = bk.position;
    }
    if (last < paragraph.length) segments.push(paragraph.slice(last));
    let line = '';
    const flush = (): void => {
      out.push(line.replace(/\s+$/, ''));
      line = '';
    };
    for (const seg of segments) {
      if (displayWidth(line + seg.replace(/\s+$/, '')) <= columns) {
        line += seg;
        continue;
      }
      if (line) flush();
      let rest = seg;
      // One segment wider than a line: cut by character, moving a closing mark back onto the line.
      while (displayWidth(rest.replace(/\s+$/, '')) > columns) {
        let cut = 0;
        let w = 0;
        for (const ch of rest) {
          if (w + displayWidth(ch) > columns) break;
          w += displayWidth(ch);
          cut += ch.length;
        }
        while (cut > 1 && NO_LINE_START.has(rest[cut] ?? '')) cut--;
        out.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    if (line || out.length === 0 || paragraph === '') flush();
  }
  return out;
}
