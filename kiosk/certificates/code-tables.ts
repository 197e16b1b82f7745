/**
 * Code tables printed on certificates (insurance-backend.md §1 "Code tables"). Unknown codes are
 * printed as the code itself, never dropped: a certificate must not hide what the backend said.
 */
/** 险种 names: the insurance driver's table (the same code list the backend adapters fall back to). */
import { INSUTYPE_NAMES } from '../../drivers/insurance/codes.ts';

export { INSUTYPE_NAMES };

/** psn_insu_stas; 3 is 终止 in some local systems (the reference notes the variation). */
export const INSU_STATUS_NAMES: Readonly<Record<string, string>> = {
  '0': '未参保',
  '1': '正常参保',
  '2': '暂停参保',
  '3': '终止参保',
  '4': '终止参保',
};

/** GB/T 2261.1 性别. */
export const GENDER_NAMES: Readonly<Record<string, string>> = { '0': '未知', '1': '男', '2': '女', '9': '未说明' };

/** psn_cert_type; only 01 is confirmed by the reference, the rest of the table comes from 1901. */
export const CERT_TYPE_NAMES: Readonly<Record<string, string>> = { '01': '居民身份证' };

export const PAYMENT_STATE_NAMES = { paid: '已缴费', unpaid: '欠缴', backpaid: '补缴' } as const;

export function insutypeName(code: string): string {
  return INSUTYPE_NAMES[code] ?? `险种${code}`;
}
export function insuStatusName(code: string): string {
  return INSU_STATUS_NAMES[code] ?? `状态${code}`;
}
export function genderName(code: string): string {
  return GENDER_NAMES[code] ?? '未说明';
}
export function certTypeName(code: string): string {
  return CERT_TYPE_NAMES[code] ?? CERT_TYPE_NAMES[code.padStart(2, '0')] ?? `证件类型${code}`;
}
/** 统筹区: name and code ("示例县（371321）"), or the code alone when the name is not configured. */
export function regionLabel(code: string, names: Readonly<Record<string, string>>): string {
  const name = names[code];
  return name ? `${name}（${code}）` : code;
}
