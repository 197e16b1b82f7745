/**
 * Receipt → PNG at printer resolution (1 px = 1 dot, 203 dpi), showing what the simulated
 * printer put on paper: Font A cells of 12 × 24 dots for ASCII and 24 × 24 for Chinese, scaled by
 * GS ! multipliers, alignment, bold, and QR codes drawn module by module.
 *
 * Glyphs are rasterised by resvg (an SVG <text> per line) from the product font, Noto Sans SC
 * regular, loaded from its npm package (../common/fonts.ts) with system fonts off, so a preview
 * looks the same on every machine. Bold (ESC E) is drawn as a thin outline stroke rather than
 * from the bold face: resvg parses every font file on each render and the 10 MB bold face would
 * double that cost; QR modules come from `qrcode`'s matrix and are
 * painted directly into the bitmap, which `pngjs` writes.
 */
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { PRODUCT_FONT_FAMILY, PRODUCT_FONTS } from '../common/fonts.ts';
import type { Align } from './document.ts';
import { charWidth } from './text-width.ts';
import type { Receipt, ReceiptItem, ReceiptLine, ReceiptQr } from './types.ts';

export const DEFAULT_CJK_FONT: string = PRODUCT_FONTS['noto-sans-sc-400.ttf'];
const FONT_FAMILY = PRODUCT_FONT_FAMILY;
const CELL = 12; // Font A column width in dots
const GLYPH = 24; // Font A height in dots
const LINE_GAP = 6; // extra dots between lines (default line spacing ≈ 30 dots)
const MARGIN = 12; // blank paper above the first and below the last line

export type RenderPngOptions = { fontFile?: string };

type Placed = { item: ReceiptItem; top: number; height: number; qr?: QrMatrix | null };
type QrMatrix = { size: number; dark: (row: number, col: number) => boolean };

export function renderReceiptPng(receipt: Receipt, options: RenderPngOptions = {}): Buffer {
  const width = Math.max(64, Math.floor(receipt.paperDots));
  const placed: Placed[] = [];
  let y = MARGIN;
  for (const item of receipt.items) {
    if (item.kind === 'line') {
      const height = GLYPH * item.size.height + LINE_GAP;
      placed.push({ item, top: y, height });
      y += height;
    } else {
      const qr = qrMatrix(item);
      const height = (qr ? qr.size * item.moduleSize : GLYPH) + LINE_GAP;
      placed.push({ item, top: y, height, qr });
      y += height;
    }
  }
  const height = y + MARGIN;

  const svgParts: string[] = [];
  for (const p of placed) {
    if (p.item.kind === 'line') svgParts.push(lineSvg(p.item, p.top, width));
    else if (!p.qr) svgParts.push(placeholderSvg(p.top, width, p.item.align));
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="#fff"/>${svgParts.join('')}</svg>`;
  const rendered = new Resvg(svg, {
    background: '#ffffff',
    font: {
      fontFiles: [options.fontFile ?? DEFAULT_CJK_FONT],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
    },
  }).render();

  const png = new PNG({ width: rendered.width, height: rendered.height });
  Buffer.from(rendered.pixels).copy(png.data);
  for (const p of placed) {
    if (p.item.kind === 'qr' && p.qr) paintQr(png, p.qr, p.item, p.top);
  }
  return PNG.sync.write(png);
}

function lineSvg(line: ReceiptLine, top: number, paper: number): string {
  const { width: sw, height: sh } = line.size;
  const chars = [...line.text];
  let cols = 0;
  const ascii: { ch: string; at: number }[] = [];
  const wide: { ch: string; at: number }[] = [];
  for (const ch of chars) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (w === 0) continue;
    if (ch.trim() !== '') (w === 1 ? ascii : wide).push({ ch, at: cols * CELL + (w * CELL) / 2 });
    cols += w;
  }
  const lineWidth = cols * CELL * sw;
  const x0 = offset(line.align, paper, lineWidth);
  const bold = line.bold ? ' stroke="#000" stroke-width="0.9"' : '';
  const text = (run: { ch: string; at: number }[], size: number): string =>
    run.length === 0
      ? ''
      : `<text x="${run.map((r) => r.at).join(' ')}" y="20" font-size="${size}" font-family="${FONT_FAMILY}" text-anchor="middle" fill="#000"${bold}>${escapeXml(run.map((r) => r.ch).join(''))}</text>`;
  return `<g transform="translate(${x0} ${top}) scale(${sw} ${sh})">${text(ascii, 22)}${text(wide, 24)}</g>`;
}

function placeholderSvg(top: number, paper: number, align: Align): string {
  const x = offset(align, paper, GLYPH);
  return `<rect x="${x}" y="${top}" width="${GLYPH}" height="${GLYPH}" fill="none" stroke="#000" stroke-dasharray="2 2"/>`;
}

function qrMatrix(item: ReceiptQr): QrMatrix | null {
  try {
    // Printers encode GS ( k data in byte mode; do the same so the modules match.
    const data = new TextEncoder().encode(item.data);
    const code = QRCode.create([{ data, mode: 'byte' }], { errorCorrectionLevel: item.errorLevel });
    return { size: code.modules.size, dark: (r, c) => Boolean(code.modules.get(r, c)) };
  } catch {
    return null; // data a real printer would refuse too (e.g. too long): drawn as an empty box
  }
}

function paintQr(png: PNG, qr: QrMatrix, item: ReceiptQr, top: number): void {
  const m = Math.max(1, item.moduleSize);
  const x0 = offset(item.align, png.width, qr.size * m);
  for (let r = 0; r < qr.size; r++) {
    for (let c = 0; c < qr.size; c++) {
      if (!qr.dark(r, c)) continue;
      for (let dy = 0; dy < m; dy++) {
        const y = top + r * m + dy;
        if (y < 0 || y >= png.height) continue;
        for (let dx = 0; dx < m; dx++) {
          const x = x0 + c * m + dx;
          if (x < 0 || x >= png.width) continue;
          const i = (y * png.width + x) * 4;
          png.data[i] = 0;
          png.data[i + 1] = 0;
          png.data[i + 2] = 0;
          png.data[i + 3] = 255;
        }
      }
    }
  }
}

function offset(align: Align, paper: number, content: number): number {
  const gap = Math.max(0, paper - content);
  return align === 'left' ? 0 : align === 'right' ? gap : Math.floor(gap / 2);
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
