/**
 * The insured person's data a certificate is built from. Field names follow the 医疗保障信息平台
 * transaction 1101 output (baseinfo / insuinfo) so the insurance adapters map onto it field by
 * field; payment months have no 1101 counterpart (that interface gives no 缴费 history) and come
 * from the hall's 经办 system when it supplies them.
 *
 * Everything here is personal data: it lives in the citizen's session only and is never logged or
 * stored. What the daemon keeps of a certificate is its verification record (masked name, hashes).
 */

/** 1101 `baseinfo`. */
export interface InsuredBaseInfo {
  /** 人员编号; not printed. */
  readonly psn_no?: string;
  /** 人员证件类型, e.g. "01" 居民身份证. */
  readonly psn_cert_type: string;
  /** 证件号码. */
  readonly certno: string;
  readonly psn_name: string;
  /** 性别 (GB/T 2261.1): 0 未知, 1 男, 2 女, 9 未说明. */
  readonly gend: string;
  /** 民族 code, printed only on the 参保凭证 when present. */
  readonly naty?: string;
  /** 出生日期 yyyy-MM-dd. */
  readonly brdy?: string;
}

/** One 1101 `insuinfo[]` entry: the person's status in one 险种. */
export interface InsuranceRecord {
  /** 险种类型, e.g. "310" 职工基本医疗保险, "390" 城乡居民基本医疗保险. */
  readonly insutype: string;
  /** 人员类别 code (no national table; shown through `psnTypeName` when the adapter resolved it via 1901). */
  readonly psn_type?: string;
  readonly psnTypeName?: string;
  /** 人员参保状态: 0 未参保, 1 正常参保, 2 暂停参保, 4 终止参保 (some local systems use 3 for 终止). */
  readonly psn_insu_stas: string;
  /** 个人参保日期 yyyy-MM-dd (a time part is ignored). */
  readonly psn_insu_date: string;
  /** 暂停参保日期, when suspended or terminated. */
  readonly paus_insu_date?: string | null;
  /** 公务员标志 0/1; not printed. */
  readonly cvlserv_flag?: string;
  /** 参保地医保区划 (统筹区), 6 digits. */
  readonly insuplc_admdvs: string;
  /** 单位名称 (empty for 城乡居民). */
  readonly emp_name: string;
}

/** One month of contributions in one 险种 (from the 经办 system, not from 1101). */
export interface PaymentMonth {
  /** 费款所属期 yyyy-MM. */
  readonly ym: string;
  readonly insutype: string;
  readonly emp_name: string;
  /** 缴费基数, yuan. */
  readonly clct_base?: number | null;
  /** 个人缴费, yuan. */
  readonly psn_clct_amt?: number | null;
  /** 单位缴费, yuan. */
  readonly emp_clct_amt?: number | null;
  /** paid 已缴费, unpaid 欠缴, backpaid 补缴. */
  readonly state: 'paid' | 'unpaid' | 'backpaid';
}

export interface InsuredPersonData {
  readonly baseinfo: InsuredBaseInfo;
  readonly insuinfo: readonly InsuranceRecord[];
  /** undefined: the backend supplies no 缴费 history (the nhsa 1101 adapter); [] means none found. */
  readonly payments?: readonly PaymentMonth[];
}

/** 个人参保证明, or the 参保凭证 (参保人员基本医疗保险信息表) for 医疗保险关系转出. */
export type CertificateKind = 'proof' | 'transfer-voucher';

export const CERTIFICATE_KINDS: readonly CertificateKind[] = ['proof', 'transfer-voucher'];
