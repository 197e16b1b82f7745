import { createHmac } from 'node:crypto';

/**
 * Identity matching without keeping identities: an ID number is turned into a keyed HMAC at the
 * moment it is read, and only that hash is stored (to find a person's existing ticket, their
 * appointments, their evaluations). Without the hall's key the hash cannot be reversed by
 * enumerating the (small) space of valid ID numbers.
 */
export function identityHash(idNumber: string, key: string): string {
  return createHmac('sha256', key).update(`id:${idNumber.trim().toUpperCase()}`).digest('base64url');
}

export { DEFAULT_MASK, maskIdNumber, maskName, type MaskPattern } from './mask.ts';
