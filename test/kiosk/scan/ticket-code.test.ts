import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { codeUrl, extractCode, signAppointmentCode, signTicketCode, verifyCode } from '../../../kiosk/scan/ticket-code.ts';

const KEY = 'test-key-0123456789abcdef';
const OTHER_KEY = 'another-key-0123456789abcdef';
const ticket = { hallCode: '3301', day: '2025-03-14', ticketNo: 'A023', ticketId: '01JP6Z5K3Q8W' };

describe('signed ticket and appointment codes', () => {
  it('signs a ticket in the documented compact shape and verifies it', async () => {
    const code = signTicketCode(ticket, KEY);
    expect(code).toMatch(/^HK1\.T\.3301~20250314~A023~01JP6Z5K3Q8W\.[A-Za-z0-9_-]{16}$/);
    // The signature is HMAC-SHA256 over the text before the last dot, truncated to 12 bytes.
    const body = code.slice(0, code.lastIndexOf('.'));
    const expected = createHmac('sha256', KEY).update(body).digest().subarray(0, 12).toString('base64url');
    expect(code.endsWith(`.${expected}`)).toBe(true);
    expect(verifyCode(code, KEY)).toEqual({ ok: true, code: { type: 'ticket', ...ticket } });
  });

  it('signs and verifies appointments', async () => {
    const code = signAppointmentCode({ hallCode: '3301', appointmentId: 'apt_42', day: '2025-03-20' }, KEY);
    expect(code.startsWith('HK1.A.3301~20250320~apt_42.')).toBe(true);
    expect(verifyCode(code, KEY)).toEqual({
      ok: true,
      code: { type: 'appointment', hallCode: '3301', appointmentId: 'apt_42', day: '2025-03-20' },
    });
  });

  it('stays short enough for a small QR even with a UUID id', async () => {
    const code = signTicketCode({ ...ticket, ticketId: '3f2b8c1e-6a0d-4e7b-9c55-0a1b2c3d4e5f' }, KEY);
    expect(code.length).toBeLessThanOrEqual(80);
  });

  it('rejects every single-character tampering', async () => {
    const code = signTicketCode(ticket, KEY);
    const alphabet = 'AB09~._-xz';
    for (let i = 0; i < code.length; i++) {
      for (const ch of alphabet) {
        if (code[i] === ch) continue;
        const tampered = code.slice(0, i) + ch + code.slice(i + 1);
        const result = verifyCode(tampered, KEY);
        expect(result.ok, tampered).toBe(false);
      }
    }
    expect(verifyCode(code.replace('A023', 'A001'), KEY)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects forgeries signed with another key and codes of another hall', async () => {
    const forged = signTicketCode(ticket, OTHER_KEY);
    expect(verifyCode(forged, KEY)).toMatchObject({ ok: false, reason: 'bad-signature', message: expect.stringContaining('篡改') });
    const code = signTicketCode(ticket, KEY);
    expect(verifyCode(code, KEY, { hallCode: '3302' })).toMatchObject({ ok: false, reason: 'wrong-hall', message: '该二维码不属于本服务大厅' });
    expect(verifyCode(code, KEY, { hallCode: '3301' }).ok).toBe(true);
  });

  it('does not let a ticket signature pass as an appointment', async () => {
    const code = signTicketCode(ticket, KEY);
    expect(verifyCode(code.replace('HK1.T.', 'HK1.A.'), KEY)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('gives clear reasons for unknown and malformed input', async () => {
    expect(verifyCode('6901234567892', KEY)).toMatchObject({ reason: 'not-a-code' });
    expect(verifyCode('HK2.T.x.y', KEY)).toMatchObject({ reason: 'unsupported-version' });
    expect(verifyCode('HK1.Z.3301~20250314.AAAAAAAAAAAAAAAA', KEY)).toMatchObject({ reason: 'unknown-type' });
    expect(verifyCode('HK1.T.3301', KEY)).toMatchObject({ reason: 'malformed' });
    expect(verifyCode('HK1.T.3301~20250314~A1~x.short', KEY)).toMatchObject({ reason: 'malformed' });
  });

  it('accepts rotated keys: the old key still verifies, the first key signs', async () => {
    const old = signTicketCode(ticket, OTHER_KEY);
    expect(verifyCode(old, [KEY, OTHER_KEY]).ok).toBe(true);
    expect(signTicketCode(ticket, [KEY, OTHER_KEY])).toBe(signTicketCode(ticket, KEY));
  });

  it('verifies the URL form published for phones', async () => {
    const code = signTicketCode(ticket, KEY);
    const url = codeUrl('https://example/t', code);
    expect(url).toBe(`https://example/t?c=${code}`);
    expect(verifyCode(url, KEY)).toMatchObject({ ok: true, code: { ticketNo: 'A023' } });
    expect(codeUrl('https://hall.example/q?lang=zh', code)).toBe(`https://hall.example/q?lang=zh&c=${code}`);
    expect(verifyCode(`https://example/t?c=${encodeURIComponent(code)}`, KEY).ok).toBe(true);
    expect(extractCode('https://example/t?x=1')).toBe('');
    expect(verifyCode('https://example/t?x=1', KEY)).toMatchObject({ reason: 'not-a-code' });
  });

  it('refuses bad fields and weak keys when signing', async () => {
    expect(() => signTicketCode({ ...ticket, day: '2025-02-30' }, KEY)).toThrow(TypeError);
    expect(() => signTicketCode({ ...ticket, ticketNo: 'A~1' }, KEY)).toThrow(TypeError);
    expect(() => signTicketCode({ ...ticket, hallCode: 'a.b' }, KEY)).toThrow(TypeError);
    expect(() => signTicketCode(ticket, 'short')).toThrow(TypeError);
    expect(() => signTicketCode(ticket, [])).toThrow(TypeError);
  });
});
