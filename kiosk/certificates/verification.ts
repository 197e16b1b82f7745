/**
 * 防伪: issuing a verification record for every certificate, answering "is this certificate
 * real?" (valid / expired / unknown, with a masked summary) and "is this the content that was
 * printed?" (match / mismatch), and purging records after their validity (plus
 * certificate.keepExpiredDays), called by the daily day-close.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../clock.ts';
import { writeTx, type Db } from '../store/database.ts';
import {
  canonicalContent,
  contentHash,
  documentKeyFields,
  keyFieldsHash,
  type CanonicalContent,
  type CertificateDocument,
  type RetypedFields,
} from './model.ts';
import type { CertificateKind } from './types.ts';
import { formatVerificationCode, parseVerificationCode } from './verification-code.ts';
import { deleteVerificationsExpiredBefore, findVerification, insertVerification, type VerificationRow } from './verification-store.ts';

const DAY_MS = 86_400_000;

export interface VerificationSummary {
  readonly code: string;
  readonly kind: CertificateKind;
  readonly maskedName: string;
  readonly issuer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type VerifyResult =
  | { readonly status: 'valid'; readonly summary: VerificationSummary }
  | { readonly status: 'expired'; readonly summary: VerificationSummary }
  | { readonly status: 'unknown' }
  /** Not a code at all (wrong length, a character outside the alphabet, a wrong check character). */
  | { readonly status: 'malformed'; readonly reason: 'length' | 'character' | 'check' };

export type ContentCheck = { readonly contentHash: string } | { readonly content: CanonicalContent } | { readonly fields: RetypedFields };

export type CheckResult =
  | { readonly status: 'match'; readonly summary: VerificationSummary; readonly expired: boolean }
  | { readonly status: 'mismatch'; readonly summary: VerificationSummary; readonly expired: boolean }
  | { readonly status: 'unknown' }
  | { readonly status: 'malformed'; readonly reason: 'length' | 'character' | 'check' };

export const VERIFY_MESSAGES = {
  valid: '证明真实有效',
  expired: '证明已超过核验有效期',
  unknown: '查无此证明，请核对验证码',
  malformed: '验证码有误，请核对后重新输入',
  match: '内容与出具时一致',
  mismatch: '内容与出具时不一致，证明可能被篡改',
} as const;

function summaryOf(r: VerificationRow): VerificationSummary {
  return { code: formatVerificationCode(r.code), kind: r.kind, maskedName: r.maskedName, issuer: r.issuer, issuedAt: r.issuedAt, expiresAt: r.expiresAt };
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export class CertificateVerification {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #hmacKey: string;
  readonly #keepExpiredMs: number;

  constructor(db: Db, config: Pick<KioskConfig, 'privacy' | 'certificate'>, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    this.#hmacKey = config.privacy.hmacKey;
    this.#keepExpiredMs = config.certificate.keepExpiredDays * DAY_MS;
  }

  /** Store the record of a certificate about to be printed; returns its content hash. */
  record(doc: CertificateDocument): string {
    const hash = contentHash(canonicalContent(doc));
    const row: VerificationRow = {
      code: doc.code,
      kind: doc.kind,
      maskedName: doc.maskedName,
      issuer: doc.issuerName,
      issuedAt: doc.issuedAt,
      expiresAt: doc.expiresAt,
      contentHash: hash,
      keyHash: keyFieldsHash(doc.code, doc.kind, documentKeyFields(doc), this.#hmacKey),
    };
    writeTx(this.#db, () => {
      // Recording the same certificate again (a reprint) is a no-op; another content under the
      // same code is a bug, refused by the primary key.
      const existing = findVerification(this.#db, doc.code);
      if (existing && sameHex(existing.contentHash, hash)) return;
      insertVerification(this.#db, row);
    });
    return hash;
  }

  /**
   * The record of a typed code. A code whose check character does not match is still looked up:
   * certificates printed before the check became ISO/IEC 7064 (a weighted sum mod 30, which let
   * some single typos through) carry the old one, and a record found is the code itself (a typo
   * landing on another issued code is a 1 in 2^54 chance per record).
   */
  #lookup(input: string): { row: ReturnType<typeof findVerification> } | { malformed: 'length' | 'character' | 'check' } {
    const parsed = parseVerificationCode(input);
    if (!parsed.ok && parsed.reason !== 'check') return { malformed: parsed.reason };
    const row = findVerification(this.#db, parsed.code);
    return parsed.ok || row ? { row } : { malformed: 'check' };
  }

  verify(input: string): VerifyResult {
    const found = this.#lookup(input);
    if ('malformed' in found) return { status: 'malformed', reason: found.malformed };
    const row = found.row;
    if (!row) return { status: 'unknown' };
    return { status: this.#clock() > row.expiresAt ? 'expired' : 'valid', summary: summaryOf(row) };
  }

  checkContent(input: string, check: ContentCheck): CheckResult {
    const found = this.#lookup(input);
    if ('malformed' in found) return { status: 'malformed', reason: found.malformed };
    const row = found.row;
    if (!row) return { status: 'unknown' };
    let match: boolean;
    if ('contentHash' in check) match = /^[0-9a-fA-F]{64}$/.test(check.contentHash) && sameHex(check.contentHash, row.contentHash);
    else if ('content' in check) match = check.content.code === row.code && sameHex(contentHash(check.content), row.contentHash);
    else match = sameHex(keyFieldsHash(row.code, row.kind, check.fields, this.#hmacKey), row.keyHash);
    return { status: match ? 'match' : 'mismatch', summary: summaryOf(row), expired: this.#clock() > row.expiresAt };
  }

  /** Delete records (and their print jobs) expired for longer than certificate.keepExpiredDays. */
  purge(now: number = this.#clock()): number {
    return writeTx(this.#db, () => deleteVerificationsExpiredBefore(this.#db, now - this.#keepExpiredMs));
  }
}
