import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as cmd from '../../../drivers/printer/commands.ts';
import { encodeDocument } from '../../../drivers/printer/codec.ts';
import { cut, doc, feed, kv, qr, rule, text } from '../../../drivers/printer/document.ts';
import { encodeGbText, isGbkSafe } from '../../../drivers/printer/gb-text.ts';
import { PRINTER_PROFILES, resolvePrinterProfile } from '../../../drivers/printer/profiles.ts';
import * as fx from '../../fixtures/printer/escpos-fixtures.ts';

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const p80 = resolvePrinterProfile('generic-80');

describe('command builders (§5.1)', () => {
  it.each([
    ['ESC @', cmd.escInit(), fx.INIT],
    ['FS &', cmd.fsChineseOn(), fx.CHINESE_ON],
    ['ESC a 0', cmd.escAlign('left'), fx.ALIGN_LEFT],
    ['ESC a 1', cmd.escAlign('center'), fx.ALIGN_CENTER],
    ['ESC a 2', cmd.escAlign('right'), fx.ALIGN_RIGHT],
    ['ESC E 1', cmd.escBold(true), fx.BOLD_ON],
    ['ESC E 0', cmd.escBold(false), fx.BOLD_OFF],
    ['GS ! 2x2', cmd.gsSize(2, 2), fx.SIZE_2X2],
    ['GS ! 1x1', cmd.gsSize(1, 1), fx.SIZE_1X1],
    ['GS ! 4x4', cmd.gsSize(4, 4), fx.SIZE_4X4],
    ['ESC d 3', cmd.escFeedLines(3), fx.FEED_3],
    ['GS V 0', cmd.gsCut(false), fx.CUT_FULL],
    ['GS V 1', cmd.gsCut(true), fx.CUT_PARTIAL],
    ['QR fn 65', cmd.qrModel(2), fx.QR_MODEL_2],
    ['QR fn 67', cmd.qrModuleSize(3), fx.QR_SIZE_3],
    ['QR fn 69 L', cmd.qrErrorLevel('L'), fx.QR_LEVEL_L],
    ['QR fn 69 M', cmd.qrErrorLevel('M'), fx.QR_LEVEL_M],
    ['QR fn 80', cmd.qrStore(new TextEncoder().encode('ABC')), fx.QR_STORE_ABC],
    ['QR fn 81', cmd.qrPrint(), fx.QR_PRINT],
    ['DLE EOT 4', cmd.dleEot(4), fx.DLE_EOT(4)],
  ])('%s', (_name, actual, expected) => {
    expect(hexOf(actual)).toBe(hexOf(expected));
  });

  it('GS ! puts width in bits 4–6 and height in bits 0–2', () => {
    expect(cmd.gsSize(3, 1)[2]).toBe(0x20);
    expect(cmd.gsSize(1, 3)[2]).toBe(0x02);
  });

  it('QR store length is k + 3 little-endian, also above 255 bytes', () => {
    const data = new Uint8Array(300).fill(0x41);
    const bytes = cmd.qrStore(data);
    expect((bytes[3] as number) + (bytes[4] as number) * 256).toBe(303);
    expect(bytes.length).toBe(5 + 303);
  });
});

describe('GB18030 text (§5.1 Chinese text encoding)', () => {
  it('encodes known Chinese strings to their GB codes', () => {
    // KP example bytes after FS &: B0 AE C9 CF
    expect(hexOf(encodeGbText(iconv.decode(Buffer.from(fx.KP_CHINESE_EXAMPLE.subarray(2)), 'gb18030'), true))).toBe('b0aec9cf');
    expect(hexOf(encodeGbText('医保', true))).toBe('d2bdb1a3');
    expect(hexOf(encodeGbText('A012 号', true))).toBe('4130313220bac5');
  });

  it('substitutes ¥ (four-byte in GB18030) with full-width ￥ on GBK-only firmware', () => {
    expect(hexOf(iconv.encode('¥', 'gb18030'))).toBe(hexOf(fx.YEN_GB18030));
    expect(hexOf(encodeGbText('¥', true))).toBe(hexOf(fx.FULLWIDTH_YEN_GBK));
    expect(isGbkSafe('¥')).toBe(false);
    expect(isGbkSafe('￥192.00')).toBe(true);
  });

  it('replaces other four-byte sequences with ? only when the profile is GBK-only', () => {
    expect(hexOf(encodeGbText('a😀b', true))).toBe('613f62');
    expect(encodeGbText('😀', false).length).toBe(4);
  });

  it('strips control characters so text cannot smuggle commands', () => {
    expect(hexOf(encodeGbText('a\x1b@b\x1d', true))).toBe('614062');
  });
});

