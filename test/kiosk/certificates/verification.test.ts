import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import {
  CODE_ALPHABET,
  CertificateVerification,
  buildCertificate,
  canonicalContent,
  contentHash,
  formatVerificationCode,
  newVerificationCode,
  parseVerificationCode,
} from '../../../kiosk/certificates/index.ts';
import { openDatabase, type Db } from '../../../kiosk/store/database.ts';
import { EMPLOYEE, ISSUED_AT } from './fixtures.ts';
import { tempDir } from './helpers.ts';

const DAY = 86_400_000;
const config = loadConfig();
let dir: string;
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function open(): { db: Db; now: { t: number }; v: CertificateVerification } {
  db = openDatabase(join(dir, 'kiosk.db'));
  const now = { t: ISSUED_AT };
  return { db, now, v: new CertificateVerification(db, config, () => now.t) };
}

describe('验证码', () => {
  it('uses 12 characters from a 30-character alphabet without 0 O 1 I L, grouped 4-4-4', () => {
    expect(CODE_ALPHABET).toHaveLength(30);
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    for (let i = 0; i < 200; i++) {
      const c = newVerificationCode();
      expect(c).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{12}$/);
      expect(parseVerificationCode(c)).toEqual({ ok: true, code: c });
      expect(formatVerificationCode(c)).toMatch(/^.{4}-.{4}-.{4}$/);
    }
  });

  it('accepts lower case, spaces and dashes; tells a typo from an unknown code', () => {
    const c = newVerificationCode();
    expect(parseVerificationCode(` ${formatVerificationCode(c).toLowerCase()} `)).toEqual({ ok: true, code: c });
    const swapped = c.slice(0, 3) + (c[3] === 'A' ? 'B' : 'A') + c.slice(4);
    expect(parseVerificationCode(swapped)).toEqual({ ok: false, reason: 'check', code: swapped });
    expect(parseVerificationCode(c.slice(0, 11) + '0')).toEqual({ ok: false, reason: 'character' });
    expect(parseVerificationCode(c.slice(0, 10))).toEqual({ ok: false, reason: 'length' });
  });

  it('catches every single wrong character and every swap of two neighbours (ISO/IEC 7064 MOD 31,30)', () => {
    let seed = 7;
    const random = (max: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % max;
    const missed: string[] = [];
    for (let n = 0; n < 40; n++) {
      const c = newVerificationCode(random);
      for (let i = 0; i < c.length; i++) {
        for (const x of CODE_ALPHABET) {
          const typo = c.slice(0, i) + x + c.slice(i + 1);
          if (x !== c[i] && parseVerificationCode(typo).ok) missed.push(`${c} → ${typo}`);
        }
        const swap = c.slice(0, i) + c[i + 1] + c[i] + c.slice(i + 2);
        if (i < c.length - 1 && c[i] !== c[i + 1] && parseVerificationCode(swap).ok) missed.push(`${c} → ${swap}`);
      }
    }
    expect(missed).toEqual([]);
  });
});

/** The check character of certificates printed by 0.1.0: a weighted sum mod 30 (the bytes on their paper). */
function legacyCode(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += CODE_ALPHABET.indexOf(body[i] as string) * (i + 1);
  return body + CODE_ALPHABET[sum % 30];
}

