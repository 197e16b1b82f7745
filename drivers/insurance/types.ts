/**
 * Insurance backend types (insurance-backend.md §1–2).
 *
 * Two layers live here:
 * - the plain domain the kiosk works with (a person, their 险种 records, payment months, an
 *   e-voucher identity, dictionary entries): no HTTP, no envelope, no protocol field names;
 * - the protocol shapes of the 医疗保障信息平台 envelope (9001 / 1101 / 1901) and the e-voucher
 *   decode service, used by the codec and the simulator.
 *
 * Every value of the domain that names a person (name, certificate number, token, QR payload,
 * employer) is personal data: it is never logged and never stored.
 */

// ---------------------------------------------------------------------------------------------
// Domain
// ---------------------------------------------------------------------------------------------

/** 参保状态, normalised from psn_insu_stas (0 未参保, 1 正常参保, 2 暂停参保, 4 终止参保). */
export type InsuranceStatus = 'none' | 'active' | 'suspended' | 'terminated' | 'unknown';

/** 'YYYY-MM-DD' */
export type IsoDay = string;
/** 'YYYY-MM' */
export type YearMonth = string;

export interface InsuredPerson {
  readonly name: string;
  /** psn_cert_type code, e.g. "01" 居民身份证. */
  readonly certType: string;
  readonly certNo: string;
  readonly gender: 'male' | 'female' | 'unknown';
  readonly birthDate: IsoDay | null;
  /** GB 3304 nation code when the backend gives one (naty). */
  readonly nationCode: string | null;
}

/** One 险种 of a person: what a certificate prints per row. */
export interface InsuranceRecord {
  /** insutype code, e.g. "310" 职工基本医疗保险, "390" 城乡居民基本医疗保险, "510" 生育保险. */
  readonly insutype: string;
  readonly status: InsuranceStatus;
  /** The backend's own status code (psn_insu_stas), kept for staff diagnostics. */
  readonly statusCode: string;
  /** psn_type code (no public table: resolve through the dictionary). */
  readonly personType: string | null;
  /** 个人参保日期 */
  readonly insuredSince: IsoDay | null;
  /** 暂停参保日期 */
  readonly suspendedSince: IsoDay | null;
  /** 参保单位 (emp_name); null for residents. */
  readonly employer: string | null;
  /** 统筹区 / 参保地区划 (insuplc_admdvs). */
  readonly regionCode: string | null;
  readonly civilServant: boolean | null;
}

export type PaymentStatus = 'paid' | 'unpaid' | 'back-paid';

/** One month of contributions for one 险种. A month missing from the list is a gap. */
export interface PaymentMonth {
  readonly month: YearMonth;
  readonly insutype: string;
  readonly employer: string | null;
  /** 缴费基数, 元 */
  readonly base: number | null;
  /** 个人缴费, 元 */
  readonly personal: number | null;
  /** 单位缴费, 元 */
  readonly employerPart: number | null;
  readonly status: PaymentStatus;
  readonly regionCode: string | null;
}

/** What one successful lookup returns. `payments` is null when the backend does not provide them (nhsa). */
export interface PersonInsurance {
  readonly person: InsuredPerson;
  readonly insurances: readonly InsuranceRecord[];
  readonly payments: readonly PaymentMonth[] | null;
}

/** The identity behind a decoded 医保电子凭证 (decode service output). */
export interface EVoucherIdentity {
  /** 电子凭证令牌, 用于业务处理验证; sent back as mdtrt_cert_no with mdtrt_cert_type 01. */
  readonly ecToken: string;
  readonly idNo: string;
  readonly idType: string;
  readonly userName: string;
  /** 参保地区编码 (6) */
  readonly insuOrg: string | null;
}

/** Who to look up: an ID card read at the kiosk, or an e-voucher already decoded. */
export type PersonQuery =
  | { readonly kind: 'id-card'; readonly idNumber: string; readonly name?: string | undefined }
  | { readonly kind: 'e-voucher'; readonly voucher: EVoucherIdentity };

