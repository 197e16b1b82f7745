import type { InsuranceConfig } from '../../config/schema-insurance.ts';
import { silentLogger, type DeviceLogger } from '../../drivers/common/logger.ts';
import { builtInDictionary, DICTIONARY_TYPES, INSURANCE_STATUS_NAMES, INSUTYPE_NAMES } from '../../drivers/insurance/codes.ts';
import { INSURANCE_MESSAGES } from '../../drivers/insurance/messages.ts';
import type {
  AdapterFailure,
  AdapterResult,
  CallContext,
  DictionaryEntry,
  EVoucherIdentity,
  InsuranceAdapter,
  PersonInsurance,
  PersonQuery,
} from '../../drivers/insurance/types.ts';
import { KioskError, type ErrorCode } from '../errors.ts';
import { CircuitBreaker } from './breaker.ts';
import type { InsuranceBackend, InsuranceHealth, InsuranceLookup, InsuranceRecordView } from './types.ts';

export interface Connected {
  readonly adapter: InsuranceAdapter;
  readonly close?: () => Promise<void>;
  /** Base URL of a bundled simulator. */
  readonly url?: string;
}

export interface InsuranceServiceOptions {
  readonly adapterKind: 'simulator' | 'nhsa' | 'rest';
  readonly protocol: 'nhsa' | 'rest';
  /** Builds the adapter (and starts the simulator when that is the adapter). Called once. */
  readonly connect: () => Promise<Connected>;
  readonly settings: Pick<InsuranceConfig, 'timeouts' | 'retry' | 'breaker' | 'referCounter'>;
  /** Whether an e-voucher decode service is configured. */
  readonly eVoucher: boolean;
  /** Receives operation outcomes only (op, outcome, ms, attempt, protocol step/code): never personal data. */
  readonly logger?: DeviceLogger;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

type Op = 'lookup' | 'decode' | 'dictionary';

/**
 * The resilient face of an insurance adapter: a timeout per attempt, one retry of a lookup after a
 * transient failure, a circuit breaker (one for the backend, one for the decode service), labels
 * for codes, and KioskErrors with the counter to go to. It holds nothing personal: each answer is
 * handed to the caller and forgotten. Only code tables (not personal) are cached.
 */
export class InsuranceService implements InsuranceBackend {
  readonly adapter: 'simulator' | 'nhsa' | 'rest';
  #o: InsuranceServiceOptions;
  #log: DeviceLogger;
  #now: () => number;
  #sleep: (ms: number) => Promise<void>;
  #breaker: CircuitBreaker;
  #decodeBreaker: CircuitBreaker;
  #connecting: Promise<Connected> | null = null;
  #connected: Connected | null = null;
  #lastFailure: string | null = null;
  #labels = new Map<string, ReadonlyMap<string, string>>();
  #closed = false;

  constructor(options: InsuranceServiceOptions) {
    this.#o = options;
    this.adapter = options.adapterKind;
    this.#log = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const b = options.settings.breaker;
    this.#breaker = new CircuitBreaker({ failureThreshold: b.failureThreshold, openMs: b.openMs, now: this.#now });
    this.#decodeBreaker = new CircuitBreaker({ failureThreshold: b.failureThreshold, openMs: b.openMs, now: this.#now });
  }

  get simulatorUrl(): string | null {
    return this.#connected?.url ?? null;
  }

  async start(): Promise<void> {
    await this.#ready();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const c = this.#connected ?? (this.#connecting ? await this.#connecting.catch(() => null) : null);
    this.#connected = null;
    this.#connecting = null;
    await c?.close?.();
  }

  health(): InsuranceHealth {
    return {
      adapter: this.adapter,
      protocol: this.#o.protocol,
      started: this.#connected !== null,
      breaker: this.#breaker.state,
      decodeBreaker: this.#decodeBreaker.state,
      lastFailure: this.#breaker.state === 'closed' && this.#decodeBreaker.state === 'closed' ? null : this.#lastFailure,
      eVoucher: this.#o.eVoucher,
    };
  }

  async lookupPerson(query: PersonQuery): Promise<InsuranceLookup> {
    const value = await this.#run('lookup', this.#breaker, this.#o.settings.timeouts.lookupMs, 1 + this.#o.settings.retry.attempts, (a, ctx) =>
      a.lookupPerson(query, ctx),
    );
    return this.#view(value);
  }

  async decodeEVoucher(qr: string): Promise<EVoucherIdentity> {
    if (!this.#o.eVoucher) throw this.#error('INSURANCE_EVOUCHER_UNSUPPORTED', { reason: 'unsupported', op: 'decode' });
    return this.#run('decode', this.#decodeBreaker, this.#o.settings.timeouts.decodeMs, 1, (a, ctx) => a.decodeEVoucher(qr, ctx));
  }

  async dictionary(type: string): Promise<readonly DictionaryEntry[]> {
    const builtIn = builtInDictionary(type);
    let entries: readonly DictionaryEntry[];
    try {
      entries = await this.#run('dictionary', this.#breaker, this.#o.settings.timeouts.dictionaryMs, 1 + this.#o.settings.retry.attempts, (a, ctx) =>
        a.dictionary(type, ctx),
      );
    } catch (err) {
      if (builtIn.length > 0) return builtIn;
      throw err;
    }
    const merged = new Map<string, DictionaryEntry>(builtIn.map((e) => [e.value, e]));
    for (const e of entries) merged.set(e.value, e);
    const list = [...merged.values()];
    this.#labels.set(type, new Map(list.map((e) => [e.value, e.label])));
    return list;
  }

