import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../../kiosk/scan/classify.ts';
import { OpaquePayload } from '../../../kiosk/scan/opaque-payload.ts';
import { codeUrl, signAppointmentCode, signTicketCode } from '../../../kiosk/scan/ticket-code.ts';

const KEY = 'test-key-0123456789abcdef';
const ticket = { hallCode: '3301', day: '2025-03-14', ticketNo: 'A023', ticketId: 't123' };
// An opaque token standing in for a 医保电子凭证 QR: §3.4 documents no payload format, so this is
// only a plausible-looking token, not a real voucher.
const VOUCHER_LIKE = 'Zk3Jq9XbT2mL8vR4sN6wP1yC5hD7gF0aE3uI9oK2';

describe('classifyScan', () => {
  it('recognises our own ticket and appointment codes, bare or as URL', () => {
    const code = signTicketCode(ticket, KEY);
    expect(classifyScan(code, KEY, { hallCode: '3301' })).toEqual({ kind: 'ticket', ...ticket });
    expect(classifyScan(codeUrl('https://example/t', code), KEY)).toMatchObject({ kind: 'ticket', ticketNo: 'A023' });
    const appt = signAppointmentCode({ hallCode: '3301', appointmentId: 'apt_7', day: '2025-03-15' }, KEY);
    expect(classifyScan(appt, KEY)).toEqual({ kind: 'appointment', hallCode: '3301', appointmentId: 'apt_7', day: '2025-03-15' });
  });

  it('reports tampered and other-hall codes as invalid-code with a reason', () => {
    const code = signTicketCode(ticket, KEY);
    expect(classifyScan(code.replace('A023', 'A024'), KEY)).toMatchObject({ kind: 'invalid-code', reason: 'bad-signature' });
    expect(classifyScan(code, KEY, { hallCode: '9999' })).toMatchObject({ kind: 'invalid-code', reason: 'wrong-hall' });
  });

  it('treats an opaque QR token as an e-voucher and keeps it opaque', () => {
    const result = classifyScan(VOUCHER_LIKE, KEY, { symbology: 'qr' });
    expect(result.kind).toBe('insurance-voucher');
    if (result.kind !== 'insurance-voucher') return;
    expect(result.payload).toBeInstanceOf(OpaquePayload);
    expect(result.payload.reveal()).toBe(VOUCHER_LIKE);
    // Every accidental route to a log is redacted.
    expect(JSON.stringify(result)).not.toContain(VOUCHER_LIKE);
    expect(String(result.payload)).toBe('[redacted]');
    expect(`${result.payload}`).toBe('[redacted]');
    expect(inspect(result, { depth: 5 })).not.toContain(VOUCHER_LIKE);
  });

  it('classifies retail barcodes, ID numbers, URLs, JSON and short text as other', () => {
    for (const text of [
      '6901234567892',
      '11010519491231002X',
      'https://www.gov.cn/some/page?id=1234567890',
      '{"a":"bbbbbbbbbbbbbbbbbbbbbbb"}',
      'short',
      'has spaces in the payload here',
    ]) {
      expect(classifyScan(text, KEY), text).toEqual({ kind: 'other' });
    }
    expect(classifyScan(VOUCHER_LIKE, KEY, { symbology: 'code128' })).toEqual({ kind: 'other' });
  });

  it('uses configured voucher patterns instead of the default heuristic', () => {
    const voucherPatterns = [/^YB[0-9A-F]{30}$/g];
    const hit = 'YB' + '0123456789ABCDEF0123456789ABCD';
    // twice, so a /g pattern's lastIndex cannot flip the answer
    expect(classifyScan(hit, KEY, { voucherPatterns }).kind).toBe('insurance-voucher');
    expect(classifyScan(hit, KEY, { voucherPatterns }).kind).toBe('insurance-voucher');
    expect(classifyScan(VOUCHER_LIKE, KEY, { voucherPatterns })).toEqual({ kind: 'other' });
  });
});
