import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCertificate, canonicalContent, contentHash, type CertificateDocument } from '../../kiosk/certificates/model.ts';
import { VERIFY_RATE_LIMIT } from '../../server/routes/verify.ts';
import { EMPLOYEE } from '../kiosk/certificates/fixtures.ts';
import { makeServer, type TestServer } from '../helpers/server.ts';

// The public verification routes over real HTTP, from a LAN client with no credential.
let s: TestServer;
let base: string;
let cert: CertificateDocument;
let old: CertificateDocument;

beforeAll(async () => {
  s = await makeServer();
  base = await s.app.listen({ host: '127.0.0.1', port: 0 });
  const config = s.kiosk.config;
  cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: s.clock(), paymentMonths: 12 });
  // Issued just over the validity ago: expired, but kept for keepExpiredDays.
  old = buildCertificate({ kind: 'transfer-voucher', data: EMPLOYEE, config, issuedAt: s.clock() - (config.certificate.validityDays * 86_400_000 + 60_000) });
  s.kiosk.verification.record(cert);
  s.kiosk.verification.record(old);
});
afterAll(async () => {
  await s?.close();
});

let lan = 0;
async function call(method: string, path: string, body?: unknown, address = `10.40.0.${++lan}`) {
  // A relay header makes the request a LAN one (the loopback rule would otherwise apply); the
  // daemon's trustProxy is off, so the rate limit keys on the socket address: see the limit test.
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-forwarded-for': address, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the replies are checked field by field below
  return { status: res.status, json: (await res.json()) as Record<string, any>, headers: res.headers };
}

describe('GET /api/v1/verify/:code (public)', () => {
  it('valid: the masked summary, no name or ID number; dashes and lower case accepted', async () => {
    const r = await call('GET', `/api/v1/verify/${cert.codeText.toLowerCase()}`);
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('valid');
    expect(r.json.message).toBe('证明真实有效');
    expect(r.json.summary).toMatchObject({
      codeText: cert.codeText,
      kind: 'proof',
      kindName: '个人参保证明',
      maskedName: cert.maskedName,
      issuer: cert.issuerName,
    });
    const raw = JSON.stringify(r.json);
    expect(raw).not.toContain(EMPLOYEE.baseinfo.psn_name);
    expect(raw).not.toContain(EMPLOYEE.baseinfo.certno);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('expired after the validity', async () => {
    const r = await call('GET', `/api/v1/verify/${old.code}`);
    expect(r.json.status).toBe('expired');
    expect(r.json.summary.kind).toBe('transfer-voucher');
  });

  it('unknown for a well-formed code never issued; malformed for a typo', async () => {
    const other = buildCertificate({ kind: 'proof', data: EMPLOYEE, config: s.kiosk.config, issuedAt: s.clock() });
    const unknown = await call('GET', `/api/v1/verify/${other.code}`);
    expect(unknown.json).toEqual({ status: 'unknown', message: '查无此证明，请核对验证码', summary: null });
    const typo = cert.code.slice(0, 11) + (cert.code[11] === '2' ? '3' : '2');
    expect((await call('GET', `/api/v1/verify/${typo}`)).json.status).toBe('malformed');
    expect((await call('GET', '/api/v1/verify/abc%3Cscript%3E')).status).toBe(400);
  });
});

describe('POST /api/v1/verify/:code/content', () => {
  it('match for the issued content hash and the retyped fields; mismatch when tampered', async () => {
    const hash = contentHash(canonicalContent(cert));
    expect((await call('POST', `/api/v1/verify/${cert.code}/content`, { contentHash: hash })).json.status).toBe('match');
    const fields = { name: cert.printedName, certNo: cert.printedCertNo, issuedAt: cert.issuedAtText };
    expect((await call('POST', `/api/v1/verify/${cert.code}/content`, { fields })).json.status).toBe('match');

    // Tampered: one payment figure changed on the paper gives another content hash; a changed ID number fails the retyped check.
    const tampered = JSON.parse(JSON.stringify(canonicalContent(cert))) as ReturnType<typeof canonicalContent>;
    const table = tampered.sections.find(([title]) => title.startsWith('缴费明细'))!;
    (table[1][1] as string[])[4] = '9999.00';
    const r = await call('POST', `/api/v1/verify/${cert.code}/content`, { contentHash: contentHash(tampered) });
    expect(r.json.status).toBe('mismatch');
    expect(r.json.message).toContain('篡改');
    const digit = fields.certNo[10] === '9' ? '0' : String(Number(fields.certNo[10]) + 1);
    const wrongId = { ...fields, certNo: fields.certNo.slice(0, 10) + digit + fields.certNo.slice(11) };
    expect(wrongId.certNo).not.toBe(fields.certNo);
    expect((await call('POST', `/api/v1/verify/${cert.code}/content`, { fields: wrongId })).json.status).toBe('mismatch');
    expect((await call('POST', `/api/v1/verify/${old.code}/content`, { contentHash: contentHash(canonicalContent(old)) })).json).toMatchObject({
      status: 'match',
      expired: true,
    });
  });
});

describe('rate limit and page', () => {
  it(`refuses more than ${VERIFY_RATE_LIMIT.max} requests a minute from one address (429)`, async () => {
    // Every request here comes from 127.0.0.1 over the socket (the bucket key), whatever the relay header says.
    const fresh = await makeServer();
    const url = await fresh.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < VERIFY_RATE_LIMIT.max + 3; i++) statuses.push((await fetch(`${url}/api/v1/verify/${cert.code}`)).status);
      expect(statuses.slice(0, VERIFY_RATE_LIMIT.max).every((x) => x === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await fresh.close();
    }
  });

  it('/verify/<code> answers without a credential (the page, or a hint when the UI is not built)', async () => {
    const res = await fetch(`${base}/verify/${cert.code}`, { headers: { 'x-forwarded-for': '10.40.9.9' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/(html|plain)/);
  });
});
