import { randomBytes } from 'node:crypto';
import {
  build1101Input,
  build1901Input,
  build9001Input,
  buildDecodeRequest,
  buildRequest,
  formatDay,
  isNotFoundMessage,
  parse1101,
  parse1901,
  parseDecodeResponse,
  parseResponse,
  parseSignIn,
  tifHeaders,
  type SignInFields,
  type StatusCodes,
} from './codec.ts';
import { exchange, JSON_HEADERS, malformed } from './http.ts';
import type {
  AdapterResult,
  CallContext,
  DecodeRequestFields,
  DictionaryEntry,
  EVoucherIdentity,
  FetchLike,
  InsuranceAdapter,
  NhsaFixedFields,
  NhsaResponseEnvelope,
  PersonInsurance,
  PersonQuery,
} from './types.ts';

export interface NhsaAdapterOptions {
  /** The transaction endpoint every envelope is POSTed to. */
  readonly url: string;
  /** e-voucher decode service; null: decodeEVoucher answers `unsupported`. */
  readonly decodeUrl: string | null;
  readonly fixed: NhsaFixedFields;
  readonly signIn: SignInFields;
  readonly idCardCertType: string;
  readonly statusCodes: StatusCodes;
  readonly notFoundMessages: readonly string[];
  /** Decode request fields except operatorId/operatorName, which are the envelope's opter/opter_name. */
  readonly decode: Omit<DecodeRequestFields, 'operatorId' | 'operatorName'>;
  /** Provincial gateway headers; null: not sent. */
  readonly tif: { readonly paasId: string; readonly paasToken: string } | null;
  /** Hall time zone for msgid / inf_time / the sign-in day. */
  readonly timeZone: string;
  readonly fetch?: FetchLike;
  readonly now?: () => Date;
  readonly nonce?: () => string;
}

/**
 * The 医疗保障信息平台 adapter: 9001 sign-in (sign_no kept for the hall day, renewed after a
 * business failure), 1101 人员信息获取 and 1901 字典表查询 over one HTTP endpoint, and the
 * province's e-voucher decode service. It keeps no personal data between calls.
 */
export class NhsaAdapter implements InsuranceAdapter {
  readonly protocol = 'nhsa' as const;
  #o: NhsaAdapterOptions;
  #fetch: FetchLike;
  #now: () => Date;
  #nonce: () => string;
  #sequence = 0;
  #signNo: string | null = null;
  #signDay = '';
  #signing: Promise<AdapterResult<string>> | null = null;

  constructor(options: NhsaAdapterOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#now = options.now ?? (() => new Date());
    this.#nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
  }

  /** Whether a sign_no is held (for diagnostics; the number itself is not exposed). */
  get signedIn(): boolean {
    return this.#signNo !== null;
  }

  async lookupPerson(query: PersonQuery, ctx: CallContext): Promise<AdapterResult<PersonInsurance>> {
    const sign = await this.#ensureSignIn(ctx);
    if (!sign.ok) return sign;
    const reply = await this.#transact('1101', build1101Input(query, this.#o.idCardCertType), sign.value, ctx);
    if (!reply.ok) return reply;
    const env = reply.value;
    if (env.infcode !== 0) {
      if (isNotFoundMessage(env.err_msg, this.#o.notFoundMessages)) return { ok: false, failure: { kind: 'not-found', transient: false, step: '1101' } };
      this.#dropSignIn();
      return { ok: false, failure: { kind: 'rejected', transient: false, code: String(env.infcode), step: '1101' } };
    }
    const parsed = parse1101(env.output, this.#o.statusCodes);
    if (!parsed.ok) return { ok: false, failure: malformed('1101', parsed.error.reason) };
    if (!parsed.value.found) return { ok: false, failure: { kind: 'not-found', transient: false, step: '1101' } };
    return { ok: true, value: parsed.value.value };
  }

  async dictionary(type: string, ctx: CallContext): Promise<AdapterResult<readonly DictionaryEntry[]>> {
    const sign = await this.#ensureSignIn(ctx);
    if (!sign.ok) return sign;
    const input = build1901Input(type, this.#o.fixed.mdtrtarea_admvs, formatDay(this.#now(), this.#o.timeZone));
    const reply = await this.#transact('1901', input, sign.value, ctx);
    if (!reply.ok) return reply;
    if (reply.value.infcode !== 0) {
      this.#dropSignIn();
      return { ok: false, failure: { kind: 'rejected', transient: false, code: String(reply.value.infcode), step: '1901' } };
    }
    const parsed = parse1901(reply.value.output);
    return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, failure: malformed('1901', parsed.error.reason) };
  }

  async decodeEVoucher(qr: string, ctx: CallContext): Promise<AdapterResult<EVoucherIdentity>> {
    if (!this.#o.decodeUrl) return { ok: false, failure: { kind: 'unsupported', transient: false, step: 'decode' } };
    const body = buildDecodeRequest(qr, {
      ...this.#o.decode,
      operatorId: this.#o.fixed.opter,
      operatorName: this.#o.fixed.opter_name,
    });
    const reply = await exchange(
      this.#fetch,
      this.#o.decodeUrl,
      { method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(body) },
      ctx.signal,
      'decode',
    );
    if (!reply.ok) return reply;
    const parsed = parseDecodeResponse(reply.value);
    if (!parsed.ok) return { ok: false, failure: malformed('decode', parsed.error.reason) };
    if (!parsed.value.valid) return { ok: false, failure: { kind: 'invalid-voucher', transient: false, code: parsed.value.code, step: 'decode' } };
    return { ok: true, value: parsed.value.value };
  }

  #dropSignIn(): void {
    this.#signNo = null;
  }

  async #ensureSignIn(ctx: CallContext): Promise<AdapterResult<string>> {
    const today = formatDay(this.#now(), this.#o.timeZone);
    if (this.#signNo && this.#signDay === today) return { ok: true, value: this.#signNo };
    // Concurrent lookups share one sign-in.
    this.#signing ??= this.#signIn(ctx, today).finally(() => {
      this.#signing = null;
    });
    return this.#signing;
  }

  async #signIn(ctx: CallContext, today: string): Promise<AdapterResult<string>> {
    const reply = await this.#transact('9001', build9001Input(this.#o.signIn), '', ctx);
    if (!reply.ok) return reply;
    if (reply.value.infcode !== 0) return { ok: false, failure: { kind: 'rejected', transient: false, code: String(reply.value.infcode), step: '9001' } };
    const signNo = parseSignIn(reply.value.output);
    if (!signNo.ok) return { ok: false, failure: malformed('9001', signNo.error.reason) };
    this.#signNo = signNo.value;
    this.#signDay = today;
    return signNo;
  }

  async #transact(infno: string, input: Record<string, unknown>, signNo: string, ctx: CallContext): Promise<AdapterResult<NhsaResponseEnvelope>> {
    const at = this.#now();
    this.#sequence = (this.#sequence + 1) % 10000;
    const envelope = buildRequest(infno, input, { fixed: this.#o.fixed, signNo, at, sequence: this.#sequence, timeZone: this.#o.timeZone });
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (this.#o.tif) Object.assign(headers, tifHeaders(this.#o.tif.paasId, this.#o.tif.paasToken, at, this.#nonce()));
    const reply = await exchange(this.#fetch, this.#o.url, { method: 'POST', headers, body: JSON.stringify(envelope) }, ctx.signal, infno);
    if (!reply.ok) return reply;
    const parsed = parseResponse(reply.value);
    return parsed.ok ? parsed : { ok: false, failure: malformed(infno, parsed.error.reason) };
  }
}
