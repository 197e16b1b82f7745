import { DEFAULT_MASK, maskIdNumber, type MaskPattern } from './mask.ts';

/**
 * Free text a citizen or clerk types (an evaluation's comment, a 差评 case note) is stored, shown
 * to staff and exported; a citizen who types their ID number or mobile number there must not put
 * it into the database in clear. `maskFreeText` is the one place that finds and masks them; every
 * stored free-text field goes through it before it is written.
 *
 * What counts, in a run of digits (full-width digits too) that may be split by single spaces or
 * dashes, as typed on a keypad (`1101 0119 9003 0785 15`, `138-1234-5678`):
 * - an ID number: 18 characters, 17 digits and a check digit (0-9 or X). The check digit is not
 *   verified: a mistyped number is still someone's number. Also the old 15-digit number.
 * - a mobile number: 11 digits starting 13-19, optionally after +86 / 86.
 * ID numbers are masked as everywhere else (`privacy.mask`, 110***********123X), mobile numbers
 * keep 3 + 4 digits (138****5678). Nothing else is changed.
 */
export interface MaskedText {
  readonly text: string;
  /** How many ID and mobile numbers were masked (for a log line that carries counts, not text). */
  readonly masked: number;
}

/** Digits (ASCII or full-width) with single spaces or dashes between them, and a trailing X. */
const RUN = /[0-9０-９](?:[ \-－]?[0-9０-９])*(?:[ \-－]?[XxＸｘ])?/g;
const SEPARATOR = /[ \-－]/;

const toAscii = (s: string) => s.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[^0-9Xx]/g, '');

/** The masked form of `chars` (ASCII digits, maybe a final X) if it is an ID or mobile number. */
function maskNumber(chars: string, pattern: MaskPattern): string | null {
  const x = /[Xx]$/.test(chars);
  const digits = x ? chars.slice(0, -1) : chars;
  if (!/^\d+$/.test(digits)) return null;
  if ((x && digits.length === 17) || (!x && (digits.length === 18 || digits.length === 15))) return maskIdNumber(x ? `${digits}X` : digits, pattern);
  if (x) return null;
  const mobile = /^(?:86)?(1[3-9]\d{9})$/.exec(digits);
  return mobile ? `${mobile[1]!.slice(0, 3)}${pattern.maskChar.repeat(4)}${mobile[1]!.slice(7)}` : null;
}

/**
 * A run split by separators may hold a number and its neighbours (`第3 138 1234 5678`): the
 * longest window of whole groups that is a number is masked, from the left.
 */
function maskRun(run: string, pattern: MaskPattern): { text: string; masked: number } {
  const whole = maskNumber(toAscii(run), pattern);
  if (whole !== null) return { text: whole, masked: 1 };
  if (!SEPARATOR.test(run)) return { text: run, masked: 0 };
  const groups = run.split(SEPARATOR);
  const seps = run.match(new RegExp(SEPARATOR.source, 'g')) ?? [];
  const out: string[] = [];
  let masked = 0;
  let i = 0;
  while (i < groups.length) {
    let hit: { end: number; text: string } | null = null;
    for (let j = groups.length; j > i && !hit; j--) {
      const m = maskNumber(toAscii(groups.slice(i, j).join('')), pattern);
      if (m !== null) hit = { end: j, text: m };
    }
    if (hit) {
      out.push(hit.text);
      masked++;
      i = hit.end;
    } else out.push(groups[i++]!);
    if (i < groups.length) out.push(seps[i - 1] ?? ' ');
  }
  return { text: out.join(''), masked };
}

export function maskFreeText(text: string, pattern: MaskPattern = DEFAULT_MASK): MaskedText {
  let masked = 0;
  // Unbroken runs first, so a number typed right after another digit and a space is still found.
  const pass = (t: string, re: RegExp) =>
    t.replace(re, (run) => {
      const r = maskRun(run, pattern);
      masked += r.masked;
      return r.text;
    });
  const out = pass(pass(text, /[0-9０-９]+[XxＸｘ]?/g), RUN);
  return { text: out, masked };
}

/** `maskFreeText` for nullable fields. */
export function maskStoredText(text: string | null, pattern: MaskPattern = DEFAULT_MASK): string | null {
  return text === null ? null : maskFreeText(text, pattern).text;
}
