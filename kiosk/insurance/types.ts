import type { DictionaryEntry, EVoucherIdentity, InsuranceRecord, InsuredPerson, PaymentMonth, PersonQuery } from '../../drivers/insurance/types.ts';
import type { BreakerState } from './breaker.ts';

export type {
  DictionaryEntry,
  EVoucherIdentity,
  InsuranceRecord,
  InsuranceStatus,
  InsuredPerson,
  PaymentMonth,
  PaymentStatus,
  PersonQuery,
} from '../../drivers/insurance/types.ts';

/** One 险种 with its labels resolved (backend dictionary when loaded, built-in tables otherwise). */
export interface InsuranceRecordView extends InsuranceRecord {
  /** e.g. 职工基本医疗保险; the code itself when unknown. */
  readonly insutypeName: string;
  /** 正常参保 / 暂停参保 / 终止参保 / 未参保 / 状态不明 */
  readonly statusName: string;
  readonly personTypeName: string | null;
}

/**
 * What a lookup gives the kiosk: the person, the status per 险种 and, where the backend provides
 * them, payment months (newest first). Lives in the citizen's session only; never logged or stored.
 */
export interface InsuranceLookup {
  readonly person: InsuredPerson;
  readonly insurances: readonly InsuranceRecordView[];
  /** null: this backend has no 缴费 history (the nhsa interface never does). */
  readonly payments: readonly PaymentMonth[] | null;
  readonly source: 'nhsa' | 'rest';
  /** Epoch ms of the answer (printed as 打印时参保情况). */
  readonly fetchedAt: number;
}

export interface InsuranceHealth {
  readonly adapter: 'simulator' | 'nhsa' | 'rest';
  readonly protocol: 'nhsa' | 'rest';
  readonly started: boolean;
  readonly breaker: BreakerState;
  readonly decodeBreaker: BreakerState;
  /** Kind of the last transient failure (timeout, network, http, malformed), if the breaker is not closed. */
  readonly lastFailure: string | null;
  readonly eVoucher: boolean;
}

/**
 * The one interface the kiosk uses for 参保信息. Every method either resolves or rejects with a
 * KioskError (INSURANCE_UNAVAILABLE, INSURANCE_QUERY_FAILED, INSURANCE_NO_RECORD,
 * INSURANCE_EVOUCHER_INVALID, INSURANCE_EVOUCHER_UNSUPPORTED) whose message names the counter
 * to go to; details never carry personal data.
 */
export interface InsuranceBackend {
  readonly adapter: 'simulator' | 'nhsa' | 'rest';
  /** Starts the bundled simulator when configured; otherwise only marks the backend usable. */
  start(): Promise<void>;
  close(): Promise<void>;
  /** Person lookup by ID card or by a decoded e-voucher (timeout per attempt, one retry, breaker). */
  lookupPerson(query: PersonQuery): Promise<InsuranceLookup>;
  /** Exchange an opaque 医保电子凭证 QR payload for the token and identity (no retry: rescan instead). */
  decodeEVoucher(qr: string): Promise<EVoucherIdentity>;
  /** Code table (1901 / rest); built-in tables are the fallback for insutype and psn_insu_stas. */
  dictionary(type: string): Promise<readonly DictionaryEntry[]>;
  health(): InsuranceHealth;
  /** Base URL of the bundled simulator (simulator adapter, after start), for the technician console. */
  readonly simulatorUrl: string | null;
}
