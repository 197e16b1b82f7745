import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed compact codes for this product's own queue tickets and appointments, printed as QR codes
 * and read back by the kiosk's scanner:
 *
 *   HK1.T.<hallCode>~<yyyymmdd>~<ticketNo>~<ticketId>.<sig>        queue ticket
 *   HK1.A.<hallCode>~<yyyymmdd>~<appointmentId>.<sig>              appointment
 *
 * `sig` is HMAC-SHA256 over everything before the last dot, truncated to 12 bytes (96 bits) and
 * base64url-encoded (16 chars): enough against forgery for a code that is checked at a kiosk and
 * is only valid for one day, and short enough for a small QR (about 60-80 characters). All
 * characters are URL-unreserved, so a hall can publish `https://…/t?c=<code>` for phones; the URL
 * form verifies too. The key comes from configuration; several keys may be given for rotation
 * (the first one signs).
 */
export const CODE_VERSION = 'HK1';
const SIG_BYTES = 12;
const MIN_KEY_BYTES = 16;

export type SigningKey = string | Uint8Array;
export type SigningKeys = SigningKey | readonly SigningKey[];

export interface TicketCodeFields {
  readonly hallCode: string;
  /** Service day, `YYYY-MM-DD`. */
  readonly day: string;
  /** Number shown to the citizen, e.g. `A023`. */
  readonly ticketNo: string;
  readonly ticketId: string;
}

export interface AppointmentCodeFields {
  readonly hallCode: string;
  readonly appointmentId: string;
  /** Appointment day, `YYYY-MM-DD`. */
  readonly day: string;
}

export type VerifiedCode = ({ readonly type: 'ticket' } & TicketCodeFields) | ({ readonly type: 'appointment' } & AppointmentCodeFields);

export type VerifyFailureReason = 'not-a-code' | 'unsupported-version' | 'unknown-type' | 'malformed' | 'bad-signature' | 'wrong-hall';

export type VerifyResult =
  { readonly ok: true; readonly code: VerifiedCode } | { readonly ok: false; readonly reason: VerifyFailureReason; readonly message: string };

/** Chinese explanations for the citizen's screen. */
export const VERIFY_MESSAGES: Readonly<Record<VerifyFailureReason, string>> = {
  'not-a-code': '这不是本大厅的取号或预约二维码',
  'unsupported-version': '二维码版本过旧或过新，请到窗口咨询',
  'unknown-type': '无法识别的二维码类型，请到窗口咨询',
  malformed: '二维码内容不完整，请重新扫描',
  'bad-signature': '二维码校验失败，可能已被篡改，请到窗口咨询',
  'wrong-hall': '该二维码不属于本服务大厅',
};

const HALL = /^[A-Za-z0-9-]{1,20}$/;
const TICKET_NO = /^[A-Za-z0-9]{1,10}$/;
const ID = /^[A-Za-z0-9_-]{1,40}$/;
const COMPACT_DAY = /^\d{8}$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SIG = /^[A-Za-z0-9_-]{16}$/;

export function signTicketCode(fields: TicketCodeFields, key: SigningKeys): string {
  requireField('hallCode', fields.hallCode, HALL);
  requireField('ticketNo', fields.ticketNo, TICKET_NO);
  requireField('ticketId', fields.ticketId, ID);
  return sign('T', [fields.hallCode, compactDay(fields.day), fields.ticketNo, fields.ticketId], key);
}

export function signAppointmentCode(fields: AppointmentCodeFields, key: SigningKeys): string {
  requireField('hallCode', fields.hallCode, HALL);
  requireField('appointmentId', fields.appointmentId, ID);
  return sign('A', [fields.hallCode, compactDay(fields.day), fields.appointmentId], key);
}

/** The phone-friendly form: `baseUrl` plus `c=<code>` as a query parameter. */
export function codeUrl(baseUrl: string, code: string): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('"baseUrl" must be http(s)');
  return `${url.href}${url.search ? '&' : '?'}c=${code}`;
}

