import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Value } from '@sinclair/typebox/value';
import { builtInDictionary } from './codes.ts';
import { INF_TIME_PATTERN, MSGID_PATTERN, tifSignature, wallClock } from './codec.ts';
import { SIMULATOR_MESSAGES as M } from './messages.ts';
import { REST_ERROR_CODES, RestDecodeRequest, RestPersonQueryRequest, type RestPersonQueryResponseBody } from './rest-contract.ts';
import { EXPIRED_QR, samplePeople, type SimulatedPerson } from './sample-people.ts';

/**
 * The insurance simulator: one node:http server speaking
 * - the 医疗保障信息平台 envelope at `POST /nhsa` (9001, 1101, 1901), checking the envelope the
 *   way a real front-end would (msgid and inf_time formats, opter_type, sign_no from 9001,
 *   x-tif signature when configured);
 * - the e-voucher decode service at `POST /localcfc/api/hsecfc/localQrCodeQuery`;
 * - the `rest` contract under `/rest` (rest-contract.ts);
 * - a control API under `/control` to inject faults: timeout, infcode −1 (or the contract's
 *   error), malformed JSON, HTTP 500 and slow replies, for all endpoints or one of them, for a
 *   number of requests or until reset.
 * Its people are synthetic (sample-people.ts). It logs nothing.
 */
export type InsuranceFaultKind = 'none' | 'timeout' | 'infcode-error' | 'malformed' | 'http-500' | 'slow';
export type FaultTarget = 'all' | 'nhsa' | 'rest' | 'decode';
export const FAULT_KINDS: readonly InsuranceFaultKind[] = ['none', 'timeout', 'infcode-error', 'malformed', 'http-500', 'slow'];
export const FAULT_TARGETS: readonly FaultTarget[] = ['all', 'nhsa', 'rest', 'decode'];

export interface FaultSpec {
  readonly kind: InsuranceFaultKind;
  readonly target?: FaultTarget;
  /** How many matching requests it affects; omitted or null: until reset. */
  readonly times?: number | null;
  /** For `slow`: delay before the normal reply (default 1500 ms). */
  readonly delayMs?: number;
}

interface ActiveFault {
  kind: Exclude<InsuranceFaultKind, 'none'>;
  target: FaultTarget;
  remaining: number | null;
  delayMs: number;
}

export interface InsuranceSimulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly now?: () => Date;
  readonly timeZone?: string;
  /** When set, every /nhsa request must carry valid x-tif-* headers. */
  readonly tif?: { readonly paasId: string; readonly paasToken: string } | null;
  /** When set, every /rest request must carry `Authorization: Bearer <token>`. */
  readonly restToken?: string | null;
  /** Decode request field carrying the QR payload (default "qrCode"). */
  readonly qrField?: string;
}

export interface InsuranceSimulatorState {
  readonly faults: readonly ActiveFault[];
  readonly requests: Readonly<Record<Exclude<FaultTarget, 'all'>, number>>;
  readonly signIns: number;
  readonly held: number;
}

export interface InsuranceSimulator {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly nhsaUrl: string;
  readonly decodeUrl: string;
  readonly restUrl: string;
  readonly people: readonly SimulatedPerson[];
  setFault(spec: FaultSpec): void;
  reset(): void;
  state(): InsuranceSimulatorState;
  close(): Promise<void>;
}

export const SIMULATOR_PATHS = {
  nhsa: '/nhsa',
  decode: '/localcfc/api/hsecfc/localQrCodeQuery',
  rest: '/rest',
  control: '/control',
} as const;

const MAX_BODY = 1 << 20;

/** psn_type labels of the simulator only: no authoritative table exists (insurance-backend.md §1). */
const SIM_PERSON_TYPES = [
  { value: '1101', label: '在职职工（模拟）' },
  { value: '1201', label: '退休人员（模拟）' },
  { value: '1501', label: '城乡居民（模拟）' },
];