  // -------------------------------------------------------------------------------------------

  #ready(): Promise<Connected> {
    if (this.#closed) return Promise.reject(this.#error('INSURANCE_UNAVAILABLE', { reason: 'closed' }));
    if (this.#connected) return Promise.resolve(this.#connected);
    this.#connecting ??= this.#o.connect().then(
      (c) => {
        this.#connected = c;
        return c;
      },
      (err: unknown) => {
        this.#connecting = null;
        this.#log.error({ op: 'connect', adapter: this.adapter, err: (err as Error).message }, 'insurance backend could not be started');
        throw this.#error('INSURANCE_UNAVAILABLE', { reason: 'not-started' });
      },
    );
    return this.#connecting;
  }

  async #run<T>(
    op: Op,
    breaker: CircuitBreaker,
    timeoutMs: number,
    attempts: number,
    call: (adapter: InsuranceAdapter, ctx: CallContext) => Promise<AdapterResult<T>>,
  ): Promise<T> {
    const { adapter } = await this.#ready();
    let last: AdapterFailure | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (!breaker.tryAcquire()) {
        this.#log.warn({ op, outcome: 'breaker-open', retryInMs: breaker.retryInMs }, 'insurance call refused: circuit open');
        throw this.#error('INSURANCE_UNAVAILABLE', { reason: 'breaker-open', op, ...(last ? { last: last.kind } : {}) });
      }
      const started = this.#now();
      let result: AdapterResult<T>;
      try {
        result = await call(adapter, { signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        // Adapters return failures; a throw is a programming error, treated as a failed exchange.
        result = { ok: false, failure: { kind: 'network', transient: true } };
      }
      const ms = this.#now() - started;
      if (result.ok) {
        breaker.success();
        this.#log.info({ op, outcome: 'ok', ms, attempt, protocol: adapter.protocol }, 'insurance call');
        return result.value;
      }
      const f = result.failure;
      last = f;
      if (f.transient) {
        breaker.failure();
        this.#lastFailure = f.kind;
      } else breaker.success();
      this.#log.warn(
        {
          op,
          outcome: f.kind,
          ms,
          attempt,
          protocol: adapter.protocol,
          breaker: breaker.state,
          ...(f.step ? { step: f.step } : {}),
          ...(f.status ? { status: f.status } : {}),
          ...(f.code ? { code: f.code } : {}),
          ...(f.reason ? { reason: f.reason } : {}),
        },
        'insurance call failed',
      );
      if (!f.transient || attempt === attempts) break;
      if (breaker.state === 'open') break;
      await this.#sleep(this.#o.settings.retry.delayMs);
    }
    throw this.#failureError(op, last!);
  }

  #failureError(op: Op, f: AdapterFailure): KioskError {
    const details = { op, reason: f.kind, ...(f.step ? { step: f.step } : {}), ...(f.status ? { status: f.status } : {}), ...(f.code ? { code: f.code } : {}) };
    switch (f.kind) {
      case 'not-found':
        return this.#error('INSURANCE_NO_RECORD', details);
      case 'rejected':
        return this.#error('INSURANCE_QUERY_FAILED', details);
      case 'invalid-voucher':
        return this.#error('INSURANCE_EVOUCHER_INVALID', details);
      case 'unsupported':
        return this.#error('INSURANCE_EVOUCHER_UNSUPPORTED', details);
      default:
        return this.#error('INSURANCE_UNAVAILABLE', details);
    }
  }

  #error(code: ErrorCode & `INSURANCE_${string}`, details: Record<string, unknown>): KioskError {
    const counter = this.#o.settings.referCounter;
    const message =
      code === 'INSURANCE_UNAVAILABLE'
        ? INSURANCE_MESSAGES.unavailable(counter)
        : code === 'INSURANCE_QUERY_FAILED'
          ? INSURANCE_MESSAGES.queryFailed(counter)
          : code === 'INSURANCE_NO_RECORD'
            ? INSURANCE_MESSAGES.noRecord(counter)
            : code === 'INSURANCE_EVOUCHER_INVALID'
              ? INSURANCE_MESSAGES.evoucherInvalid
              : INSURANCE_MESSAGES.evoucherUnsupported;
    return new KioskError(code, { ...details, counter }, message);
  }

  #label(type: string, value: string | null, fallback: Readonly<Record<string, string>>): string | null {
    if (value === null) return null;
    return this.#labels.get(type)?.get(value) ?? fallback[value] ?? null;
  }

  #view(v: PersonInsurance): InsuranceLookup {
    const insurances: InsuranceRecordView[] = v.insurances.map((r) => ({
      ...r,
      insutypeName: this.#label(DICTIONARY_TYPES.insutype, r.insutype, INSUTYPE_NAMES) ?? r.insutype,
      statusName: INSURANCE_STATUS_NAMES[r.status],
      personTypeName: this.#label(DICTIONARY_TYPES.personType, r.personType, {}),
    }));
    const payments = v.payments
      ? [...v.payments].sort((a, b) => (a.month === b.month ? a.insutype.localeCompare(b.insutype) : b.month.localeCompare(a.month)))
      : null;
    return { person: v.person, insurances, payments, source: this.#o.protocol, fetchedAt: this.#now() };
  }
}
