import type { InsuranceStatus } from './types.ts';

/**
 * Code tables known without asking the backend (insurance-backend.md §1 "Code tables").
 * They are the fallback when 1901 is unavailable; a backend's own dictionary wins.
 */

/** insutype (openhis EnumDB.cs, enum Enumxzlx). */
export const INSUTYPE_NAMES: Readonly<Record<string, string>> = {
  '310': '职工基本医疗保险',
  '320': '公务员医疗补助',
  '330': '大额医疗费用补助',
  '340': '离休人员医疗保障',
  '350': '一至六级残废军人医疗补助',
  '360': '老红军医疗保障',
  '370': '企业补充医疗保险',
  '380': '新型农村合作医疗',
  '390': '城乡居民基本医疗保险',
  '391': '城镇居民基本医疗保险',
  '392': '城乡居民大病医疗保险',
  '399': '其他特殊人员医疗保障',
  '410': '长期照护保险',
  '510': '生育保险',
};

/** psn_insu_stas as most systems use it; some local systems use 3 for 终止 (configurable). */
export const DEFAULT_INSU_STATUS_CODES: Readonly<Record<string, Exclude<InsuranceStatus, 'unknown'>>> = {
  '0': 'none',
  '1': 'active',
  '2': 'suspended',
  '4': 'terminated',
};

export const INSURANCE_STATUS_NAMES: Readonly<Record<InsuranceStatus, string>> = {
  none: '未参保',
  active: '正常参保',
  suspended: '暂停参保',
  terminated: '终止参保',
  unknown: '状态不明',
};

/** psn_cert_type "01" = 居民身份证 (openhis YibaoRedCardCommon.cshtml). */
export const CERT_TYPE_NAMES: Readonly<Record<string, string>> = { '01': '居民身份证' };

/** Dictionary types (1901 `type`) the kiosk uses. */
export const DICTIONARY_TYPES = { insutype: 'insutype', insuStatus: 'psn_insu_stas', personType: 'psn_type' } as const;

/** Built-in entries for a dictionary type, or an empty list when there is no built-in table. */
export function builtInDictionary(type: string): { value: string; label: string }[] {
  if (type === DICTIONARY_TYPES.insutype) return Object.entries(INSUTYPE_NAMES).map(([value, label]) => ({ value, label }));
  if (type === DICTIONARY_TYPES.insuStatus) {
    return Object.entries(DEFAULT_INSU_STATUS_CODES).map(([value, s]) => ({ value, label: INSURANCE_STATUS_NAMES[s] }));
  }
  return [];
}
