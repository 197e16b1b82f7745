import type { SymbologyName } from './types.ts';

/**
 * Symbology identification (README.md §4.1 tables).
 *
 * AIM identifiers are `]` + code character + modifier. The code characters below are the ones
 * listed in §4.1 (Q, E, C, d, e, X) plus the common ISO/IEC 15424 ones for the 1-D codes a hall
 * might meet (A, G, I, F, L, z) [INFERENCE: the latter are not in the reference tables].
 */
const AIM_CODE: Readonly<Record<string, SymbologyName>> = {
  Q: 'qr',
  d: 'data-matrix',
  E: 'ean-upc',
  C: 'code128',
  e: 'gs1-databar',
  X: 'other',
  A: 'code39',
  G: 'code93',
  I: 'itf',
  F: 'codabar',
  L: 'pdf417',
  z: 'aztec',
};

/** True for a syntactically valid AIM identifier: `]`, a letter, then a letter or digit. */
export function isAimId(s: string): boolean {
  return /^\][A-Za-z][0-9A-Za-z]$/.test(s);
}

export function symbologyFromAim(aim: string): SymbologyName | undefined {
  if (!isAimId(aim)) return undefined;
  const code = aim[1] ?? '';
  if (code === 'C' && aim[2] === '1') return 'gs1-128';
  return AIM_CODE[code];
}

/**
 * Honeywell "Code ID" byte (WebHID offset 60, node-hid offset 61), sent by Honeywell and Youjie
 * scanners only (§4.1 Honeywell codes table).
 */
const HONEYWELL_CODE_ID: Readonly<Record<number, SymbologyName>> = {
  0x73: 'qr',
  0x77: 'data-matrix',
  0x72: 'pdf417',
  0x7a: 'aztec',
  0x6a: 'code128',
  0x64: 'ean-13',
  0x44: 'ean-8',
  0x63: 'upc-a',
  0x45: 'upc-e',
  0x62: 'code39',
  0x69: 'code93',
  0x65: 'itf',
  0x61: 'codabar',
  0x48: 'han-xin',
  0x7c: 'gs1-128',
};

export function symbologyFromHoneywellCodeId(id: number): SymbologyName | undefined {
  return HONEYWELL_CODE_ID[id];
}