export interface DictionaryEntry {
  readonly value: string;
  readonly label: string;
  readonly parentValue?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Adapter surface
// ---------------------------------------------------------------------------------------------

/**
 * Why an adapter call did not produce a value. `transient` failures (the backend did not answer
 * properly) are retried once and count towards the circuit breaker; the others are answers.
 * Never carries personal data nor the backend's free-text message.
 */
export type AdapterFailureKind =
  /** no answer in time */
  | 'timeout'
  /** connection refused / reset / DNS */
  | 'network'
  /** HTTP status outside 2xx (5xx is transient, 4xx is not) */
  | 'http'
  /** the body is not the JSON shape the protocol defines */
  | 'malformed'
  /** the backend answered with a business failure (infcode −1, a contract error) */
  | 'rejected'
  /** the backend answered: no such person */
  | 'not-found'
  /** the decode service refused the QR (expired, unknown) */
  | 'invalid-voucher'
  /** this adapter has no such function configured (e.g. no decode service) */
  | 'unsupported';

export interface AdapterFailure {
  readonly kind: AdapterFailureKind;
  readonly transient: boolean;
  /** HTTP status, when there was a reply. */
  readonly status?: number;
  /** Protocol code (infcode, contract error code), never free text. */
  readonly code?: string;
  /** Which protocol step failed (9001, 1101, decode, …). */
  readonly step?: string;
  /** For malformed replies: the field at fault (never its value). */
  readonly reason?: string;
}

export type AdapterResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: AdapterFailure };

export interface CallContext {
  /** Aborts the call (the resilience layer's per-attempt timeout). */
  readonly signal: AbortSignal;
}

/** What a protocol adapter offers; kiosk/insurance wraps it with timeouts, retry and a breaker. */
export interface InsuranceAdapter {
  readonly protocol: 'nhsa' | 'rest';
  lookupPerson(query: PersonQuery, ctx: CallContext): Promise<AdapterResult<PersonInsurance>>;
  decodeEVoucher(qr: string, ctx: CallContext): Promise<AdapterResult<EVoucherIdentity>>;
  dictionary(type: string, ctx: CallContext): Promise<AdapterResult<readonly DictionaryEntry[]>>;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

// ---------------------------------------------------------------------------------------------
// 医疗保障信息平台 envelope (§1)
// ---------------------------------------------------------------------------------------------

/** The fixed part of every request, from configuration. */
export interface NhsaFixedFields {
  readonly fixmedins_code: string;
  readonly fixmedins_name: string;
  readonly mdtrtarea_admvs: string;
  readonly insuplc_admdvs: string;
  readonly recer_sys_code: string;
  readonly dev_no: string;
  readonly dev_safe_info: string;
  readonly cainfo: string;
  readonly signtype: string;
  readonly infver: string;
  readonly opter: string;
  readonly opter_name: string;
}

export interface NhsaRequestEnvelope extends NhsaFixedFields {
  readonly infno: string;
  readonly msgid: string;
  /** 1 经办人, 2 自助终端, 3 移动终端; always "2" here. */
  readonly opter_type: '2';
  readonly inf_time: string;
  readonly sign_no: string;
  readonly input: Record<string, unknown>;
}

export interface NhsaResponseEnvelope {
  readonly infcode: number;
  readonly inf_refmsgid: string;
  readonly refmsg_time: string;
  readonly respond_time: string;
  readonly err_msg: string | null;
  readonly warn_msg?: string | null;
  readonly output: unknown;
}

/** 1101 input.data */
export interface Nhsa1101Data {
  readonly mdtrt_cert_type: '01' | '02' | '03';
  readonly mdtrt_cert_no: string;
  readonly card_sn: string;
  readonly begntime: string;
  readonly psn_cert_type: string;
  readonly certno: string;
  readonly psn_name: string;
}

// ---------------------------------------------------------------------------------------------
// e-voucher decode service (§2)
// ---------------------------------------------------------------------------------------------

export interface DecodeRequestFields {
  readonly transType: 'ec.query' | 'cn.nhsa.qrcode.get';
  readonly orgId: string;
  readonly businessType: string;
  readonly operatorId: string;
  readonly operatorName: string;
  readonly officeId: string;
  readonly officeName: string;
  /** Name of the data field that carries the scanned payload. */
  readonly qrField: string;
}
