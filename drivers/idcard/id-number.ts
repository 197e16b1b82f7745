/**
 * GB 11643-1999 citizen ID numbers (§2), ages and card validity (masking for display lives in
 * kiosk/identity/mask.ts). Everything here is pure; messages are Chinese and never quote the number itself.
 */
import { compactToIso, isIsoDate, toIsoDate, type IsoDate } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Two-digit province prefixes (§2.2). Unknown 6-digit county codes are accepted because the
 * division list changes every year; only the province must exist. 81/82/83 are the
 * 港澳台 residence-permit prefixes.
 */
const PROVINCES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export type IdNumberFailure =
  'empty' | 'first-generation' | 'bad-length' | 'bad-format' | 'bad-region' | 'bad-birth-date' | 'future-birth-date' | 'bad-check-digit';

export type IdNumberResult =
  | {
      readonly ok: true;
      /** Normalised number (upper-case X). */
      readonly idNumber: string;
      readonly birthDate: IsoDate;
      readonly sex: 'male' | 'female';
      /** The 6-digit address code. */
      readonly regionCode: string;
    }
  | { readonly ok: false; readonly reason: IdNumberFailure; readonly message: string };

const FAIL_MESSAGES: Readonly<Record<IdNumberFailure, string>> = {
  empty: '请输入身份证号码',
  'first-generation': '不支持15位旧身份证号码，请使用18位身份证号码',
  'bad-length': '身份证号码应为18位',
  'bad-format': '身份证号码格式错误',
  'bad-region': '身份证号码地区码错误',
  'bad-birth-date': '身份证号码中的出生日期无效',
  'future-birth-date': '身份证号码中的出生日期晚于今天',
  'bad-check-digit': '身份证号码校验位错误',
};

function fail(reason: IdNumberFailure): IdNumberResult {
  return { ok: false, reason, message: FAIL_MESSAGES[reason] };
}

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/**
 * Validate an 18-character number: format, province, birth date (real and not after `today`)
 * and check character ('x' accepted, stored as 'X'). 15-digit first-generation numbers are
 * rejected with a clear message: they stopped being valid ID cards in 2013.
 */
export function validateIdNumber(input: string, today: Date | IsoDate = new Date()): IdNumberResult {
  const id = input.trim().toUpperCase();
  if (id.length === 0) return fail('empty');
  if (/^\d{15}$/.test(id)) return fail('first-generation');
  if (id.length !== 18) return fail('bad-length');
  if (!/^\d{17}[\dX]$/.test(id)) return fail('bad-format');
  if (!PROVINCES.has(id.slice(0, 2))) return fail('bad-region');
  const birthDate = compactToIso(id.slice(6, 14));
  if (birthDate === null) return fail('bad-birth-date');
  if (birthDate > toIsoDate(today)) return fail('future-birth-date');
  if (checkCharacter(id) !== id[17]) return fail('bad-check-digit');
  const sequence = Number(id.slice(14, 17));
  return { ok: true, idNumber: id, birthDate, sex: sequence % 2 === 1 ? 'male' : 'female', regionCode: id.slice(0, 6) };
}

/**
 * Age in completed years (周岁) on `on`. Someone born on 29 February turns a year older on
 * 1 March in common years. Throws RangeError for malformed dates (programming error).
 */
export function ageOn(birthDate: IsoDate, on: Date | IsoDate): number {
  const day = toIsoDate(on);
  if (!isIsoDate(birthDate) || !isIsoDate(day)) throw new RangeError('ageOn expects YYYY-MM-DD dates');
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

export type ValidityResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: 'expired' | 'not-yet-valid' | 'bad-date'; readonly message: string };

/** Is a card with this validity period usable on `on`? `validTo === null` means 长期. Both ends inclusive. */
export function checkValidity(validFrom: IsoDate, validTo: IsoDate | null, on: Date | IsoDate = new Date()): ValidityResult {
  const day = toIsoDate(on);
  if (!isIsoDate(validFrom) || (validTo !== null && !isIsoDate(validTo))) {
    return { ok: false, reason: 'bad-date', message: '身份证有效期无法识别' };
  }
  if (day < validFrom) return { ok: false, reason: 'not-yet-valid', message: '身份证尚未生效' };
  if (validTo !== null && day > validTo) return { ok: false, reason: 'expired', message: '身份证已过期' };
  return { ok: true };
}
