import { createHash } from 'node:crypto';
import type {
  DecodeRequestFields,
  DictionaryEntry,
  EVoucherIdentity,
  InsuranceRecord,
  InsuranceStatus,
  InsuredPerson,
  Nhsa1101Data,
  NhsaFixedFields,
  NhsaRequestEnvelope,
  NhsaResponseEnvelope,
  PersonInsurance,
  PersonQuery,
} from './types.ts';

/**
 * Pure codec for the 医疗保障信息平台 envelope (9001 sign-in, 1101 人员信息获取, 1901 字典表查询),
 * the e-voucher decode service and the provincial x-tif gateway headers (insurance-backend.md §1–2).
 *
 * Builders return plain JSON objects; parsers take the response text and never throw: bad input
 * comes back as `{ ok: false, error }` whose `reason` names the field at fault, never its value.
 */

export type CodecResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: CodecError };
export interface CodecError {
  readonly kind: 'malformed';
  /** e.g. "not JSON", "infcode missing", "output.baseinfo.psn_name missing" */
  readonly reason: string;
}

const ok = <T>(value: T): CodecResult<T> => ({ ok: true, value });
const bad = (reason: string): CodecResult<never> => ({ ok: false, error: { kind: 'malformed', reason } });

// ---------------------------------------------------------------------------------------------
// Times and ids
// ---------------------------------------------------------------------------------------------

export interface WallClock {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
}

/** The wall clock in `timeZone`, as zero-padded fields (also used by the simulator). */
export function wallClock(at: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** `inf_time`, 19 characters: yyyy-MM-dd HH:mm:ss in the hall's time zone. */
export function formatInfTime(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}`;
}

/** yyyyMMdd in the hall's time zone (the sign-in day, 1901 `date`). */
export function formatDay(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  return `${w.y}${w.mo}${w.d}`;
}

/**
 * `msgid`, 30 characters = fixmedins_code (12) + yyyyMMddHHmmss (14) + sequence (4).
 * The sequence wraps at 10000; callers keep one counter per terminal.
 */
export function formatMsgid(fixmedinsCode: string, at: Date, sequence: number, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const seq = String(((Math.trunc(sequence) % 10000) + 10000) % 10000).padStart(4, '0');
  return `${fixmedinsCode}${w.y}${w.mo}${w.d}${w.h}${w.mi}${w.s}${seq}`;
}

export const MSGID_PATTERN = /^.{12}\d{14}\d{4}$/;
export const INF_TIME_PATTERN = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

// ---------------------------------------------------------------------------------------------
// Request builders
// ---------------------------------------------------------------------------------------------

export interface EnvelopeContext {
  readonly fixed: NhsaFixedFields;
  /** From 9001; empty for the sign-in itself. */
  readonly signNo: string;
  readonly at: Date;
  readonly sequence: number;
  readonly timeZone: string;
}

export function buildRequest(infno: string, input: Record<string, unknown>, ctx: EnvelopeContext): NhsaRequestEnvelope {
  return {
    infno,
    msgid: formatMsgid(ctx.fixed.fixmedins_code, ctx.at, ctx.sequence, ctx.timeZone),
    mdtrtarea_admvs: ctx.fixed.mdtrtarea_admvs,
    insuplc_admdvs: ctx.fixed.insuplc_admdvs,
    recer_sys_code: ctx.fixed.recer_sys_code,
    dev_no: ctx.fixed.dev_no,
    dev_safe_info: ctx.fixed.dev_safe_info,
    cainfo: ctx.fixed.cainfo,
    signtype: ctx.fixed.signtype,
    infver: ctx.fixed.infver,
    opter_type: '2',
    opter: ctx.fixed.opter,
    opter_name: ctx.fixed.opter_name,
    inf_time: formatInfTime(ctx.at, ctx.timeZone),
    fixmedins_code: ctx.fixed.fixmedins_code,
    fixmedins_name: ctx.fixed.fixmedins_name,
    sign_no: ctx.signNo,
    input,
  };
}

export interface SignInFields {
  readonly ip: string;
  readonly mac: string;
  readonly opter_no: string;
}

/** 9001 input: `{ signIn: { opter_no, mac, ip } }`. */
export function build9001Input(s: SignInFields): Record<string, unknown> {
  return { signIn: { opter_no: s.opter_no, mac: s.mac, ip: s.ip } };
}

/**
 * 1101 input.data. An ID card sends mdtrt_cert_type 02 with the number; an e-voucher sends 01
 * with its ecToken plus the identity the decode service returned (psn_cert_type = idType,
 * certno = idNo, psn_name = userName), as openhis CardecInfo_1162 does.
 */
export function build1101Input(query: PersonQuery, idCardCertType: string): { data: Nhsa1101Data } {
  if (query.kind === 'e-voucher') {
    const v = query.voucher;
    return {
      data: {
        mdtrt_cert_type: '01',
        mdtrt_cert_no: v.ecToken,
        card_sn: '',
        begntime: '',
        psn_cert_type: v.idType,
        certno: v.idNo,
        psn_name: v.userName,
      },
    };
  }
  const id = query.idNumber.trim().toUpperCase();
  return {
    data: {
      mdtrt_cert_type: '02',
      mdtrt_cert_no: id,
      card_sn: '',
      begntime: '',
      psn_cert_type: idCardCertType,
      certno: id,
      psn_name: query.name ?? '',
    },
  };
}

/** 1901 input.data: `{ type, parentValue, admdvs, date, valiFlag }`. */
export function build1901Input(type: string, admdvs: string, day: string): Record<string, unknown> {
  return { data: { type, parentValue: '', admdvs, date: day, valiFlag: '1' } };
}

// ---------------------------------------------------------------------------------------------
// Response parsers
// ---------------------------------------------------------------------------------------------

function parseJson(text: string): CodecResult<unknown> {
  if (typeof text !== 'string' || text.trim() === '') return bad('empty body');
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return bad('not JSON');
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function nonEmpty(v: unknown): string | null {
  const s = str(v)?.trim();
  return s ? s : null;
}

/** infcode is a number; some gateways send it as a numeric string. */
function infcodeOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

export function parseResponse(text: string): CodecResult<NhsaResponseEnvelope> {
  const json = parseJson(text);
  if (!json.ok) return json;
  const body = json.value;
  if (!isObject(body)) return bad('envelope is not an object');
  const infcode = infcodeOf(body.infcode);
  if (infcode === null) return bad('infcode missing');
  return ok({
    infcode,
    inf_refmsgid: str(body.inf_refmsgid) ?? '',
    refmsg_time: str(body.refmsg_time) ?? '',
    respond_time: str(body.respond_time) ?? '',
    err_msg: str(body.err_msg),
    warn_msg: str(body.warn_msg),
    output: body.output ?? null,
  });
}

/** 9001 output: `output.signinoutb.sign_no`. */
export function parseSignIn(output: unknown): CodecResult<string> {
  if (!isObject(output) || !isObject(output.signinoutb)) return bad('output.signinoutb missing');
  const signNo = nonEmpty(output.signinoutb.sign_no);
  return signNo ? ok(signNo) : bad('output.signinoutb.sign_no missing');
}

/** yyyy-MM-dd, yyyy-MM-dd HH:mm:ss, yyyyMMdd or yyyy/MM/dd → yyyy-MM-dd; anything else → null. */
export function normaliseDay(v: unknown): string | null {
  const s = nonEmpty(v);
  if (!s) return null;
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:[ T].*)?$/.exec(s);
  if (!m) return null;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}-${mo}-${d}`;
}

