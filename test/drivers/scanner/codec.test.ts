import { describe, expect, it } from 'vitest';
import { HidPosAssembler, LineFramer, decodeScanText, decodeSerialLine, parseHidPosReport } from '../../../drivers/scanner/codec.ts';
import { HONEYWELL_REVINF_FIRST, hidReport, hidReports } from '../../fixtures/scanner/hid-pos-reports.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('parseHidPosReport (§4.1)', () => {
  it('reads the captured Honeywell header: ID 2, length 56, AIM ]X0, continuation set', () => {
    const r = parseHidPosReport(HONEYWELL_REVINF_FIRST);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.aim).toBe(']X0');
    expect(r.report.payload.length).toBe(56);
    expect(dec(r.report.payload)).toMatch(/^Product Name: Voyager/);
    expect(r.report.more).toBe(true);
  });

  it('reads a single QR report with Honeywell code ID', () => {
    const r = parseHidPosReport(hidReport({ payload: 'HK1.T.abc', aim: ']Q1', codeId: 0x73 }));
    expect(r).toMatchObject({ ok: true, report: { aim: ']Q1', codeId: 0x73, more: false } });
    if (r.ok) expect(dec(r.report.payload)).toBe('HK1.T.abc');
  });

  it('finds the AIM one byte later for Zebra/Datalogic firmware (off = 1)', () => {
    const r = parseHidPosReport(hidReport({ payload: '6901234567892', aim: ']E0', zebraOffset: true }));
    expect(r.ok && r.report.aim).toBe(']E0');
    if (r.ok) expect(dec(r.report.payload)).toBe('6901234567892');
  });

  it('accepts WebHID-style reports without the report ID byte', () => {
    const r = parseHidPosReport(hidReport({ payload: 'X', aim: ']Q1' }).subarray(1), { reportIdIncluded: false });
    expect(r.ok && dec(r.report.payload)).toBe('X');
  });

  it('keeps the payload when no AIM identifier is present', () => {
    const r = parseHidPosReport(hidReport({ payload: '12345' }));
    expect(r.ok && r.report.aim).toBeUndefined();
    if (r.ok) expect(dec(r.report.payload)).toBe('12345');
  });

  it('returns typed errors for other report IDs, short reports and bad lengths', () => {
    expect(parseHidPosReport(hidReport({ payload: 'x', reportId: 0x10 }))).toEqual({ ok: false, code: 'other-report', reportId: 0x10 });
    expect(parseHidPosReport(new Uint8Array([]))).toMatchObject({ ok: false, code: 'report-too-short' });
    expect(parseHidPosReport(new Uint8Array([2, 1, 0x5d]))).toMatchObject({ ok: false, code: 'report-too-short' });
    // length 57 would run into the code-ID byte of a 64-byte report
    expect(parseHidPosReport(hidReport({ payload: 'x', aim: ']Q1', length: 57 }))).toMatchObject({ ok: false, code: 'report-length-invalid' });
    expect(parseHidPosReport(hidReport({ payload: 'x', aim: ']Q1', length: 56 })).ok).toBe(true);
  });
});

