import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_INSU_STATUS_CODES,
  EXPIRED_QR,
  INF_TIME_PATTERN,
  MSGID_PATTERN,
  NhsaAdapter,
  RestAdapter,
  startInsuranceSimulator,
  type FetchLike,
  type InsuranceAdapter,
  type InsuranceSimulator,
  type NhsaAdapterOptions,
  type SimulatedPerson,
} from '../../../drivers/insurance/index.ts';

const FIXED = {
  fixmedins_code: 'H37132100001',
  fixmedins_name: '示例县医疗保障服务大厅自助终端',
  mdtrtarea_admvs: '371321',
  insuplc_admdvs: '',
  recer_sys_code: 'MBS_LOCAL',
  dev_no: '',
  dev_safe_info: '',
  cainfo: '',
  signtype: '',
  infver: 'V1.0',
  opter: 'KIOSK-01',
  opter_name: '自助终端01',
};
const DECODE = { transType: 'ec.query' as const, orgId: 'H37132100001', businessType: '01101', officeId: '', officeName: '', qrField: 'qrCode' };

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | null;
}

/** Real fetch, with a copy of what was sent for the assertions. */
function recordingFetch(): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: (url, init) => {
      sent.push({
        url,
        headers: { ...(init.headers as Record<string, string>) },
        body: typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null,
      });
      return fetch(url, init);
    },
  };
}

function nhsaAdapter(sim: InsuranceSimulator, extra: Partial<NhsaAdapterOptions> = {}): NhsaAdapter {
  return new NhsaAdapter({
    url: sim.nhsaUrl,
    decodeUrl: sim.decodeUrl,
    fixed: FIXED,
    signIn: { ip: '127.0.0.1', mac: '00-00-00-00-00-00', opter_no: 'KIOSK-01' },
    idCardCertType: '01',
    statusCodes: DEFAULT_INSU_STATUS_CODES,
    notFoundMessages: ['未查询到'],
    decode: DECODE,
    tif: null,
    timeZone: 'Asia/Shanghai',
    ...extra,
  });
}

function restAdapter(sim: InsuranceSimulator, extra: { fetch?: FetchLike; token?: string | null; paymentMonths?: number } = {}): RestAdapter {
  return new RestAdapter({
    baseUrl: sim.restUrl,
    token: extra.token ?? null,
    idCardCertType: '01',
    paymentMonths: extra.paymentMonths ?? 36,
    terminalId: 'KIOSK-01',
    ...(extra.fetch ? { fetch: extra.fetch } : {}),
  });
}

const ctx = (ms = 3000) => ({ signal: AbortSignal.timeout(ms) });
let sim: InsuranceSimulator;
const person = (key: string): SimulatedPerson => {
  const p = sim.people.find((x) => x.key === key);
  if (!p) throw new Error(`no simulated person ${key}`);
  return p;
};