/** GB/T 2261.1: 1 男, 2 女, anything else unknown. */
function genderOf(v: unknown): InsuredPerson['gender'] {
  const s = str(v);
  return s === '1' ? 'male' : s === '2' ? 'female' : 'unknown';
}

export type StatusCodes = Readonly<Record<string, Exclude<InsuranceStatus, 'unknown'>>>;

export type Parsed1101 = { readonly found: true; readonly value: PersonInsurance } | { readonly found: false };

/**
 * 1101 output: `baseinfo{…}`, `insuinfo[]{…}`. `insuinfo` as one object (HN-YBJ-SDK sample) and
 * `insu_admdvs` instead of `insuplc_admdvs` are accepted. An answer without baseinfo, or with
 * neither a name nor a certificate number, is "no record". 1101 carries no 缴费 history: payments is null.
 */
export function parse1101(output: unknown, statusCodes: StatusCodes): CodecResult<Parsed1101> {
  if (output === null || output === undefined || output === '') return ok({ found: false });
  if (!isObject(output)) return bad('output is not an object');
  const base = output.baseinfo;
  if (base === undefined || base === null) return ok({ found: false });
  if (!isObject(base)) return bad('output.baseinfo is not an object');
  const name = nonEmpty(base.psn_name);
  const certNo = nonEmpty(base.certno);
  if (!name && !certNo) return ok({ found: false });
  if (!name) return bad('output.baseinfo.psn_name missing');
  if (!certNo) return bad('output.baseinfo.certno missing');

  const rawInsu = output.insuinfo;
  const list: unknown[] = Array.isArray(rawInsu) ? rawInsu : isObject(rawInsu) ? [rawInsu] : rawInsu == null ? [] : ['bad'];
  const insurances: InsuranceRecord[] = [];
  for (const [i, item] of list.entries()) {
    if (!isObject(item)) return bad(`output.insuinfo[${i}] is not an object`);
    const insutype = nonEmpty(item.insutype);
    if (!insutype) return bad(`output.insuinfo[${i}].insutype missing`);
    const statusCode = nonEmpty(item.psn_insu_stas) ?? '';
    const flag = str(item.cvlserv_flag);
    insurances.push({
      insutype,
      status: statusCodes[statusCode] ?? 'unknown',
      statusCode,
      personType: nonEmpty(item.psn_type),
      insuredSince: normaliseDay(item.psn_insu_date),
      suspendedSince: normaliseDay(item.paus_insu_date),
      employer: nonEmpty(item.emp_name),
      regionCode: nonEmpty(item.insuplc_admdvs) ?? nonEmpty(item.insu_admdvs),
      civilServant: flag === '1' ? true : flag === '0' ? false : null,
    });
  }
  return ok({
    found: true,
    value: {
      person: {
        name,
        certType: nonEmpty(base.psn_cert_type) ?? '',
        certNo,
        gender: genderOf(base.gend),
        birthDate: normaliseDay(base.brdy),
        nationCode: nonEmpty(base.naty),
      },
      insurances,
      payments: null,
    },
  });
}