describe('HidPosAssembler', () => {
  it('reassembles a 150-byte QR payload from three continuation reports', () => {
    const text = 'https://hall.example/t?c=' + 'A'.repeat(125);
    const reports = hidReports(text, { aim: ']Q1', codeId: 0x73 });
    expect(reports.length).toBe(3);
    const asm = new HidPosAssembler({ vendorCodeIds: true });
    expect(asm.push(reports[0]!)).toEqual({ type: 'pending' });
    expect(asm.pending).toBe(true);
    expect(asm.push(reports[1]!)).toEqual({ type: 'pending' });
    expect(asm.push(reports[2]!)).toEqual({ type: 'scan', scan: { text, aim: ']Q1', symbology: 'qr' } });
    expect(asm.pending).toBe(false);
  });

  it('uses the AIM symbology unless vendor code IDs are enabled', () => {
    const report = hidReport({ payload: '0123456789', aim: ']C0', codeId: 0x64 });
    expect(new HidPosAssembler().push(report)).toMatchObject({ scan: { symbology: 'code128' } });
    expect(new HidPosAssembler({ vendorCodeIds: true }).push(report)).toMatchObject({ scan: { symbology: 'ean-13' } });
    expect(new HidPosAssembler().push(hidReport({ payload: '(01)123', aim: ']C1' }))).toMatchObject({ scan: { symbology: 'gs1-128' } });
  });

  it('strips a trailing CR suffix and decodes GBK Chinese text', () => {
    // "中文" in GBK is D6 D0 CE C4
    const payload = Uint8Array.from([0xd6, 0xd0, 0xce, 0xc4, 0x0d]);
    expect(new HidPosAssembler().push(hidReport({ payload, aim: ']Q1' }))).toMatchObject({ scan: { text: '中文' } });
  });

  it('drops an over-long barcode and skips its remaining reports', () => {
    const asm = new HidPosAssembler({ maxPayloadBytes: 100 });
    const reports = hidReports('Z'.repeat(200), { aim: ']Q1' });
    const results = reports.map((r) => asm.push(r));
    expect(results[0]).toEqual({ type: 'pending' });
    expect(results[1]).toEqual({ type: 'error', code: 'payload-too-long' });
    expect(results[2]).toEqual({ type: 'pending' });
    expect(results[3]).toEqual({ type: 'ignored' });
    expect(asm.push(hidReport({ payload: 'ok', aim: ']Q1' }))).toMatchObject({ type: 'scan', scan: { text: 'ok' } });
  });

  it('resets after a malformed report and reports empty payloads', () => {
    const asm = new HidPosAssembler();
    asm.push(hidReport({ payload: 'part', aim: ']Q1', more: true }));
    expect(asm.push(new Uint8Array([2, 9]))).toEqual({ type: 'error', code: 'report-too-short' });
    expect(asm.push(hidReport({ payload: 'next', aim: ']Q1' }))).toMatchObject({ scan: { text: 'next' } });
    expect(asm.push(hidReport({ payload: '\r', aim: ']Q1' }))).toEqual({ type: 'error', code: 'empty-payload' });
    expect(asm.push(hidReport({ payload: 'x', reportId: 0x11 }))).toEqual({ type: 'ignored', reportId: 0x11 });
  });
});

describe('LineFramer (§4.3)', () => {
  const lines = (outs: ReturnType<LineFramer['push']>): string[] => outs.map((o) => (o.type === 'line' ? dec(o.bytes) : `!${o.code}`));

  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('splits %s-terminated lines whatever the chunking', (_name, term) => {
    const stream = enc(`]Q1HK1.T.first${term}6901234567892${term}third${term}`);
    for (let size = 1; size <= stream.length; size++) {
      const framer = new LineFramer();
      const got: string[] = [];
      for (let at = 0; at < stream.length; at += size) got.push(...lines(framer.push(stream.subarray(at, at + size))));
      expect(got).toEqual([']Q1HK1.T.first', '6901234567892', 'third']);
      expect(framer.pending).toBe(false);
    }
  });

  it('counts a CRLF split across chunks once and skips empty lines', () => {
    const framer = new LineFramer();
    expect(lines(framer.push(enc('abc\r')))).toEqual(['abc']);
    expect(lines(framer.push(enc('\ndef\r\r\n\n')))).toEqual(['def']);
  });

  it('reports an over-long line once and resynchronises at the next terminator', () => {
    const framer = new LineFramer(8);
    expect(lines(framer.push(enc('123456789')))).toEqual(['!line-too-long']);
    expect(lines(framer.push(enc('more junk\rok\r')))).toEqual(['ok']);
    expect(lines(framer.push(enc('12345678\r')))).toEqual(['12345678']);
  });

  it('flush() returns an unterminated rest', () => {
    const framer = new LineFramer();
    framer.push(enc('partial'));
    expect(framer.pending).toBe(true);
    expect(lines(framer.flush())).toEqual(['partial']);
    expect(framer.flush()).toEqual([]);
  });
});

describe('decodeSerialLine and decodeScanText', () => {
  it('splits off an AIM prefix when enabled', () => {
    expect(decodeSerialLine(enc(']Q1HK1.T.x'))).toEqual({ text: 'HK1.T.x', aim: ']Q1', symbology: 'qr' });
    expect(decodeSerialLine(enc(']Q1HK1.T.x'), false)).toEqual({ text: ']Q1HK1.T.x' });
    expect(decodeSerialLine(enc('6901234567892'))).toEqual({ text: '6901234567892' });
    expect(decodeSerialLine(enc(']Q1'))).toEqual({ text: ']Q1' });
  });

  it('decodes UTF-8 first and falls back to GB18030', () => {
    expect(decodeScanText(enc('医保电子凭证'))).toBe('医保电子凭证');
    expect(decodeScanText(Uint8Array.from([0xd2, 0xbd, 0xb1, 0xa3]))).toBe('医保');
  });
});