beforeAll(async () => {
  sim = await startInsuranceSimulator();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.reset());

describe('nhsa adapter against the simulator', () => {
  it('signs in once (9001), then answers 1101 per 险种 with the envelope the reference describes', async () => {
    const rec = recordingFetch();
    const a = nhsaAdapter(sim, { fetch: rec.fetch });
    const emp = person('employee');
    const r = await a.lookupPerson({ kind: 'id-card', idNumber: emp.person.certNo }, ctx());
    if (!r.ok) throw new Error(JSON.stringify(r.failure));
    expect(r.value.person).toEqual(emp.person);
    expect(r.value.payments).toBeNull();
    expect(r.value.insurances.map((i) => [i.insutype, i.status, i.employer])).toEqual([
      ['310', 'active', '示例县明达机械有限公司'],
      ['510', 'active', '示例县明达机械有限公司'],
      ['390', 'terminated', null],
    ]);
    const again = await a.lookupPerson({ kind: 'id-card', idNumber: person('suspended').person.certNo }, ctx());
    expect(again.ok && again.value.insurances[0]).toMatchObject({
      insutype: '310',
      status: 'suspended',
      suspendedSince: expect.stringMatching(/^\d{4}-\d{2}-01$/),
    });

    expect(rec.sent.map((s) => s.body?.infno)).toEqual(['9001', '1101', '1101']);
    const msgids = new Set<string>();
    for (const s of rec.sent) {
      const b = s.body!;
      expect(b.opter_type).toBe('2');
      expect(b.mdtrtarea_admvs).toBe('371321');
      expect(String(b.msgid)).toMatch(MSGID_PATTERN);
      expect(String(b.msgid).startsWith('H37132100001')).toBe(true);
      expect(String(b.inf_time)).toMatch(INF_TIME_PATTERN);
      msgids.add(String(b.msgid));
    }
    expect(msgids.size).toBe(3);
    expect(rec.sent[1]!.body!.sign_no).toMatch(/^SIM/);
    expect((rec.sent[1]!.body!.input as { data: Record<string, string> }).data).toMatchObject({ mdtrt_cert_type: '02', mdtrt_cert_no: emp.person.certNo });
    expect(rec.sent[0]!.headers['x-tif-signature']).toBeUndefined();
  });

  it('covers 390 正常参保, 终止参保, the 生僻字 names and no record', async () => {
    const a = nhsaAdapter(sim);
    const res = await a.lookupPerson({ kind: 'id-card', idNumber: person('resident').person.certNo }, ctx());
    expect(res.ok && res.value.insurances).toEqual([expect.objectContaining({ insutype: '390', status: 'active', employer: null })]);
    const term = await a.lookupPerson({ kind: 'id-card', idNumber: person('terminated').person.certNo }, ctx());
    expect(term.ok && term.value.insurances[0]?.status).toBe('terminated');
    for (const key of ['rare-name', 'rare-name-b']) {
      const r = await a.lookupPerson({ kind: 'id-card', idNumber: person(key).person.certNo }, ctx());
      expect(r.ok && r.value.person.name).toBe(person(key).person.name);
    }
    expect(person('rare-name-b').person.name).toMatch(/[\u{20000}-\u{2A6DF}]/u);
    const none = await a.lookupPerson({ kind: 'id-card', idNumber: person('no-record').person.certNo }, ctx());
    expect(none).toEqual({ ok: false, failure: { kind: 'not-found', transient: false, step: '1101' } });
  });

  it('decodes an e-voucher QR, then looks the person up with mdtrt_cert_type 01 and the ecToken', async () => {
    const rec = recordingFetch();
    const a = nhsaAdapter(sim, { fetch: rec.fetch });
    const p = person('rare-name');
    const d = await a.decodeEVoucher(p.qr, ctx());
    if (!d.ok) throw new Error(JSON.stringify(d.failure));
    expect(d.value).toEqual({ ecToken: p.ecToken, idNo: p.person.certNo, idType: '01', userName: '龚䶮', insuOrg: '371300' });
    const r = await a.lookupPerson({ kind: 'e-voucher', voucher: d.value }, ctx());
    expect(r.ok && r.value.person.certNo).toBe(p.person.certNo);
    expect(rec.sent[0]!.url).toBe(sim.decodeUrl);
    expect(rec.sent[0]!.body).toMatchObject({ transType: 'ec.query', data: { deviceType: 'SelfService', qrCode: p.qr } });
    expect((rec.sent[2]!.body!.input as { data: Record<string, string> }).data).toMatchObject({
      mdtrt_cert_type: '01',
      mdtrt_cert_no: p.ecToken,
      certno: p.person.certNo,
      psn_name: '龚䶮',
    });
  });

  it('an expired or unknown QR is invalid-voucher; no decode service is unsupported', async () => {
    const a = nhsaAdapter(sim);
    expect(await a.decodeEVoucher(EXPIRED_QR, ctx())).toEqual({
      ok: false,
      failure: { kind: 'invalid-voucher', transient: false, code: '2001', step: 'decode' },
    });
    expect(await a.decodeEVoucher('not-a-voucher', ctx())).toMatchObject({ ok: false, failure: { kind: 'invalid-voucher', code: '2002' } });
    const none = nhsaAdapter(sim, { decodeUrl: null });
    expect(await none.decodeEVoucher(person('employee').qr, ctx())).toMatchObject({ ok: false, failure: { kind: 'unsupported' } });
  });

  it('loads a dictionary with 1901', async () => {
    const r = await nhsaAdapter(sim).dictionary('insutype', ctx());
    expect(r.ok && r.value).toEqual(
      expect.arrayContaining([
        { value: '310', label: '职工基本医疗保险' },
        { value: '510', label: '生育保险' },
      ]),
    );
  });

  it('signs in again after the front-end forgets its sign_no (infcode −1 → rejected, then a fresh 9001)', async () => {
    const rec = recordingFetch();
    const a = nhsaAdapter(sim, { fetch: rec.fetch });
    const id = person('employee').person.certNo;
    expect((await a.lookupPerson({ kind: 'id-card', idNumber: id }, ctx())).ok).toBe(true);
    sim.reset(); // the simulator drops every sign_no
    expect(await a.lookupPerson({ kind: 'id-card', idNumber: id }, ctx())).toMatchObject({
      ok: false,
      failure: { kind: 'rejected', code: '-1', step: '1101' },
    });
    expect((await a.lookupPerson({ kind: 'id-card', idNumber: id }, ctx())).ok).toBe(true);
    expect(rec.sent.map((s) => s.body?.infno)).toEqual(['9001', '1101', '1101', '9001', '1101']);
  });

  it('sends x-tif headers the gateway verifies when switched on; a wrong token is refused', async () => {
    const tif = { paasId: 'paas-kiosk', paasToken: 'paas-token-0123456789' };
    const gated = await startInsuranceSimulator({ tif });
    try {
      const rec = recordingFetch();
      const good = nhsaAdapter(gated, { tif, fetch: rec.fetch });
      expect((await good.lookupPerson({ kind: 'id-card', idNumber: gated.people[0]!.person.certNo }, ctx())).ok).toBe(true);
      const h = rec.sent[0]!.headers;
      expect(h['x-tif-paasid']).toBe('paas-kiosk');
      expect(h['x-tif-timestamp']).toMatch(/^\d{10}$/);
      expect(h['x-tif-nonce']).toMatch(/^[0-9a-f]{32}$/);
      expect(h['x-tif-signature']).toMatch(/^[0-9a-f]{64}$/);
      const bad = nhsaAdapter(gated, { tif: { ...tif, paasToken: 'wrong-token-000000000' } });
      expect(await bad.lookupPerson({ kind: 'id-card', idNumber: gated.people[0]!.person.certNo }, ctx())).toMatchObject({
        ok: false,
        failure: { kind: 'http', status: 403, transient: false },
      });
      const none = nhsaAdapter(gated);
      expect((await none.lookupPerson({ kind: 'id-card', idNumber: gated.people[0]!.person.certNo }, ctx())).ok).toBe(false);
    } finally {
      await gated.close();
    }
  });
});

describe('rest adapter against the simulator', () => {
  it("returns status per 险种 and 36 months of payments with the history's gaps and employers", async () => {
    const rec = recordingFetch();
    const a = restAdapter(sim, { fetch: rec.fetch });
    const emp = person('employee');
    const r = await a.lookupPerson({ kind: 'id-card', idNumber: emp.person.certNo }, ctx());
    if (!r.ok) throw new Error(JSON.stringify(r.failure));
    expect(r.value.person).toEqual(emp.person);
    expect(r.value.insurances.map((i) => `${i.insutype}:${i.status}`)).toEqual(['310:active', '510:active', '390:terminated']);
    const months310 = r.value.payments!.filter((m) => m.insutype === '310').map((m) => m.month);
    // 36-month window: 11 months at the first employer, a 3-month gap, 21 months at the second, the current month not yet posted.
    expect(months310).toHaveLength(32);
    expect(new Set(r.value.payments!.map((m) => m.employer))).toEqual(new Set(['示例市恒通物流有限公司', '示例县明达机械有限公司']));
    expect(r.value.payments!.some((m) => m.status === 'unpaid')).toBe(true);
    expect(r.value.payments!.some((m) => m.status === 'back-paid')).toBe(true);
    // The identity travels in the body only.
    expect(rec.sent[0]!.url).not.toContain(emp.person.certNo);
    expect(rec.sent[0]!.body).toEqual({ certType: '01', certNo: emp.person.certNo, paymentMonths: 36 });

    const longer = await restAdapter(sim, { paymentMonths: 60 }).lookupPerson({ kind: 'id-card', idNumber: emp.person.certNo }, ctx());
    expect(longer.ok && longer.value.payments!.filter((m) => m.insutype === '310')).toHaveLength(44);
  });

  it('no record is found:false → not-found; e-voucher decode and lookup by token; dictionaries', async () => {
    const a = restAdapter(sim);
    expect(await a.lookupPerson({ kind: 'id-card', idNumber: person('no-record').person.certNo }, ctx())).toEqual({
      ok: false,
      failure: { kind: 'not-found', transient: false, step: 'person' },
    });
    const p = person('rare-name-b');
    const d = await a.decodeEVoucher(p.qr, ctx());
    if (!d.ok) throw new Error(JSON.stringify(d.failure));
    expect(d.value.userName).toBe('陈𠈌');
    const r = await a.lookupPerson({ kind: 'e-voucher', voucher: d.value }, ctx());
    expect(r.ok && r.value.insurances[0]).toMatchObject({ insutype: '390', status: 'active' });
    expect(await a.decodeEVoucher(EXPIRED_QR, ctx())).toMatchObject({ ok: false, failure: { kind: 'invalid-voucher', status: 422, code: 'EVOUCHER_INVALID' } });
    const dict = await a.dictionary('psn_type', ctx());
    expect(dict.ok && dict.value.length).toBeGreaterThan(0);
  });

  it('sends the bearer token when configured; without it the contract answers 401 (rejected)', async () => {
    const gated = await startInsuranceSimulator({ restToken: 'rest-token-0123456789' });
    try {
      const id = gated.people[0]!.person.certNo;
      expect((await restAdapter(gated, { token: 'rest-token-0123456789' }).lookupPerson({ kind: 'id-card', idNumber: id }, ctx())).ok).toBe(true);
      expect(await restAdapter(gated).lookupPerson({ kind: 'id-card', idNumber: id }, ctx())).toMatchObject({
        ok: false,
        failure: { kind: 'rejected', status: 401, code: 'UNAUTHORIZED' },
      });
    } finally {
      await gated.close();
    }
  });
});

describe.each<[string, (s: InsuranceSimulator) => InsuranceAdapter, 'nhsa' | 'rest']>([
  ['nhsa', (s) => nhsaAdapter(s), 'nhsa'],
  ['rest', (s) => restAdapter(s), 'rest'],
])('%s adapter under every simulator fault', (_name, make, target) => {
  const lookup = (a: InsuranceAdapter, ms = 3000) => a.lookupPerson({ kind: 'id-card', idNumber: person('employee').person.certNo }, ctx(ms));

  it('timeout: no reply → timeout (transient)', async () => {
    const a = make(sim);
    if (target === 'nhsa') expect((await lookup(a)).ok).toBe(true); // sign in first, so the fault hits 1101
    sim.setFault({ kind: 'timeout', target });
    const started = Date.now();
    expect(await lookup(a, 400)).toMatchObject({ ok: false, failure: { kind: 'timeout', transient: true } });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('infcode −1 / contract error → rejected (an answer, not transient)', async () => {
    const a = make(sim);
    sim.setFault({ kind: 'infcode-error', target });
    const r = await lookup(a);
    expect(r).toMatchObject({ ok: false, failure: { kind: 'rejected', transient: false } });
  });

  it('malformed JSON → malformed (transient)', async () => {
    sim.setFault({ kind: 'malformed', target });
    expect(await lookup(make(sim))).toMatchObject({ ok: false, failure: { kind: 'malformed', transient: true } });
  });

  it('HTTP 500 → http 500 (transient)', async () => {
    sim.setFault({ kind: 'http-500', target });
    expect(await lookup(make(sim))).toMatchObject({ ok: false, failure: { kind: 'http', status: 500, transient: true } });
  });

  it('slow reply within the timeout → the normal answer; beyond it → timeout', async () => {
    const a = make(sim);
    sim.setFault({ kind: 'slow', target, delayMs: 300 });
    const started = Date.now();
    const r = await lookup(a);
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    sim.setFault({ kind: 'slow', target, delayMs: 1500 });
    expect(await lookup(a, 300)).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
  });

  it('a fault limited to n requests clears itself; the connection refused is network', async () => {
    const a = make(sim);
    sim.setFault({ kind: 'http-500', target, times: 1 });
    expect((await lookup(a)).ok).toBe(false);
    expect((await lookup(a)).ok).toBe(true);
    const dead = await startInsuranceSimulator();
    const deadAdapter = make(dead);
    await dead.close();
    expect(await lookup(deadAdapter)).toMatchObject({ ok: false, failure: { kind: 'network', transient: true } });
  });
});

describe('simulator control endpoint', () => {
  it('sets, reports and clears faults over HTTP; rejects bad specs', async () => {
    const post = (path: string, body: unknown) => fetch(`${sim.url}/control${path}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('/fault', { kind: 'http-500', target: 'decode', times: 2 })).status).toBe(200);
    const state = (await (await fetch(`${sim.url}/control/state`)).json()) as { faults: { kind: string; target: string; remaining: number }[] };
    expect(state.faults).toEqual([{ kind: 'http-500', target: 'decode', remaining: 2, delayMs: 1500 }]);
    const decoded = await nhsaAdapter(sim).decodeEVoucher(person('employee').qr, ctx());
    expect(decoded).toMatchObject({ ok: false, failure: { kind: 'http', status: 500 } });
    // decode faults do not touch the envelope endpoint
    expect((await nhsaAdapter(sim).lookupPerson({ kind: 'id-card', idNumber: person('employee').person.certNo }, ctx())).ok).toBe(true);
    expect((await post('/fault', { kind: 'explode' })).status).toBe(400);
    expect((await post('/fault', { kind: 'slow', delayMs: -1 })).status).toBe(400);
    expect((await post('/reset', {})).status).toBe(200);
    expect(sim.state().faults).toEqual([]);
    const people = (await (await fetch(`${sim.url}/control/people`)).json()) as { key: string; hasRecord: boolean }[];
    expect(people.find((p) => p.key === 'no-record')?.hasRecord).toBe(false);
  });
});