describe('verification records', () => {
  it('still verifies a certificate printed with the earlier check character, and still calls its typos typos', () => {
    dir = tempDir();
    const { v } = open();
    const code = ['K7QM3XRDW9H', 'ABCDEFGHJKM', '23456789ABC'].map(legacyCode).find((c) => !parseVerificationCode(c).ok)!;
    expect(parseVerificationCode(code)).toMatchObject({ ok: false, reason: 'check' });
    const cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 12, code });
    v.record(cert);
    expect(v.verify(formatVerificationCode(code).toLowerCase())).toMatchObject({ status: 'valid', summary: { code: cert.codeText } });
    expect(v.checkContent(code, { contentHash: contentHash(canonicalContent(cert)) })).toMatchObject({ status: 'match' });
    const typo = code.slice(0, 5) + (code[5] === 'A' ? 'B' : 'A') + code.slice(6);
    expect(v.verify(typo)).toEqual({ status: 'malformed', reason: 'check' });
  });

  it('valid, then expired after validityDays; unknown and malformed codes are told apart', () => {
    dir = tempDir();
    const { now, v } = open();
    const cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 12 });
    v.record(cert);
    const summary = {
      code: cert.codeText,
      kind: 'proof',
      maskedName: '张**',
      issuer: '示例县医疗保障事业管理中心',
      issuedAt: ISSUED_AT,
      expiresAt: ISSUED_AT + 90 * DAY,
    };
    expect(v.verify(cert.codeText.toLowerCase())).toEqual({ status: 'valid', summary });
    now.t = ISSUED_AT + 90 * DAY + 1;
    expect(v.verify(cert.code)).toEqual({ status: 'expired', summary });
    expect(v.verify(newVerificationCode())).toEqual({ status: 'unknown' });
    expect(v.verify('ABCD')).toEqual({ status: 'malformed', reason: 'length' });
  });

  it('content check: the printed content matches, a changed figure or retyped field does not (tampered)', () => {
    dir = tempDir();
    const { v } = open();
    const cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 6 });
    const hash = v.record(cert);
    expect(hash).toBe(contentHash(canonicalContent(cert)));
    expect(v.checkContent(cert.code, { contentHash: hash })).toMatchObject({ status: 'match', expired: false });
    expect(v.checkContent(cert.code, { content: canonicalContent(cert) })).toMatchObject({ status: 'match' });

    // Someone edits one amount in the payment table.
    const forged = canonicalContent(cert);
    const table = forged.sections.find(([title]) => title.startsWith('缴费明细')) as (typeof forged.sections)[number];
    (table[1][1] as string[])[4] = '1004.69';
    expect(v.checkContent(cert.code, { content: forged })).toMatchObject({ status: 'mismatch' });
    expect(v.checkContent(cert.code, { contentHash: '0'.repeat(64) })).toMatchObject({ status: 'mismatch' });
    expect(v.checkContent(cert.code, { contentHash: 'not-a-hash' })).toMatchObject({ status: 'mismatch' });

    // A clerk retypes name, ID number and print time from the paper.
    const fields = { name: '张晓明', certNo: '37132119850612301x', issuedAt: '2025-03-14 09:26:53' };
    expect(v.checkContent(formatVerificationCode(cert.code), { fields })).toMatchObject({ status: 'match' });
    expect(v.checkContent(cert.code, { fields: { ...fields, name: '张晓鸣' } })).toMatchObject({ status: 'mismatch' });
    expect(v.checkContent(cert.code, { fields: { ...fields, issuedAt: '2025-03-15 09:26:53' } })).toMatchObject({ status: 'mismatch' });
    expect(v.checkContent(newVerificationCode(), { contentHash: hash })).toEqual({ status: 'unknown' });
  });

  it('survives a restart and keeps no name or ID number in the database files', () => {
    dir = tempDir();
    const first = open();
    const cert = buildCertificate({ kind: 'transfer-voucher', data: EMPLOYEE, config, issuedAt: ISSUED_AT });
    first.v.record(cert);
    first.v.record(cert); // a reprint records nothing new
    first.db.close();
    db = null;
    const second = open();
    expect(second.v.verify(cert.code)).toMatchObject({ status: 'valid', summary: { kind: 'transfer-voucher', maskedName: '张**' } });
    second.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      for (const secret of ['张晓明', '37132119850612301X', '19850612']) expect(bytes.includes(Buffer.from(secret)), `${f} contains ${secret}`).toBe(false);
    }
  });

  it('purge deletes records expired longer than keepExpiredDays, and only those', () => {
    dir = tempDir();
    const { db, v } = open();
    const old = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT });
    const recent = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT + 20 * DAY });
    v.record(old);
    v.record(recent);
    // old expires at +90 d, kept until +120 d (keepExpiredDays 30); recent expires at +110 d.
    expect(v.purge(ISSUED_AT + 120 * DAY)).toBe(0);
    expect(v.purge(ISSUED_AT + 121 * DAY)).toBe(1);
    const codes = (db.prepare('SELECT code FROM certificate_verifications').all() as { code: string }[]).map((r) => r.code);
    expect(codes).toEqual([recent.code]);
    expect(v.verify(old.code)).toEqual({ status: 'unknown' });
    expect(v.purge(ISSUED_AT + 141 * DAY)).toBe(1);
  });
});