/** The bare code from a scan: the text itself, or the `c` parameter of an http(s) URL. */
export function extractCode(text: string): string {
  const trimmed = text.trim();
  if (!/^https?:\/\//i.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed).searchParams.get('c') ?? '';
  } catch {
    return '';
  }
}

/** True when the text looks like one of our codes (bare or URL form), valid or not. */
export function looksLikeOwnCode(text: string): boolean {
  return /^HK\d+\./.test(extractCode(text));
}

export interface VerifyOptions {
  /** The hall this kiosk serves; codes of other halls fail with `wrong-hall`. */
  hallCode?: string;
}

export function verifyCode(text: string, key: SigningKeys, options: VerifyOptions = {}): VerifyResult {
  const keys = normaliseKeys(key);
  const code = extractCode(text);
  const fail = (reason: VerifyFailureReason): VerifyResult => ({ ok: false, reason, message: VERIFY_MESSAGES[reason] });

  const version = /^HK(\d+)\./.exec(code);
  if (!version) return fail('not-a-code');
  if (`HK${version[1]}` !== CODE_VERSION) return fail('unsupported-version');
  const parts = code.split('.');
  if (parts.length !== 4) return fail('malformed');
  const [, type, payload, sig] = parts as [string, string, string, string];
  if (type !== 'T' && type !== 'A') return fail('unknown-type');
  if (!SIG.test(sig)) return fail('malformed');

  const given = Buffer.from(sig, 'base64url');
  const signed = `${CODE_VERSION}.${type}.${payload}`;
  if (!keys.some((k) => safeEqual(mac(k, signed), given))) return fail('bad-signature');

  // Signed by us: the payload was validated when signing, but check again rather than trust it.
  const fields = payload.split('~');
  const [hallCode = '', day = ''] = fields;
  if (!HALL.test(hallCode) || !COMPACT_DAY.test(day)) return fail('malformed');
  const isoDay = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
  let verified: VerifiedCode;
  if (type === 'T') {
    const [, , ticketNo = '', ticketId = ''] = fields;
    if (fields.length !== 4 || !TICKET_NO.test(ticketNo) || !ID.test(ticketId)) return fail('malformed');
    verified = { type: 'ticket', hallCode, day: isoDay, ticketNo, ticketId };
  } else {
    const [, , appointmentId = ''] = fields;
    if (fields.length !== 3 || !ID.test(appointmentId)) return fail('malformed');
    verified = { type: 'appointment', hallCode, day: isoDay, appointmentId };
  }
  if (options.hallCode !== undefined && options.hallCode !== hallCode) return fail('wrong-hall');
  return { ok: true, code: verified };
}

function sign(type: 'T' | 'A', fields: readonly string[], key: SigningKeys): string {
  const signingKey = normaliseKeys(key)[0] as Uint8Array;
  const body = `${CODE_VERSION}.${type}.${fields.join('~')}`;
  return `${body}.${mac(signingKey, body).toString('base64url')}`;
}

function mac(key: Uint8Array, body: string): Buffer {
  return createHmac('sha256', key).update(body, 'utf8').digest().subarray(0, SIG_BYTES);
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function normaliseKeys(key: SigningKeys): Uint8Array[] {
  const list = (Array.isArray(key) ? key : [key]) as readonly SigningKey[];
  if (list.length === 0) throw new TypeError('at least one signing key is required');
  return list.map((k) => {
    const bytes = typeof k === 'string' ? Buffer.from(k, 'utf8') : k;
    if (bytes.length < MIN_KEY_BYTES) throw new TypeError(`signing key must be at least ${MIN_KEY_BYTES} bytes`);
    return bytes;
  });
}

function requireField(name: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value)) throw new TypeError(`"${name}" does not match ${pattern.source}`);
}

function compactDay(day: string): string {
  const m = ISO_DAY.exec(day);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== day) throw new TypeError('"day" must be a real YYYY-MM-DD date');
  return `${m[1]}${m[2]}${m[3]}`;
}
