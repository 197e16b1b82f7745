import { randomInt } from 'node:crypto';

/**
 * 验证码: 12 characters from a 30-character alphabet without look-alikes (no 0/O, 1/I/L, and no U
 * next to V), printed in three groups of four: "K7QM-3XRD-W9HT". Eleven characters are random
 * (11 × log2 30 ≈ 54 bits, so codes cannot be guessed); the twelfth is a check character (ISO/IEC
 * 7064's hybrid system MOD 31,30: every single wrong character and every swap of two neighbours
 * is caught), so a mistyped code is told apart from an unknown one without a lookup.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 11;
const M = CODE_ALPHABET.length; // 30; M + 1 = 31 is prime, which the hybrid system needs
const INDEX = new Map([...CODE_ALPHABET].map((c, i) => [c, i]));

/** ISO/IEC 7064 hybrid MOD 31,30 over `chars`: the running product after the last one. */
function hybrid(chars: string): number {
  let p = M;
  for (const c of chars) {
    const s = (p + (INDEX.get(c) as number)) % M || M;
    p = (2 * s) % (M + 1);
  }
  return p;
}

function checkChar(body: string): string {
  // The character that brings the running sum to 1 (ISO/IEC 7064, 7.2).
  return CODE_ALPHABET[(M + 1 - hybrid(body)) % M] as string;
}

/** A new code in canonical form (12 characters, no separators). */
export function newVerificationCode(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < RANDOM_CHARS; i++) body += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return body + checkChar(body);
}

/** "K7QMXXXXXXXX" → "K7QM-XXXX-XXXX". */
export function formatVerificationCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

export type ParsedCode =
  | { ok: true; code: string }
  | { ok: false; reason: 'length' | 'character' }
  /** The check character does not match; `code` is the canonical form, for a record lookup. */
  | { ok: false; reason: 'check'; code: string };

/**
 * What a citizen or a clerk typed → canonical code. Case, spaces and dashes are ignored; a
 * character outside the alphabet or a wrong check character is a typo, reported as such.
 */
export function parseVerificationCode(input: string): ParsedCode {
  const code = input.toUpperCase().replace(/[\s\-－—_]/g, '');
  if (code.length !== RANDOM_CHARS + 1) return { ok: false, reason: 'length' };
  for (const c of code) if (!INDEX.has(c)) return { ok: false, reason: 'character' };
  if (checkChar(code.slice(0, RANDOM_CHARS)) !== code.slice(RANDOM_CHARS)) return { ok: false, reason: 'check', code };
  return { ok: true, code };
}

/** The verification URL carried by the QR: base + canonical code. */
export function verificationUrl(base: string, code: string): string {
  return `${base}${code}`;
}
