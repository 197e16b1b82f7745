import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { exchange, JSON_HEADERS, malformed } from './http.ts';
import {
  REST_ERROR_CODES,
  REST_PATHS,
  RestDecodeResponse,
  RestDictionaryResponse,
  RestPersonQueryResponse,
  type RestDecodeRequestBody,
  type RestPersonQueryRequestBody,
} from './rest-contract.ts';
import type {
  AdapterFailure,
  AdapterResult,
  CallContext,
  DictionaryEntry,
  EVoucherIdentity,
  FetchLike,
  InsuranceAdapter,
  PersonInsurance,
  PersonQuery,
} from './types.ts';

export interface RestAdapterOptions {
  /** Base URL; the contract's paths are appended (`<base>/v1/persons/query`). */
  readonly baseUrl: string;
  readonly token: string | null;
  readonly idCardCertType: string;
  readonly paymentMonths: number;
  /** Sent as `terminalId` with e-voucher decodes. */
  readonly terminalId: string;
  readonly fetch?: FetchLike;
}

/** The `rest` contract adapter (rest-contract.ts): replies are checked against the contract's schemas. */
export class RestAdapter implements InsuranceAdapter {
  readonly protocol = 'rest' as const;
  #o: RestAdapterOptions;
  #fetch: FetchLike;
  #base: string;

  constructor(options: RestAdapterOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#base = options.baseUrl.replace(/\/+$/, '');
  }

  async lookupPerson(query: PersonQuery, ctx: CallContext): Promise<AdapterResult<PersonInsurance>> {
    const body: RestPersonQueryRequestBody =
      query.kind === 'e-voucher'
        ? {
            certType: query.voucher.idType || this.#o.idCardCertType,
            certNo: query.voucher.idNo,
            name: query.voucher.userName,
            ecToken: query.voucher.ecToken,
            paymentMonths: this.#o.paymentMonths,
          }
        : {
            certType: this.#o.idCardCertType,
            certNo: query.idNumber.trim().toUpperCase(),
            ...(query.name ? { name: query.name } : {}),
            paymentMonths: this.#o.paymentMonths,
          };
    const reply = await this.#post(REST_PATHS.personQuery, body, ctx, 'person');
    if (!reply.ok) return reply;
    const parsed = check(RestPersonQueryResponse, reply.value, 'person');
    if (!parsed.ok) return parsed;
    const v = parsed.value;
    if (!v.found) return { ok: false, failure: { kind: 'not-found', transient: false, step: 'person' } };
    return {
      ok: true,
      value: {
        person: v.person,
        insurances: v.insurances.map((i) => ({ ...i, statusCode: i.statusCode ?? i.status })),
        payments: v.payments,
      },
    };
  }

  async decodeEVoucher(qr: string, ctx: CallContext): Promise<AdapterResult<EVoucherIdentity>> {
    const body: RestDecodeRequestBody = { qrCode: qr, deviceType: 'SelfService', terminalId: this.#o.terminalId };
    const reply = await this.#post(REST_PATHS.evoucherDecode, body, ctx, 'decode');
    if (!reply.ok) {
      if (reply.failure.code === REST_ERROR_CODES.evoucherInvalid)
        return { ok: false, failure: { ...reply.failure, kind: 'invalid-voucher', transient: false } };
      return reply;
    }
    return check(RestDecodeResponse, reply.value, 'decode');
  }

  async dictionary(type: string, ctx: CallContext): Promise<AdapterResult<readonly DictionaryEntry[]>> {
    const path = REST_PATHS.dictionary.replace('{type}', encodeURIComponent(type));
    const reply = await this.#request('GET', path, undefined, ctx, 'dictionary');
    if (!reply.ok) return reply;
    const parsed = check(RestDictionaryResponse, reply.value, 'dictionary');
    return parsed.ok ? { ok: true, value: parsed.value.entries } : parsed;
  }

  #post(path: string, body: unknown, ctx: CallContext, step: string) {
    return this.#request('POST', path, JSON.stringify(body), ctx, step);
  }

  /** JSON of a 2xx reply, or a failure; a 4xx with a contract error body is a `rejected` answer with its code. */
  async #request(method: 'GET' | 'POST', path: string, body: string | undefined, ctx: CallContext, step: string): Promise<AdapterResult<unknown>> {
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (this.#o.token) headers.authorization = `Bearer ${this.#o.token}`;
    let errorBody: string | null = null;
    const fetchFn: FetchLike = async (url, init) => {
      const res = await this.#fetch(url, init);
      if (res.status >= 400 && res.status < 500)
        errorBody = await res
          .clone()
          .text()
          .catch(() => null);
      return res;
    };
    const reply = await exchange(fetchFn, this.#base + path, body === undefined ? { method, headers } : { method, headers, body }, ctx.signal, step);
    if (!reply.ok) {
      const f = reply.failure;
      if (f.kind === 'http' && !f.transient) {
        const code = contractErrorCode(errorBody);
        const failure: AdapterFailure = { kind: 'rejected', transient: false, step, ...(f.status ? { status: f.status } : {}), ...(code ? { code } : {}) };
        return { ok: false, failure };
      }
      return reply;
    }
    try {
      return { ok: true, value: JSON.parse(reply.value) as unknown };
    } catch {
      return { ok: false, failure: malformed(step, 'not JSON') };
    }
  }
}

function check<T extends TSchema>(schema: T, value: unknown, step: string): AdapterResult<Static<T>> {
  if (Value.Check(schema, value)) return { ok: true, value: value as Static<T> };
  const first = Value.Errors(schema, value).First();
  return { ok: false, failure: malformed(step, first ? `${first.path || '/'} does not match the contract` : 'does not match the contract') };
}

/** The contract's error code (a short identifier), never the message. */
function contractErrorCode(text: string | null): string | null {
  if (!text) return null;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : null;
  } catch {
    return null;
  }
}
