import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config/load.ts';
import type { DeviceLogger } from '../../../drivers/common/logger.ts';
import { EXPIRED_QR, samplePeople, type FaultSpec } from '../../../drivers/insurance/index.ts';
import { isKioskError, type KioskError } from '../../../kiosk/errors.ts';
import { createInsuranceBackend, type InsuranceBackend } from '../../../kiosk/insurance/index.ts';

const people = samplePeople();
const P = (key: string) => people.find((p) => p.key === key)!;
const UNAVAILABLE = '参保信息系统暂时无法连接，请到 2 号窗口办理';

interface LogLine {
  level: string;
  obj: object;
  msg?: string | undefined;
}
function capturingLogger(): { logger: DeviceLogger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

let open: InsuranceBackend[] = [];
afterEach(async () => {
  await Promise.all(open.map((b) => b.close()));
  open = [];
});

function config(insurance: Record<string, unknown>) {
  return loadConfig({
    overlay: {
      insurance: {
        referCounter: 2,
        // Generous against a loaded CI machine; the slow fault that must time out waits longer still.
        timeouts: { lookupMs: 1_500, decodeMs: 1_500, dictionaryMs: 1_500 },
        retry: { attempts: 1, delayMs: 10 },
        breaker: { failureThreshold: 3, openMs: 10_000 },
        ...insurance,
      },
    },
  });
}

async function simulated(protocol: 'nhsa' | 'rest', options: { logger?: DeviceLogger; now?: () => number } = {}) {
  const backend = createInsuranceBackend(config({ adapter: 'simulator', simulator: { protocol, port: 0 } }), options)!;
  open.push(backend);
  await backend.start();
  const url = backend.simulatorUrl!;
  const control = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${url}/control${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(await res.text());
  };
  return {
    backend,
    fault: (spec: FaultSpec) => control('/fault', { target: protocol, ...spec }),
    reset: () => control('/reset'),
    requests: async () => ((await (await fetch(`${url}/control/state`)).json()) as { requests: Record<string, number> }).requests,
  };
}

async function rejection(p: Promise<unknown>): Promise<KioskError> {
  try {
    await p;
  } catch (err) {
    if (isKioskError(err)) return err;
    throw err;
  }
  throw new Error('expected a KioskError');
}

const byCard = (key: string) => ({ kind: 'id-card' as const, idNumber: P(key).person.certNo });

describe('factory', () => {
  it('picks the adapter from config in one place; off → null', () => {
    expect(createInsuranceBackend(config({ adapter: 'off' }))).toBeNull();
    const nhsa = createInsuranceBackend(config({ adapter: 'nhsa', url: 'http://127.0.0.1:9/fsi/api' }))!;
    expect(nhsa.adapter).toBe('nhsa');
    expect(nhsa.health()).toMatchObject({ protocol: 'nhsa', started: false, breaker: 'closed', eVoucher: false });
    const rest = createInsuranceBackend(config({ adapter: 'rest', url: 'http://127.0.0.1:9/api' }))!;
    expect(rest.health()).toMatchObject({ protocol: 'rest', eVoucher: true });
    expect(createInsuranceBackend(loadConfig())!.adapter).toBe('simulator');
  });

  it('refuses settings the schema cannot check', () => {
    expect(() => createInsuranceBackend(config({ adapter: 'nhsa', url: null }))).toThrow(ConfigError);
    expect(() => createInsuranceBackend(config({ adapter: 'rest', url: 'http://x', referCounter: 99 }))).toThrow(/referCounter/);
    expect(() => createInsuranceBackend(config({ adapter: 'nhsa', url: 'http://x', nhsa: { tif: { enabled: true, paasId: 'p', paasToken: null } } }))).toThrow(
      /paasToken/,
    );
  });

  it('rejects a bad insurance section at config load', () => {
    expect(() => config({ adapter: 'soap' })).toThrow(/insurance\/adapter/);
    expect(() => config({ nhsa: { envelope: { mdtrt_area_admvs: '371321' } } })).toThrow(/unknown key "mdtrt_area_admvs"/);
  });
});

describe.each(['nhsa', 'rest'] as const)('kiosk insurance backend over the simulator (%s)', (protocol) => {
  it('looks a person up by ID card, with labels for every 险种', async () => {
    const { backend } = await simulated(protocol);
    const r = await backend.lookupPerson(byCard('employee'));
    expect(r.source).toBe(protocol);
    expect(r.person.name).toBe('张建华');
    expect(r.insurances.map((i) => [i.insutype, i.insutypeName, i.statusName, i.employer])).toEqual([
      ['310', '职工基本医疗保险', '正常参保', '示例县明达机械有限公司'],
      ['510', '生育保险', '正常参保', '示例县明达机械有限公司'],
      ['390', '城乡居民基本医疗保险', '终止参保', null],
    ]);
    if (protocol === 'nhsa') expect(r.payments).toBeNull();
    else {
      expect(r.payments!.length).toBeGreaterThan(36);
      const months = r.payments!.map((m) => m.month);
      expect([...months].sort().reverse()).toEqual(months);
    }
    const s = await backend.lookupPerson(byCard('suspended'));
    expect(s.insurances[0]).toMatchObject({ statusName: '暂停参保', suspendedSince: expect.any(String) });
  });

  it('exchanges an e-voucher QR and looks the person up by its token', async () => {
    const { backend } = await simulated(protocol);
    const voucher = await backend.decodeEVoucher(P('rare-name').qr);
    expect(voucher.userName).toBe('龚䶮');
    const r = await backend.lookupPerson({ kind: 'e-voucher', voucher });
    expect(r.person.certNo).toBe(P('rare-name').person.certNo);
    const bad = await rejection(backend.decodeEVoucher(EXPIRED_QR));
    expect(bad).toMatchObject({ code: 'INSURANCE_EVOUCHER_INVALID', status: 400 });
  });

  it('no record → INSURANCE_NO_RECORD naming the counter', async () => {
    const { backend } = await simulated(protocol);
    const err = await rejection(backend.lookupPerson(byCard('no-record')));
    expect(err).toMatchObject({ code: 'INSURANCE_NO_RECORD', status: 404, message: '未查询到您的参保信息，请到 2 号窗口咨询' });
  });

  it.each<[FaultSpec['kind'], number]>([
    ['timeout', 0],
    ['malformed', 0],
    ['http-500', 0],
  ])('%s on every request → INSURANCE_UNAVAILABLE after one retry', async (kind) => {
    const sim = await simulated(protocol);
    if (protocol === 'nhsa') await sim.backend.lookupPerson(byCard('resident')); // signed in: faults hit 1101
    await sim.reset();
    const before = (await sim.requests())[protocol]!;
    await sim.fault({ kind });
    const err = await rejection(sim.backend.lookupPerson(byCard('employee')));
    expect(err).toMatchObject({ code: 'INSURANCE_UNAVAILABLE', status: 503, message: UNAVAILABLE, details: { op: 'lookup', counter: 2 } });
    expect((await sim.requests())[protocol]! - before).toBe(2);
  });

  it("infcode −1 (or the contract's error) → INSURANCE_QUERY_FAILED, not retried", async () => {
    const sim = await simulated(protocol);
    await sim.fault({ kind: 'infcode-error' });
    const err = await rejection(sim.backend.lookupPerson(byCard('employee')));
    expect(err).toMatchObject({ code: 'INSURANCE_QUERY_FAILED', message: '参保信息查询未成功，请到 2 号窗口办理' });
    expect((await sim.requests())[protocol]).toBe(1);
    expect(sim.backend.health().breaker).toBe('closed');
  });

  it('one transient failure is absorbed by the retry; a slow reply within the timeout is served', async () => {
    const sim = await simulated(protocol);
    await sim.fault({ kind: 'http-500', times: 1 });
    expect((await sim.backend.lookupPerson(byCard('resident'))).person.name).toBe('李秀英');
    await sim.fault({ kind: 'slow', delayMs: 250 });
    expect((await sim.backend.lookupPerson(byCard('resident'))).person.name).toBe('李秀英');
    await sim.fault({ kind: 'slow', delayMs: 6000 });
    expect((await rejection(sim.backend.lookupPerson(byCard('resident')))).code).toBe('INSURANCE_UNAVAILABLE');
  });

  it('the breaker opens after 3 transient failures, fails fast, half-opens after openMs and closes on success', async () => {
    let t = 1_000_000;
    const sim = await simulated(protocol, { now: () => t });
    await sim.fault({ kind: 'http-500' });
    await rejection(sim.backend.lookupPerson(byCard('employee'))); // 2 failures (attempt + retry)
    expect(sim.backend.health().breaker).toBe('closed');
    await rejection(sim.backend.lookupPerson(byCard('employee'))); // 3rd failure opens; no retry into an open breaker
    expect(sim.backend.health()).toMatchObject({ breaker: 'open', lastFailure: 'http' });
    const sent = (await sim.requests())[protocol];
    expect(sent).toBe(3);

    const fast = await rejection(sim.backend.lookupPerson(byCard('employee')));
    expect(fast).toMatchObject({ code: 'INSURANCE_UNAVAILABLE', message: UNAVAILABLE, details: { reason: 'breaker-open' } });
    expect((await sim.requests())[protocol]).toBe(sent); // nothing went out

    t += 10_000;
    expect(sim.backend.health().breaker).toBe('half-open');
    await rejection(sim.backend.lookupPerson(byCard('employee'))); // the one trial fails → open again
    expect((await sim.requests())[protocol]).toBe(sent! + 1);
    expect(sim.backend.health().breaker).toBe('open');

    t += 10_000;
    await sim.fault({ kind: 'slow', delayMs: 200 });
    const [trial, other] = await Promise.allSettled([sim.backend.lookupPerson(byCard('employee')), sim.backend.lookupPerson(byCard('resident'))]);
    expect(trial.status).toBe('fulfilled');
    expect(other.status === 'rejected' && (other.reason as KioskError).details.reason).toBe('breaker-open');
    expect(sim.backend.health()).toMatchObject({ breaker: 'closed', lastFailure: null });
    expect((await sim.backend.lookupPerson(byCard('resident'))).person.name).toBe('李秀英');
  });

  it('dictionaries come from the backend, with the built-in tables when it is down', async () => {
    const sim = await simulated(protocol);
    const types = await sim.backend.dictionary('psn_type');
    expect(types.map((e) => e.value)).toContain('1101');
    const r = await sim.backend.lookupPerson(byCard('employee'));
    expect(r.insurances[0]!.personTypeName).toBe('在职职工（模拟）');
    await sim.fault({ kind: 'http-500' });
    const fallback = await sim.backend.dictionary('insutype');
    expect(fallback).toContainEqual({ value: '390', label: '城乡居民基本医疗保险' });
    expect((await rejection(sim.backend.dictionary('psn_type'))).code).toBe('INSURANCE_UNAVAILABLE');
  });
});

describe('e-voucher not configured', () => {
  it('nhsa without a decode service → INSURANCE_EVOUCHER_UNSUPPORTED without any request', async () => {
    const b = createInsuranceBackend(config({ adapter: 'nhsa', url: 'http://127.0.0.1:9/fsi' }))!;
    open.push(b);
    expect(await rejection(b.decodeEVoucher('anything'))).toMatchObject({ code: 'INSURANCE_EVOUCHER_UNSUPPORTED', status: 503 });
  });

  it('an unreachable backend ends on the counter message, never a blank error', async () => {
    const b = createInsuranceBackend(config({ adapter: 'rest', url: 'http://127.0.0.1:9/api' }))!;
    open.push(b);
    const err = await rejection(b.lookupPerson(byCard('employee')));
    expect(err).toMatchObject({ code: 'INSURANCE_UNAVAILABLE', message: UNAVAILABLE, details: { reason: 'network' } });
  });
});

describe('privacy', () => {
  it('nothing personal reaches the logger or an error, across successes, answers and every fault', async () => {
    const { logger, lines } = capturingLogger();
    const errors: KioskError[] = [];
    const keep = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (err) {
        if (isKioskError(err)) errors.push(err);
        else throw err;
      }
    };
    for (const protocol of ['nhsa', 'rest'] as const) {
      let t = 0;
      const sim = await simulated(protocol, { logger, now: () => (t += 1) });
      for (const p of people) {
        await keep(sim.backend.lookupPerson({ kind: 'id-card', idNumber: p.person.certNo, name: p.person.name }));
        await keep(sim.backend.decodeEVoucher(p.qr).then((voucher) => sim.backend.lookupPerson({ kind: 'e-voucher', voucher })));
      }
      await keep(sim.backend.decodeEVoucher(EXPIRED_QR));
      for (const kind of ['timeout', 'infcode-error', 'malformed', 'http-500'] as const) {
        await sim.reset();
        await sim.fault({ kind, target: 'all', times: 1 });
        await keep(sim.backend.lookupPerson(byCard('rare-name-b')));
        await sim.fault({ kind, target: 'all', times: 1 });
        await keep(sim.backend.decodeEVoucher(P('rare-name').qr));
      }
    }
    const text = JSON.stringify(lines) + JSON.stringify(errors.map((e) => ({ m: e.message, d: e.details })));
    expect(lines.length).toBeGreaterThan(40);
    expect(errors.length).toBeGreaterThan(5);
    expect(text).toContain('"outcome":"ok"');
    expect(text).toContain('"outcome":"timeout"');
    const secrets = people.flatMap((p) => [
      p.person.name,
      p.person.certNo,
      p.person.certNo.slice(6, 14), // birth date digits
      p.qr,
      p.ecToken,
      ...(p.insurances ?? []).flatMap((i) => (i.employer ? [i.employer] : [])),
    ]);
    secrets.push(EXPIRED_QR, '䶮', '𠈌', '未查询到该人员', '系统异常');
    for (const s of secrets) expect(text.includes(s), `log mentions ${JSON.stringify(s.slice(0, 2))}…`).toBe(false);
  });
});
