import type { SymbologyName } from '../../drivers/scanner/types.ts';
import { OpaquePayload } from './opaque-payload.ts';
import type { SigningKeys, VerifyFailureReason } from './ticket-code.ts';
import { looksLikeOwnCode, verifyCode } from './ticket-code.ts';

/**
 * What a scan is, so the UI can route it:
 * - `ticket` / `appointment`: one of our own signed codes (ticket-code.ts), verified;
 * - `invalid-code`: looks like our code but failed verification (forged, tampered, other hall);
 * - `insurance-voucher`: a 医保电子凭证 QR, kept opaque for the e-voucher SDK (never parsed, never logged);
 * - `other`: anything else (retail barcodes, URLs, ID numbers...).
 *
 * E-voucher detection: drivers/scanner/README.md §3.4: the raw e-voucher QR payload format is
 * UNCONFIRMED; the NHSA terminal SDK decodes it (`ec.query`) and returns an `ecToken`. So the
 * classifier only decides "plausibly an e-voucher" and lets the SDK be the judge. Halls that know
 * their province's format configure `voucherPatterns`; without them a conservative default applies
 * [INFERENCE]: a QR (or unknown symbology) carrying 16-1024 printable ASCII characters without
 * spaces that is not a URL, not JSON, not a plain number such as an EAN or ID-card number, and not
 * one of our own codes.
 */
export type ScanClass =
  | {
      readonly kind: 'ticket';
      readonly hallCode: string;
      readonly day: string;
      readonly ticketNo: string;
      readonly ticketId: string;
    }
  | { readonly kind: 'appointment'; readonly hallCode: string; readonly day: string; readonly appointmentId: string }
  | { readonly kind: 'invalid-code'; readonly reason: VerifyFailureReason; readonly message: string }
  | { readonly kind: 'insurance-voucher'; readonly payload: OpaquePayload }
  | { readonly kind: 'other' };

export interface ClassifyOptions {
  /** The hall this kiosk serves (own codes of other halls become `invalid-code` / `wrong-hall`). */
  hallCode?: string;
  /** Symbology reported by the scanner, when known. */
  symbology?: SymbologyName;
  /** Province-specific e-voucher patterns; when given they replace the default heuristic. */
  voucherPatterns?: readonly RegExp[];
}

const OTHER: ScanClass = Object.freeze({ kind: 'other' });

export function classifyScan(text: string, key: SigningKeys, options: ClassifyOptions = {}): ScanClass {
  if (looksLikeOwnCode(text)) {
    const result = verifyCode(text, key, options.hallCode !== undefined ? { hallCode: options.hallCode } : {});
    if (!result.ok) return { kind: 'invalid-code', reason: result.reason, message: result.message };
    const { type, ...fields } = result.code;
    return { kind: type, ...fields } as ScanClass;
  }
  if (isPlausibleVoucher(text, options)) return { kind: 'insurance-voucher', payload: new OpaquePayload(text) };
  return OTHER;
}

const TWO_D: ReadonlySet<SymbologyName> = new Set(['qr', 'other']);

function isPlausibleVoucher(text: string, options: ClassifyOptions): boolean {
  if (options.symbology !== undefined && !TWO_D.has(options.symbology)) return false;
  if (options.voucherPatterns) return options.voucherPatterns.some((p) => matchesPattern(p, text));
  if (text.length < 16 || text.length > 1024) return false;
  if (!/^[\x21-\x7e]+$/.test(text)) return false; // printable ASCII, no spaces
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return false; // URL
  if (/^[[{]/.test(text)) return false; // JSON
  if (/^\d+$/.test(text) && text.length <= 18) return false; // EAN/ITF and other plain numbers
  if (/^\d{17}[\dXx]$/.test(text)) return false; // citizen ID number (GB 11643)
  return true;
}

function matchesPattern(pattern: RegExp, text: string): boolean {
  // A fresh, non-global copy so `lastIndex` of a shared /g pattern cannot change the answer.
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).test(text);
}