export async function startInsuranceSimulator(options: InsuranceSimulatorOptions = {}): Promise<InsuranceSimulator> {
  const now = options.now ?? (() => new Date());
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  const qrField = options.qrField ?? 'qrCode';
  const faults: ActiveFault[] = [];
  const requests = { nhsa: 0, rest: 0, decode: 0 };
  const signNos = new Set<string>();
  const held = new Set<ServerResponse>();
  let sequence = 0;
  let people = samplePeople(now());
  let peopleMonth = monthKey(now());

  const currentPeople = () => {
    const key = monthKey(now());
    if (key !== peopleMonth) {
      people = samplePeople(now());
      peopleMonth = key;
    }
    return people;
  };

  const takeFault = (target: Exclude<FaultTarget, 'all'>): ActiveFault | null => {
    const i = faults.findIndex((f) => f.target === 'all' || f.target === target);
    if (i < 0) return null;
    const f = faults[i]!;
    if (f.remaining !== null && --f.remaining <= 0) faults.splice(i, 1);
    return f;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    if (path.startsWith(SIMULATOR_PATHS.control)) return control(req, res, path.slice(SIMULATOR_PATHS.control.length));
    const target =
      path === SIMULATOR_PATHS.nhsa ? 'nhsa' : path === SIMULATOR_PATHS.decode ? 'decode' : path.startsWith(`${SIMULATOR_PATHS.rest}/`) ? 'rest' : null;
    if (!target) return json(res, 404, { error: { code: 'NOT_FOUND', message: '没有这个接口' } });
    const body = await readBody(req);
    requests[target]++;
    const fault = takeFault(target);
    if (fault) {
      switch (fault.kind) {
        case 'timeout':
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        case 'http-500':
          return send(res, 500, 'text/html; charset=utf-8', '<html><body><h1>500 Internal Server Error</h1></body></html>');
        case 'malformed':
          return send(res, 200, 'application/json; charset=utf-8', '{"infcode":0,"output":{"baseinfo":{"psn_name":');
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs));
          if (res.destroyed) return;
          break;
        case 'infcode-error':
          if (target === 'nhsa') return json(res, 200, envelopeReply(-1, null, M.injected));
          if (target === 'decode') return json(res, 200, { code: -1, data: null, message: M.injected });
          return json(res, 409, { error: { code: REST_ERROR_CODES.backendError, message: M.injected } });
      }
    }
    if (target === 'nhsa') return nhsa(req, res, body);
    if (target === 'decode') return decode(res, body);
    return rest(req, res, path.slice(SIMULATOR_PATHS.rest.length), body);
  }

  // ----- 医疗保障信息平台 envelope ---------------------------------------------------------------

  function envelopeReply(infcode: number, output: unknown, errMsg: string | null) {
    const at = now();
    sequence = (sequence + 1) % 1e10;
    const stamp = compactTime(at, timeZone);
    return {
      infcode,
      inf_refmsgid: `${'371300'}${stamp.slice(0, 14)}${String(sequence).padStart(10, '0')}`,
      refmsg_time: stamp,
      respond_time: stamp,
      err_msg: errMsg,
      warn_msg: null,
      output,
    };
  }

  function nhsa(req: IncomingMessage, res: ServerResponse, body: string): void {
    if (options.tif && !tifValid(req, options.tif, now())) return json(res, 403, { code: 403, message: M.tifRejected });
    const env = parseObject(body);
    if (!env) return json(res, 200, envelopeReply(-1, null, M.badEnvelope('body')));
    const fault = envelopeProblem(env);
    if (fault) return json(res, 200, envelopeReply(-1, null, M.badEnvelope(fault)));
    const input = env.input as Record<string, unknown>;
    switch (env.infno) {
      case '9001': {
        const signIn = input.signIn as Record<string, unknown> | undefined;
        if (!signIn || typeof signIn.opter_no !== 'string' || !signIn.opter_no)
          return json(res, 200, envelopeReply(-1, null, M.badEnvelope('input.signIn.opter_no')));
        const signNo = `SIM${randomBytes(12).toString('hex')}`.slice(0, 30);
        signNos.add(signNo);
        return json(res, 200, envelopeReply(0, { signinoutb: { sign_time: formatSeconds(now(), timeZone), sign_no: signNo } }, null));
      }
      case '1101':
      case '1901': {
        if (typeof env.sign_no !== 'string' || !signNos.has(env.sign_no)) return json(res, 200, envelopeReply(-1, null, M.signInRequired));
        const data = (input.data ?? {}) as Record<string, unknown>;
        if (env.infno === '1901') {
          return json(
            res,
            200,
            envelopeReply(
              0,
              { list: dictionaryEntries(String(data.type ?? '')).map((e) => ({ type: data.type, ...e, parentValue: '', valiFlag: '1' })) },
              null,
            ),
          );
        }
        return json(res, 200, query1101(data));
      }
      default:
        return json(res, 200, envelopeReply(-1, null, M.unknownInfno));
    }
  }

  function query1101(data: Record<string, unknown>) {
    const certType = data.mdtrt_cert_type;
    const certNo = typeof data.mdtrt_cert_no === 'string' ? data.mdtrt_cert_no.toUpperCase() : '';
    let found: SimulatedPerson | undefined;
    if (certType === '02') found = currentPeople().find((p) => p.person.certNo === certNo);
    else if (certType === '01') {
      found = currentPeople().find((p) => p.ecToken === data.mdtrt_cert_no);
      if (found && typeof data.certno === 'string' && data.certno && data.certno.toUpperCase() !== found.person.certNo) {
        return envelopeReply(-1, null, M.tokenMismatch);
      }
    } else return envelopeReply(-1, null, M.certTypeUnsupported);
    if (!found || !found.insurances) return envelopeReply(-1, null, M.notFound);
    const p = found.person;
    const age = ageYears(p.birthDate, now());
    return envelopeReply(
      0,
      {
        baseinfo: {
          psn_no: `37130000000${p.certNo.slice(-8)}`.slice(0, 30),
          psn_cert_type: p.certType,
          certno: p.certNo,
          psn_name: p.name,
          gend: p.gender === 'male' ? '1' : p.gender === 'female' ? '2' : '9',
          naty: p.nationCode ?? '',
          brdy: p.birthDate ?? '',
          age: age === null ? null : age.toFixed(1),
        },
        insuinfo: found.insurances.map((i) => ({
          balc: i.insutype === '310' ? 1234.56 : 0,
          insutype: i.insutype,
          psn_type: i.personType ?? '',
          psn_insu_stas: i.statusCode,
          psn_insu_date: i.insuredSince ?? '',
          paus_insu_date: i.suspendedSince ?? '',
          cvlserv_flag: i.civilServant ? '1' : '0',
          insuplc_admdvs: i.regionCode ?? '',
          emp_name: i.employer ?? '',
        })),
        idetinfo: [],
      },
      null,
    );
  }

  // ----- e-voucher decode -----------------------------------------------------------------------

  function decodeLookup(qr: string): { ok: true; person: SimulatedPerson } | { ok: false; expired: boolean } {
    if (qr === EXPIRED_QR) return { ok: false, expired: true };
    const person = currentPeople().find((p) => p.qr === qr);
    return person ? { ok: true, person } : { ok: false, expired: false };
  }

  function decodeData(p: SimulatedPerson) {
    return {
      ecToken: p.ecToken,
      idNo: p.person.certNo,
      idType: p.person.certType,
      userName: p.person.name,
      insuOrg: p.insuOrg,
    };
  }

  function decode(res: ServerResponse, body: string): void {
    const req = parseObject(body);
    const data = (req?.data ?? null) as Record<string, unknown> | null;
    if (!req || !data) return json(res, 200, { code: -1, data: null, message: M.badEnvelope('data') });
    if (req.transType !== 'ec.query' && req.transType !== 'cn.nhsa.qrcode.get')
      return json(res, 200, { code: -1, data: null, message: M.badEnvelope('transType') });
    if (data.deviceType !== 'SelfService') return json(res, 200, { code: 1001, data: null, message: M.deviceType });
    const qr = typeof data[qrField] === 'string' ? (data[qrField] as string) : '';
    const hit = decodeLookup(qr);
    if (!hit.ok) return json(res, 200, { code: hit.expired ? 2001 : 2002, data: null, message: hit.expired ? M.qrExpired : M.qrUnknown });
    const p = hit.person;
    const payload = {
      ...decodeData(p),
      ecIndexNo: `${p.insuOrg}${p.key.length}`,
      gender: p.person.gender === 'male' ? '1' : '2',
      birthday: p.person.birthDate,
      nationality: 'CHN',
      email: '',
      extData: '',
    };
    return json(res, 200, { code: 0, data: JSON.stringify(payload), message: '成功' });
  }

  // ----- rest contract --------------------------------------------------------------------------

  function rest(req: IncomingMessage, res: ServerResponse, path: string, body: string): void {
    if (options.restToken) {
      const auth = req.headers.authorization ?? '';
      if (!safeEqual(auth, `Bearer ${options.restToken}`)) return json(res, 401, { error: { code: REST_ERROR_CODES.unauthorized, message: '未授权' } });
    }
    if (req.method === 'POST' && path === '/v1/persons/query') {
      const q = parseObject(body);
      if (!q || !Value.Check(RestPersonQueryRequest, q)) return json(res, 400, { error: { code: REST_ERROR_CODES.badRequest, message: '请求内容有误' } });
      const certNo = q.certNo.toUpperCase();
      const p = q.ecToken ? currentPeople().find((x) => x.ecToken === q.ecToken) : currentPeople().find((x) => x.person.certNo === certNo);
      if (p && q.ecToken && p.person.certNo !== certNo) return json(res, 409, { error: { code: REST_ERROR_CODES.backendError, message: M.tokenMismatch } });
      if (!p || !p.insurances) return json(res, 200, { found: false } satisfies RestPersonQueryResponseBody);
      const from = monthKey(now(), q.paymentMonths - 1);
      const reply: RestPersonQueryResponseBody = {
        found: true,
        person: { ...p.person },
        insurances: p.insurances.map((i) => ({ ...i, status: i.status === 'unknown' ? 'none' : i.status })),
        payments: q.paymentMonths === 0 ? [] : p.payments.filter((m) => m.month >= from).map((m) => ({ ...m })),
      };
      return json(res, 200, reply);
    }
    if (req.method === 'POST' && path === '/v1/evoucher/decode') {
      const q = parseObject(body);
      if (!q || !Value.Check(RestDecodeRequest, q)) return json(res, 400, { error: { code: REST_ERROR_CODES.badRequest, message: '请求内容有误' } });
      const hit = decodeLookup(q.qrCode);
      if (!hit.ok) return json(res, 422, { error: { code: REST_ERROR_CODES.evoucherInvalid, message: hit.expired ? M.qrExpired : M.qrUnknown } });
      return json(res, 200, decodeData(hit.person));
    }
    const dict = /^\/v1\/dictionaries\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && dict) {
      const type = decodeURIComponent(dict[1]!);
      return json(res, 200, { type, entries: dictionaryEntries(type) });
    }
    return json(res, 404, { error: { code: 'NOT_FOUND', message: '没有这个接口' } });
  }

  // ----- control --------------------------------------------------------------------------------

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && path === '/state') return json(res, 200, sim.state());
    if (req.method === 'GET' && path === '/people') {
      return json(
        res,
        200,
        currentPeople().map((p) => ({
          key: p.key,
          description: p.description,
          name: p.person.name,
          certNo: p.person.certNo,
          qr: p.qr,
          hasRecord: p.insurances !== null,
        })),
      );
    }
    if (req.method === 'POST' && path === '/reset') {
      sim.reset();
      return json(res, 200, sim.state());
    }
    if (req.method === 'POST' && path === '/fault') {
      const spec = parseObject(await readBody(req));
      try {
        sim.setFault(spec as unknown as FaultSpec);
      } catch (err) {
        return json(res, 400, { error: { code: 'BAD_REQUEST', message: (err as Error).message } });
      }
      return json(res, 200, sim.state());
    }
    return json(res, 404, { error: { code: 'NOT_FOUND', message: '没有这个接口' } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const base = `http://${host}:${addr.port}`;

  const sim: InsuranceSimulator = {
    url: base,
    nhsaUrl: base + SIMULATOR_PATHS.nhsa,
    decodeUrl: base + SIMULATOR_PATHS.decode,
    restUrl: base + SIMULATOR_PATHS.rest,
    get people() {
      return currentPeople();
    },
    setFault(spec: FaultSpec) {
      if (!spec || typeof spec !== 'object' || !FAULT_KINDS.includes(spec.kind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
      const target = spec.target ?? 'all';
      if (!FAULT_TARGETS.includes(target)) throw new Error(`target must be one of ${FAULT_TARGETS.join(', ')}`);
      const times = spec.times ?? null;
      if (times !== null && (!Number.isInteger(times) || times < 1)) throw new Error('times must be a positive integer or null');
      const delayMs = spec.delayMs ?? 1500;
      if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 120_000) throw new Error('delayMs must be 0…120000');
      for (let i = faults.length - 1; i >= 0; i--) if (faults[i]!.target === target) faults.splice(i, 1);
      if (spec.kind !== 'none') faults.push({ kind: spec.kind, target, remaining: times, delayMs });
    },
    reset() {
      faults.length = 0;
      requests.nhsa = requests.rest = requests.decode = 0;
      signNos.clear();
    },
    state() {
      return { faults: faults.map((f) => ({ ...f })), requests: { ...requests }, signIns: signNos.size, held: held.size };
    },
    async close() {
      for (const r of held) r.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sim;
}

// ----- helpers ----------------------------------------------------------------------------------

function dictionaryEntries(type: string): { value: string; label: string }[] {
  if (type === 'psn_type') return SIM_PERSON_TYPES.map((e) => ({ ...e }));
  return builtInDictionary(type);
}

/** Envelope fields a front-end insists on; returns the first one at fault. */
function envelopeProblem(env: Record<string, unknown>): string | null {
  const strings = [
    'infno',
    'msgid',
    'mdtrtarea_admvs',
    'insuplc_admdvs',
    'recer_sys_code',
    'dev_no',
    'dev_safe_info',
    'cainfo',
    'signtype',
    'infver',
    'opter_type',
    'opter',
    'opter_name',
    'inf_time',
    'fixmedins_code',
    'fixmedins_name',
    'sign_no',
  ];
  for (const k of strings) if (typeof env[k] !== 'string') return k;
  const s = env as Record<string, string>;
  if (s.fixmedins_code!.length !== 12) return 'fixmedins_code';
  if (s.msgid!.length !== 30 || !MSGID_PATTERN.test(s.msgid!) || !s.msgid!.startsWith(s.fixmedins_code!)) return 'msgid';
  if (!INF_TIME_PATTERN.test(s.inf_time!)) return 'inf_time';
  if (s.opter_type !== '2') return 'opter_type';
  if (!/^\d{6}$/.test(s.mdtrtarea_admvs!)) return 'mdtrtarea_admvs';
  if (!/^\d{4}$/.test(s.infno!)) return 'infno';
  if (typeof env.input !== 'object' || env.input === null || Array.isArray(env.input)) return 'input';
  return null;
}

function tifValid(req: IncomingMessage, tif: { paasId: string; paasToken: string }, at: Date): boolean {
  const h = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : '';
  };
  const ts = h('x-tif-timestamp');
  const nonce = h('x-tif-nonce');
  if (h('x-tif-paasid') !== tif.paasId || !/^\d{9,11}$/.test(ts) || !nonce) return false;
  if (Math.abs(Number(ts) - at.getTime() / 1000) > 300) return false;
  return safeEqual(h('x-tif-signature'), tifSignature(ts, tif.paasToken, nonce));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const parts = wallClock;

/** yyyyMMddHHmmssSSS */
function compactTime(at: Date, timeZone: string): string {
  const w = parts(at, timeZone);
  return `${w.y}${w.mo}${w.d}${w.h}${w.mi}${w.s}${String(at.getMilliseconds()).padStart(3, '0')}`;
}

function formatSeconds(at: Date, timeZone: string): string {
  const w = parts(at, timeZone);
  return `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}:${w.s}`;
}

/** YYYY-MM of `back` months before `at` (UTC month arithmetic, same as sample-people.ts). */
function monthKey(at: Date, back = 0): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function ageYears(birth: string | null, at: Date): number | null {
  if (!birth) return null;
  const [y, m, d] = birth.split('-').map(Number) as [number, number, number];
  let age = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) age--;
  return age;
}
