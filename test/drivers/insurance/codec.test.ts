import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  build1101Input,
  build1901Input,
  build9001Input,
  buildDecodeRequest,
  buildRequest,
  DEFAULT_INSU_STATUS_CODES,
  formatInfTime,
  formatMsgid,
  INF_TIME_PATTERN,
  isNotFoundMessage,
  MSGID_PATTERN,
  normaliseDay,
  parse1101,
  parse1901,
  parseDecodeResponse,
  parseResponse,
  parseSignIn,
  tifHeaders,
  tifSignature,
  type NhsaFixedFields,
} from '../../../drivers/insurance/index.ts';
import { validateIdNumber } from '../../../drivers/idcard/id-number.ts';
import { samplePeople } from '../../../drivers/insurance/sample-people.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const fixtureJson = (name: string) => JSON.parse(fixture(name)) as unknown;

const fixed: NhsaFixedFields = {
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
// 2025-03-14 09:30:05 in Asia/Shanghai
const at = new Date('2025-03-14T01:30:05Z');
const TZ = 'Asia/Shanghai';
const SIGN_NO = 'SIM0123456789abcdef01234567';

describe('nhsa envelope: ids and times', () => {
  it('msgid is fixmedins_code(12) + yyyyMMddHHmmss(14) + sequence(4) in the hall time zone', () => {
    const id = formatMsgid('H37132100001', at, 7, TZ);
    expect(id).toBe('H37132100001202503140930050007');
    expect(id).toHaveLength(30);
    expect(id).toMatch(MSGID_PATTERN);
    expect(formatMsgid('H37132100001', at, 10_003, TZ).slice(-4)).toBe('0003');
    // Midnight crossing: 16:00 UTC is the next day in Shanghai.
    expect(formatMsgid('H37132100001', new Date('2025-03-14T16:00:00Z'), 1, TZ).slice(12, 26)).toBe('20250315000000');
  });

  it('inf_time is 19 characters yyyy-MM-dd HH:mm:ss', () => {
    const t = formatInfTime(at, TZ);
    expect(t).toBe('2025-03-14 09:30:05');
    expect(t).toHaveLength(19);
    expect(t).toMatch(INF_TIME_PATTERN);
  });
});

describe('nhsa envelope: requests match the reference field lists', () => {
  it('9001 sign-in', () => {
    const req = buildRequest('9001', build9001Input({ ip: '127.0.0.1', mac: '00-00-00-00-00-00', opter_no: 'KIOSK-01' }), {
      fixed,
      signNo: '',
      at,
      sequence: 7,
      timeZone: TZ,
    });
    expect(JSON.parse(JSON.stringify(req))).toEqual(fixtureJson('9001-request.json'));
    expect(req.opter_type).toBe('2');
    expect(Object.keys(req)).toContain('mdtrtarea_admvs');
    expect(Object.keys(req)).not.toContain('mdtrt_area_admvs');
  });

  it('1101 by ID card: mdtrt_cert_type 02 with the number', () => {
    const req = buildRequest('1101', build1101Input({ kind: 'id-card', idNumber: '371321197804120310' }, '01'), {
      fixed,
      signNo: SIGN_NO,
      at,
      sequence: 8,
      timeZone: TZ,
    });
    expect(JSON.parse(JSON.stringify(req))).toEqual(fixtureJson('1101-request-idcard.json'));
  });

  it('1101 by e-voucher: mdtrt_cert_type 01 with the ecToken and the decoded identity', () => {
    const voucher = { ecToken: '371300ec6063c11142a0f941b637ae44f44277', idNo: '371321199006300551', idType: '01', userName: '龚䶮', insuOrg: '371300' };
    const req = buildRequest('1101', build1101Input({ kind: 'e-voucher', voucher }, '01'), { fixed, signNo: SIGN_NO, at, sequence: 9, timeZone: TZ });
    expect(JSON.parse(JSON.stringify(req))).toEqual(fixtureJson('1101-request-evoucher.json'));
  });

  it('1901 dictionary query', () => {
    expect(build1901Input('insutype', '371321', '20250314')).toEqual({
      data: { type: 'insutype', parentValue: '', admdvs: '371321', date: '20250314', valiFlag: '1' },
    });
  });

  it('e-voucher decode request with deviceType SelfService and the configured QR field', () => {
    const req = buildDecodeRequest('SIMEC19CljIxL4qPYR7QQ8w3El7mNIrnulWda-yJ7DazW5t7', {
      transType: 'ec.query',
      orgId: 'H37132100001',
      businessType: '01101',
      operatorId: 'KIOSK-01',
      operatorName: '自助终端01',
      officeId: '',
      officeName: '',
      qrField: 'qrCode',
    });
    expect(req).toEqual(fixtureJson('decode-request.json'));
    const other = buildDecodeRequest('X', {
      transType: 'cn.nhsa.qrcode.get',
      orgId: 'o',
      businessType: '01301',
      operatorId: '',
      operatorName: '',
      officeId: '',
      officeName: '',
      qrField: 'ecQrCode',
    });
    expect(other).toMatchObject({ transType: 'cn.nhsa.qrcode.get', data: { ecQrCode: 'X', deviceType: 'SelfService' } });
  });
});

describe('nhsa envelope: responses', () => {
  it('9001 yields output.signinoutb.sign_no', () => {
    const env = parseResponse(fixture('9001-response.json'));
    expect(env.ok && env.value.infcode).toBe(0);
    if (!env.ok) throw new Error('parse failed');
    expect(parseSignIn(env.value.output)).toEqual({ ok: true, value: SIGN_NO });
  });

  it('1101 maps baseinfo and every insuinfo row (dates normalised, statuses by code)', () => {
    const env = parseResponse(fixture('1101-response.json'));
    if (!env.ok) throw new Error('parse failed');
    const r = parse1101(env.value.output, DEFAULT_INSU_STATUS_CODES);
    expect(r.ok).toBe(true);
    if (!r.ok || !r.value.found) throw new Error('expected a person');
    const v = r.value.value;
    expect(v.person).toEqual({ name: '张建华', certType: '01', certNo: '371321197804120310', gender: 'male', birthDate: '1978-04-12', nationCode: '01' });
    expect(v.payments).toBeNull();
    expect(v.insurances).toEqual([
      {
        insutype: '310',
        status: 'active',
        statusCode: '1',
        personType: '1101',
        insuredSince: '2009-07-01',
        suspendedSince: null,
        employer: '示例县明达机械有限公司',
        regionCode: '371300',
        civilServant: false,
      },
      {
        insutype: '510',
        status: 'active',
        statusCode: '1',
        personType: '1101',
        insuredSince: '2009-07-01',
        suspendedSince: null,
        employer: '示例县明达机械有限公司',
        regionCode: '371300',
        civilServant: false,
      },
      {
        insutype: '390',
        status: 'terminated',
        statusCode: '4',
        personType: '1501',
        insuredSince: '2006-01-01',
        suspendedSince: '2009-06-30',
        employer: null,
        regionCode: '371300',
        civilServant: false,
      },
    ]);
  });

  it('1101 accepts insuinfo as one object with insu_admdvs (HN-YBJ-SDK sample) and a string infcode', () => {
    const env = parseResponse(fixture('1101-response-hn-object.json'));
    if (!env.ok) throw new Error('parse failed');
    expect(env.value.infcode).toBe(0);
    const r = parse1101(env.value.output, DEFAULT_INSU_STATUS_CODES);
    if (!r.ok || !r.value.found) throw new Error('expected a person');
    expect(r.value.value.person.name).toBe('陈𠈌');
    expect(r.value.value.insurances).toEqual([
      expect.objectContaining({ insutype: '390', status: 'suspended', suspendedSince: '2024-12-01', regionCode: '430100' }),
    ]);
  });

  it('a local status code outside the table is "unknown" unless configured (3 = 终止 in some systems)', () => {
    const out = { baseinfo: { psn_name: '甲', certno: '1' }, insuinfo: [{ insutype: '310', psn_insu_stas: '3' }] };
    const plain = parse1101(out, DEFAULT_INSU_STATUS_CODES);
    const local = parse1101(out, { ...DEFAULT_INSU_STATUS_CODES, '3': 'terminated' });
    expect(plain.ok && plain.value.found && plain.value.value.insurances[0]?.status).toBe('unknown');
    expect(local.ok && local.value.found && local.value.value.insurances[0]?.status).toBe('terminated');
  });

  it('infcode −1 carries err_msg; configured fragments tell "no record" from other failures', () => {
    const env = parseResponse(fixture('1101-response-error.json'));
    if (!env.ok) throw new Error('parse failed');
    expect(env.value.infcode).toBe(-1);
    expect(isNotFoundMessage(env.value.err_msg, ['未查询到'])).toBe(true);
    expect(isNotFoundMessage(env.value.err_msg, ['不存在'])).toBe(false);
    expect(isNotFoundMessage(null, ['未查询到'])).toBe(false);
  });

  it('1901 yields value/label entries', () => {
    const env = parseResponse(fixture('1901-response.json'));
    if (!env.ok) throw new Error('parse failed');
    expect(parse1901(env.value.output)).toEqual({
      ok: true,
      value: [
        { value: '310', label: '职工基本医疗保险' },
        { value: '390', label: '城乡居民基本医疗保险' },
        { value: '510', label: '生育保险' },
      ],
    });
    expect(parse1901([{ value: '1', label: 'a' }]).ok).toBe(true);
    expect(parse1901({ data: [{ value: '1', label: 'a' }] }).ok).toBe(true);
  });

  it('decode reply: data is a JSON string holding ecToken, idNo, idType, userName, insuOrg', () => {
    expect(parseDecodeResponse(fixture('decode-response.json'))).toEqual({
      ok: true,
      value: {
        valid: true,
        value: { ecToken: '371300ec6063c11142a0f941b637ae44f44277', idNo: '371321199006300551', idType: '01', userName: '龚䶮', insuOrg: '371300' },
      },
    });
    expect(parseDecodeResponse(fixture('decode-response-expired.json'))).toEqual({ ok: true, value: { valid: false, code: '2001' } });
  });
});

describe('codec never throws on bad input', () => {
  const junk: string[] = ['', ' ', 'null', '[]', '"x"', '{', '{"infcode":"zero"}', '{"output":{}}', '<html>502</html>', '{"infcode":0,"output":{"baseinfo":'];
  it.each(junk)('parseResponse(%j) → malformed', (text) => {
    const r = parseResponse(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('malformed');
  });

  it('1101 output problems name the field, never the value', () => {
    const cases: [unknown, string][] = [
      [[], 'output is not an object'],
      [{ baseinfo: 'x' }, 'output.baseinfo is not an object'],
      [{ baseinfo: { certno: '371321197804120310' } }, 'output.baseinfo.psn_name missing'],
      [{ baseinfo: { psn_name: '张建华' } }, 'output.baseinfo.certno missing'],
      [{ baseinfo: { psn_name: '张建华', certno: '1' }, insuinfo: [1] }, 'output.insuinfo[0] is not an object'],
      [{ baseinfo: { psn_name: '张建华', certno: '1' }, insuinfo: [{}] }, 'output.insuinfo[0].insutype missing'],
      [{ baseinfo: { psn_name: '张建华', certno: '1' }, insuinfo: 'x' }, 'output.insuinfo[0] is not an object'],
    ];
    for (const [output, reason] of cases) {
      const r = parse1101(output, DEFAULT_INSU_STATUS_CODES);
      expect(r).toEqual({ ok: false, error: { kind: 'malformed', reason } });
      expect(reason).not.toContain('张建华');
    }
  });

  it('an empty answer is "no record", not an error', () => {
    for (const output of [null, undefined, '', {}, { baseinfo: null }, { baseinfo: { psn_name: '', certno: '' } }]) {
      expect(parse1101(output, DEFAULT_INSU_STATUS_CODES)).toEqual({ ok: true, value: { found: false } });
    }
  });

  it('sign-in, dictionary and decode parsers reject bad shapes', () => {
    expect(parseSignIn({}).ok).toBe(false);
    expect(parseSignIn({ signinoutb: { sign_no: '' } }).ok).toBe(false);
    expect(parse1901({ list: [{ value: '310' }] }).ok).toBe(false);
    expect(parse1901('x').ok).toBe(false);
    for (const t of ['', '{', '{"code":0}', '{"code":0,"data":"{"}', '{"code":0,"data":{"ecToken":"t"}}', '{"data":{}}']) {
      expect(parseDecodeResponse(t).ok).toBe(false);
    }
  });

  it('normaliseDay accepts the three date forms seen and rejects impossible dates', () => {
    expect(normaliseDay('2009-07-01')).toBe('2009-07-01');
    expect(normaliseDay('2009-07-01 00:00:00')).toBe('2009-07-01');
    expect(normaliseDay('20090701')).toBe('2009-07-01');
    expect(normaliseDay('2009-02-30')).toBeNull();
    expect(normaliseDay('')).toBeNull();
    expect(normaliseDay(12)).toBeNull();
  });
});

describe('x-tif gateway headers', () => {
  it('signature is SHA-256 of timestamp + paasToken + nonce + timestamp', () => {
    // sha256("1741915805" + "token-abc" + "n0nce" + "1741915805"), computed independently with sha256sum.
    expect(tifSignature('1741915805', 'token-abc', 'n0nce')).toBe('6b56a89ea12a7a3a66bd3f8d471a01a4be68d98ae3f7306d6fa677c3577c6124');
    const h = tifHeaders('paas-1', 'token-abc', at, 'n0nce');
    expect(h).toEqual({
      'x-tif-paasid': 'paas-1',
      'x-tif-timestamp': '1741915805',
      'x-tif-nonce': 'n0nce',
      'x-tif-signature': tifSignature('1741915805', 'token-abc', 'n0nce'),
    });
  });
});

describe('synthetic people', () => {
  it('every ID number has a valid GB 11643 check character and the right sex digit', () => {
    const people = samplePeople(at);
    expect(people.length).toBeGreaterThanOrEqual(7);
    for (const p of people) {
      const v = validateIdNumber(p.person.certNo, at);
      expect(v.ok, p.key).toBe(true);
      if (v.ok) {
        expect(v.sex).toBe(p.person.gender);
        expect(v.birthDate).toBe(p.person.birthDate);
      }
    }
    expect(new Set(people.map((p) => p.qr)).size).toBe(people.length);
  });
});
