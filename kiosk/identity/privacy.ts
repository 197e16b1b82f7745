import { createHmac } from 'node:crypto';
import type { KioskConfig } from '../../config/schema.ts';

/**
 * Identity matching without keeping identities: an ID number is turned into a keyed HMAC at the
 * moment it is read, and only that hash is stored (to find a person's existing ticket, their
 * appointments, their evaluations). Without the hall's key the hash cannot be reversed by
 * enumerating the (small) space of valid ID numbers.
 */
export function identityHash(idNumber: string, key: string): string {
  return createHmac('sha256', key).update(`id:${idNumber.trim().toUpperCase()}`).digest('base64url');
}

export type MaskPattern = KioskConfig['privacy']['mask'];

/** 110***********123X with the default pattern (keep 3 at the start and 4 at the end). */
export function maskIdNumber(idNumber: string, pattern: MaskPattern): string {
  const chars = [...idNumber];
  if (chars.length <= pattern.idKeepStart + pattern.idKeepEnd) return pattern.maskChar.repeat(chars.length);
  return chars.map((c, i) => (i < pattern.idKeepStart || i >= chars.length - pattern.idKeepEnd ? c : pattern.maskChar)).join('');
}

/** 张*、欧阳** with the default pattern (keep the first character). A one-character name is fully masked. */
export function maskName(name: string, pattern: MaskPattern): string {
  const chars = [...name.trim()];
  if (chars.length <= pattern.nameKeepStart) return pattern.maskChar.repeat(Math.max(1, chars.length));
  return chars.map((c, i) => (i < pattern.nameKeepStart ? c : pattern.maskChar)).join('');
}
