import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { evaluationError } from './errors.ts';

/**
 * 回访 phone numbers are stored only encrypted: AES-256-GCM, key derived with HKDF-SHA256 from the
 * configured secret, a fresh 96-bit IV per record, the evaluation uid as associated data (a
 * ciphertext copied onto another record does not decrypt). Stored as `v1.<iv>.<tag>.<data>`.
 */
const VERSION = 'v1';

export class PhoneCipher {
  #key: Buffer;

  constructor(secret: string) {
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'hall-kiosk', 'evaluation-phone-v1', 32));
  }

  encrypt(phone: string, uid: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(uid));
    const data = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(stored: string, uid: string): string {
    const [version, iv, tag, data] = stored.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('unknown phone ciphertext format');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(uid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** Mainland mobile numbers (11 digits, 1[3-9]…); spaces and dashes are ignored. */
export function normalisePhone(input: string): string {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  if (!/^1[3-9]\d{9}$/.test(digits)) throw evaluationError('EVALUATION_PHONE_INVALID');
  return digits;
}

/** 138****5678, for a 回访 screen. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