/**
 * 1901 output: a list of `{ type, label, value, … }`. Where the list sits is not fixed by the
 * reference, so `output` itself, `output.list` and `output.data` are accepted.
 */
export function parse1901(output: unknown): CodecResult<DictionaryEntry[]> {
  const list = Array.isArray(output)
    ? output
    : isObject(output) && Array.isArray(output.list)
      ? output.list
      : isObject(output) && Array.isArray(output.data)
        ? output.data
        : null;
  if (!list) return bad('output has no dictionary list');
  const entries: DictionaryEntry[] = [];
  for (const [i, item] of list.entries()) {
    if (!isObject(item)) return bad(`dictionary[${i}] is not an object`);
    const value = nonEmpty(item.value);
    const label = nonEmpty(item.label);
    if (!value || !label) return bad(`dictionary[${i}] value or label missing`);
    const parent = nonEmpty(item.parentValue);
    entries.push(parent ? { value, label, parentValue: parent } : { value, label });
  }
  return ok(entries);
}

/** Does an infcode −1 mean "no such person"? Matched on configured err_msg fragments. */
export function isNotFoundMessage(errMsg: string | null, fragments: readonly string[]): boolean {
  return !!errMsg && fragments.some((f) => errMsg.includes(f));
}

// ---------------------------------------------------------------------------------------------
// e-voucher decode service
// ---------------------------------------------------------------------------------------------

/**
 * `{ orgId, transType, data: { orgId, businessType, operatorId, operatorName, officeId, officeName,
 * deviceType: "SelfService", <qrField>: qr }, extra: {} }`.
 */
export function buildDecodeRequest(qr: string, f: DecodeRequestFields): Record<string, unknown> {
  return {
    orgId: f.orgId,
    transType: f.transType,
    data: {
      orgId: f.orgId,
      businessType: f.businessType,
      operatorId: f.operatorId,
      operatorName: f.operatorName,
      officeId: f.officeId,
      officeName: f.officeName,
      deviceType: 'SelfService',
      [f.qrField]: qr,
    },
    extra: {},
  };
}

export type ParsedDecode = { readonly valid: true; readonly value: EVoucherIdentity } | { readonly valid: false; readonly code: string };

/** `{ code: 0, data: "<JSON string>", message }`; data as an object is accepted too. */
export function parseDecodeResponse(text: string): CodecResult<ParsedDecode> {
  const json = parseJson(text);
  if (!json.ok) return json;
  const body = json.value;
  if (!isObject(body)) return bad('decode reply is not an object');
  const code = infcodeOf(body.code);
  if (code === null) return bad('code missing');
  if (code !== 0) return ok({ valid: false, code: String(code) });
  let data: unknown = body.data;
  if (typeof data === 'string') {
    const inner = parseJson(data);
    if (!inner.ok) return bad('data is not JSON');
    data = inner.value;
  }
  if (!isObject(data)) return bad('data missing');
  const ecToken = nonEmpty(data.ecToken);
  const idNo = nonEmpty(data.idNo);
  const userName = nonEmpty(data.userName);
  if (!ecToken) return bad('data.ecToken missing');
  if (!idNo) return bad('data.idNo missing');
  if (!userName) return bad('data.userName missing');
  return ok({ valid: true, value: { ecToken, idNo, idType: nonEmpty(data.idType) ?? '', userName, insuOrg: nonEmpty(data.insuOrg) } });
}

// ---------------------------------------------------------------------------------------------
// Provincial gateway headers
// ---------------------------------------------------------------------------------------------

/** SHA-256 (lower-case hex) of timestamp + paasToken + nonce + timestamp. */
export function tifSignature(timestamp: string, paasToken: string, nonce: string): string {
  return createHash('sha256')
    .update(timestamp + paasToken + nonce + timestamp, 'utf8')
    .digest('hex');
}

/** x-tif-paasid / x-tif-timestamp (Unix seconds) / x-tif-nonce / x-tif-signature. */
export function tifHeaders(paasId: string, paasToken: string, at: Date, nonce: string): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    'x-tif-paasid': paasId,
    'x-tif-timestamp': timestamp,
    'x-tif-nonce': nonce,
    'x-tif-signature': tifSignature(timestamp, paasToken, nonce),
  };
}