describe('encodeDocument', () => {
  it('starts with ESC @ and FS & and encodes text with alignment, bold and size', () => {
    const r = encodeDocument(doc(text('医保', { align: 'center', bold: true, size: { width: 2, height: 2 } })), p80);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const expected = [fx.INIT, fx.CHINESE_ON, fx.ALIGN_CENTER, fx.BOLD_ON, fx.SIZE_2X2, Uint8Array.of(0xd2, 0xbd, 0xb1, 0xa3, 0x0a)];
    expect(hexOf(r.bytes)).toBe(expected.map(hexOf).join(''));
  });

  it('omits FS & when the profile does not need it', () => {
    const r = encodeDocument(doc(text('x')), resolvePrinterProfile('basic-58'));
    expect(r.ok && hexOf(r.bytes.subarray(0, 3))).toBe('1b4078');
  });

  it('emits the GS ( k QR sequence model → size → level → store → print', () => {
    const r = encodeDocument(doc(qr('ABC', { moduleSize: 3, errorLevel: 'L', align: 'center' })), p80);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const expected = [fx.INIT, fx.CHINESE_ON, fx.ALIGN_CENTER, fx.QR_MODEL_2, fx.QR_SIZE_3, fx.QR_LEVEL_L, fx.QR_STORE_ABC, fx.QR_PRINT];
    expect(hexOf(r.bytes)).toBe(expected.map(hexOf).join(''));
  });

  it('prints QR content as text on a profile without native QR', () => {
    const r = encodeDocument(doc(qr('ABC')), resolvePrinterProfile('basic-58'));
    expect(r.ok && hexOf(r.bytes)).toBe('1b40' + '1b6101' + '4142430a');
  });

  it('cuts per profile: feed then GS V 0 / 1, or feed only without a cutter', () => {
    const full = encodeDocument(doc(cut()), p80);
    expect(full.ok && hexOf(full.bytes)).toBe('1b401c26' + '1b6404' + hexOf(fx.CUT_FULL));
    const partial = encodeDocument(doc(cut()), resolvePrinterProfile('kiosk-80'));
    expect(partial.ok && hexOf(partial.bytes)).toBe('1b401c26' + '1b6404' + hexOf(fx.CUT_PARTIAL));
    const none = encodeDocument(doc(cut()), resolvePrinterProfile('generic-58'));
    expect(none.ok && hexOf(none.bytes)).toBe('1b401c26' + '1b6403');
  });

  it('rules span the profile width and key-value rows are padded to it', () => {
    const r = encodeDocument(doc(rule('='), kv('业务', 'A1')), resolvePrinterProfile('generic-58'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const tail = hexOf(r.bytes.subarray(4));
    expect(tail).toBe('3d'.repeat(32) + '0a' + hexOf(encodeGbText('业务', true)) + '20'.repeat(32 - 4 - 2) + '41310a');
  });

  it('only re-sends state commands when the state changes', () => {
    const r = encodeDocument(doc(text('a', { bold: true }), text('b', { bold: true }), feed(2)), p80);
    expect(r.ok && hexOf(r.bytes)).toBe('1b401c26' + '1b4501' + '610a' + '620a' + '1b6402');
  });

  it.each([
    [doc(text('x', { size: { width: 5 as 1, height: 1 } })), 'invalid-size'],
    [doc(feed(256)), 'invalid-feed'],
    [doc(qr('')), 'invalid-qr'],
    [doc(qr('x', { moduleSize: 17 })), 'invalid-qr'],
    [doc(qr('x'.repeat(1274), { errorLevel: 'H' })), 'qr-too-long'],
    [doc(rule('医')), 'invalid-rule'],
  ])('rejects a bad block with a typed error (%#)', (document, code) => {
    const r = encodeDocument(document, p80);
    expect(r).toMatchObject({ ok: false, code, blockIndex: 0 });
  });
});

describe('profiles', () => {
  it('resolves by name with overrides and validates', () => {
    expect(resolvePrinterProfile('generic-80', { cutter: 'partial' }).cutter).toBe('partial');
    expect(() => resolvePrinterProfile('nope')).toThrow(/Unknown printer profile 'nope'/);
    expect(() => resolvePrinterProfile('generic-80', { charsPerLine: 0 })).toThrow(/charsPerLine 0/);
  });
  it('58 mm profiles have 32 columns, 80 mm have 48', () => {
    for (const p of Object.values(PRINTER_PROFILES)) expect(p.charsPerLine).toBe(p.paperWidthMm === 58 ? 32 : 48);
  });
});
