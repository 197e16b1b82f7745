import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodeDocument } from '../../../drivers/printer/codec.ts';
import { cut, doc, kv, qr, rule, text, type PrinterDocument } from '../../../drivers/printer/document.ts';
import { PrinterModel } from '../../../drivers/printer/printer-model.ts';
import { resolvePrinterProfile, type PrinterProfile } from '../../../drivers/printer/profiles.ts';
import { DEFAULT_CJK_FONT, renderReceiptPng } from '../../../drivers/printer/render-png.ts';
import { sampleQueueTicket } from '../../../drivers/printer/samples.ts';
import type { Receipt } from '../../../drivers/printer/types.ts';
import * as fx from '../../fixtures/printer/escpos-fixtures.ts';

function print(bytes: Uint8Array, chunk = bytes.length, chineseModeByDefault = false): { receipts: Receipt[]; replies: number[] } {
  const receipts: Receipt[] = [];
  const replies: number[] = [];
  const model = new PrinterModel({ onReply: (b) => replies.push(b), onReceipt: (r) => receipts.push(r), chineseModeByDefault });
  for (let i = 0; i < bytes.length; i += chunk) model.push(bytes.subarray(i, i + chunk));
  return { receipts, replies };
}

function encode(d: PrinterDocument, profile: PrinterProfile): Uint8Array {
  const r = encodeDocument(d, profile);
  if (!r.ok) throw new Error(r.code);
  return r.bytes;
}

const p80 = resolvePrinterProfile('generic-80');
const document = doc(
  text('医保服务大厅', { align: 'center', bold: true, size: { width: 2, height: 3 } }),
  rule(),
  kv('业务', '参保证明'),
  text('右边', { align: 'right' }),
  qr('https://example.invalid/q/A012', { moduleSize: 5, errorLevel: 'Q' }),
  cut(),
);

describe('document → ESC/POS → simulated printer', () => {
  it.each([1, 2, 3, 7, 64, 10_000])('reproduces text, alignment, size, bold, QR and cut (chunks of %i bytes)', (chunk) => {
    const { receipts } = print(encode(document, p80), chunk);
    expect(receipts).toHaveLength(1);
    const r = receipts[0] as Receipt;
    expect(r.cut).toBe(true);
    expect(r.complete).toBe(true);
    expect(r.lines[0]).toEqual({ text: '医保服务大厅', align: 'center', bold: true, size: { width: 2, height: 3 } });
    expect(r.lines[1]).toEqual({ text: '-'.repeat(48), align: 'left', bold: false, size: { width: 1, height: 1 } });
    expect(r.lines[2]?.text).toBe('业务' + ' '.repeat(48 - 12) + '参保证明');
    expect(r.lines[3]).toMatchObject({ text: '右边', align: 'right', bold: false });
    expect(r.qrCodes).toEqual(['https://example.invalid/q/A012']);
    expect(r.items.find((i) => i.kind === 'qr')).toMatchObject({ moduleSize: 5, errorLevel: 'Q', align: 'center' });
    // The feed before the cut is blank paper.
    expect(r.lines.slice(4).every((l) => l.text === '')).toBe(true);
  });

  it('prints the KP-628E QR example (§5.1) and ignores its fn 82 size query', () => {
    const { receipts, replies } = print(Uint8Array.from([...fx.KP_QR_EXAMPLE, ...fx.CUT_FULL]));
    expect(receipts[0]?.qrCodes).toEqual(['ABC']);
    expect(receipts[0]?.items[0]).toMatchObject({ kind: 'qr', moduleSize: 3, errorLevel: 'L', align: 'center' });
    expect(replies).toEqual([]);
  });

  it('prints GB bytes as mojibake when FS & was never sent and the printer defaults to ASCII', () => {
    const bytes = encode(doc(text('医保'), cut()), resolvePrinterProfile('generic-80', { chineseModeCommand: false }));
    expect(print(bytes).receipts[0]?.lines[0]?.text).not.toBe('医保');
    expect(print(bytes, bytes.length, true).receipts[0]?.lines[0]?.text).toBe('医保');
  });

  it('answers DLE EOT inline, and never mistakes QR payload bytes for one', () => {
    const bytes = Uint8Array.from([...fx.DLE_EOT(4), ...encode(doc(qr('\x10\x04\x01'), cut()), p80), ...fx.DLE_EOT(1)]);
    const { receipts, replies } = print(bytes, 1);
    expect(replies).toEqual([fx.STATUS_PAPER_OK, 0x12]);
    expect(receipts[0]?.qrCodes).toEqual(['\x10\x04\x01']);
  });

  it('renders a receipt PNG at paper width with QR modules and ink for text', () => {
    const { receipts } = print(encode(sampleQueueTicket(), p80));
    const receipt = receipts[0] as Receipt;
    const png = renderReceiptPng(receipt);
    mkdirSync('test-output/printer', { recursive: true });
    writeFileSync('test-output/printer/sample-ticket.png', png);
    const img = PNG.sync.read(png);
    expect(img.width).toBe(576);
    const dark = (x: number, y: number): boolean => (img.data[(y * img.width + x) * 4] as number) < 128;
    // Ink exists in the title band (first text line, rows 12..42), centred.
    let ink = 0;
    for (let y = 12; y < 42; y++) for (let x = 0; x < img.width; x++) if (dark(x, y)) ink++;
    expect(ink).toBeGreaterThan(100);
    // The QR finder pattern: a solid 7-module dark border row at the top-left of the symbol.
    const qrIndex = receipt.items.findIndex((i) => i.kind === 'qr');
    const top = 12 + receipt.items.slice(0, qrIndex).reduce((h, i) => h + (i.kind === 'line' ? 24 * i.size.height + 6 : 0), 0);
    const row: boolean[] = [];
    for (let x = 0; x < img.width; x++) row.push(dark(x, top + 2));
    const firstDark = row.indexOf(true);
    expect(firstDark).toBeGreaterThan(100);
    expect(row.slice(firstDark, firstDark + 7 * 6).every(Boolean)).toBe(true); // 7 modules × 6 dots
  });

  it('renders with the packaged Noto Sans SC, never a system font, and bold prints heavier', () => {
    expect(DEFAULT_CJK_FONT).toMatch(/node_modules\/@expo-google-fonts\/noto-sans-sc\/400Regular\/NotoSansSC_400Regular\.ttf$/);
    expect(existsSync(DEFAULT_CJK_FONT)).toBe(true);
    const receipt = (bold: boolean): Receipt => ({
      lines: [],
      qrCodes: [],
      cut: true,
      complete: true,
      paperDots: 384,
      items: [{ kind: 'line', text: '医保服务大厅', align: 'left', bold, size: { width: 1, height: 1 } }],
    });
    const ink = (png: Buffer): number => {
      const img = PNG.sync.read(png);
      let n = 0;
      for (let i = 0; i < img.data.length; i += 4) if ((img.data[i] as number) < 128) n++;
      return n;
    };
    const regular = ink(renderReceiptPng(receipt(false)));
    expect(regular).toBeGreaterThan(200); // six Chinese glyphs drawn from the packaged font
    expect(ink(renderReceiptPng(receipt(true)))).toBeGreaterThan(regular * 1.2);
  });
});
