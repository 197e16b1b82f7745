/**
 * Display width of text on a Chinese ESC/POS printer, in character columns of Font A
 * (12 × 24 dots). In Chinese mode every character the printer receives as a 2-byte GB code is
 * printed as a 24 × 24 glyph, i.e. two columns; single-byte ASCII is one column
 * (README.md §5.1 "Enter Chinese mode"). So the printer's rule is simpler than
 * Unicode East-Asian-Width: ASCII = 1, control = 0, anything else = 2 — which also matches
 * how 全角 punctuation and '·' come out on paper. [INFERENCE from §5.1]
 */
export function charWidth(codePoint: number): 0 | 1 | 2 {
  if (codePoint < 0x20 || codePoint === 0x7f) return 0;
  if (codePoint < 0x80) return 1;
  return 2;
}

export function displayWidth(value: string): number {
  let width = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      i++; // a surrogate pair is one character (substituted before printing, still two columns)
      width += 2;
    } else {
      width += charWidth(code);
    }
  }
  return width;
}
