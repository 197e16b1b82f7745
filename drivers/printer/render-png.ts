/**
 * Receipt → PNG at printer resolution (1 px = 1 dot, 203 dpi), showing what the simulated
 * printer put on paper: Font A cells of 12 × 24 dots for ASCII and 24 × 24 for Chinese, scaled by
 * GS ! multipliers, alignment, bold, and QR codes drawn module by module.
 *
 * Glyphs are outlines of the product font, Noto Sans SC regular, read from its npm package
 * (../common/fonts.ts) with fontkit (pdfkit's font engine) and drawn as SVG paths, so a preview
 * looks the same on every machine and resvg needs no font at all: resvg's own text path re-shapes
 * every run against the 10 MB font (seconds per receipt). Glyph paths are cached per process.
 * Bold (ESC E) is a thin outline stroke. QR modules come from `qrcode`'s matrix and are painted
 * directly into the bitmap, which `pngjs` writes.
 */
import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';
import type { PNG } from 'pngjs';
import type QRCodeModule from 'qrcode';
import { lazyRequire } from '../common/lazy-require.ts';

const resvg = lazyRequire<typeof ResvgModule>('@resvg/resvg-js');
const qrcode = lazyRequire<typeof QRCodeModule>('qrcode');
const pngjs = lazyRequire<typeof import('pngjs')>('pngjs');
import { PRODUCT_FONTS } from '../common/fonts.ts';
import type { Align } from './document.ts';
import { charWidth } from './text-width.ts';
import type { Receipt, ReceiptItem, ReceiptLine, ReceiptQr } from './types.ts';

export const DEFAULT_CJK_FONT: string = PRODUCT_FONTS['noto-sans-sc-400.ttf'];

/** The part of fontkit this file uses (fontkit ships no types). */
type FontkitFont = {
  readonly unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { readonly advanceWidth: number; readonly path: { toSVG(): string } };
};
type Outline = { readonly d: string; readonly advance: number; readonly unitsPerEm: number };

const fonts = new Map<string, { font: FontkitFont; glyphs: Map<number, Outline> }>();

function outline(fontFile: string, codePoint: number): Outline {
  let entry = fonts.get(fontFile);
  if (!entry) {
    const fontkit = createRequire(import.meta.url)('fontkit') as { openSync(path: string): FontkitFont };
    entry = { font: fontkit.openSync(fontFile), glyphs: new Map() };
    fonts.set(fontFile, entry);
  }
  let glyph = entry.glyphs.get(codePoint);
  if (!glyph) {
    const g = entry.font.glyphForCodePoint(codePoint);
    glyph = { d: g.path.toSVG(), advance: g.advanceWidth, unitsPerEm: entry.font.unitsPerEm };
    entry.glyphs.set(codePoint, glyph);
  }
  return glyph;
}
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
    if (p.item.kind === 'line') svgParts.push(lineSvg(p.item, p.top, width, options.fontFile ?? DEFAULT_CJK_FONT));
    else if (!p.qr) svgParts.push(placeholderSvg(p.top, width, p.item.align));
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="#fff"/>${svgParts.join('')}</svg>`;
  const rendered = new (resvg().Resvg)(svg, { background: '#ffffff', font: { loadSystemFonts: false } }).render();

  const png = new (pngjs().PNG)({ width: rendered.width, height: rendered.height });
  Buffer.from(rendered.pixels).copy(png.data);
  for (const p of placed) {
    if (p.item.kind === 'qr' && p.qr) paintQr(png, p.qr, p.item, p.top);
  }
  return pngjs().PNG.sync.write(png);
}

function lineSvg(line: ReceiptLine, top: number, paper: number, fontFile: string): string {
  const { width: sw, height: sh } = line.size;
  let cols = 0;
  const glyphs: string[] = [];
  for (const ch of line.text) {
    const cp = ch.codePointAt(0) ?? 0;
    const w = charWidth(cp);
    if (w === 0) continue;
    if (ch.trim() !== '') {
      // ASCII at 22 px in a 12-dot cell, Chinese at 24 px in a 24-dot cell, centred, baseline 20.
      const g = outline(fontFile, cp);
      const scale = (w === 1 ? 22 : 24) / g.unitsPerEm;
      const x = cols * CELL + (w * CELL) / 2 - (g.advance * scale) / 2;
      // Bold: a 0.9-dot outline, given in glyph units because the path is scaled.
      const stroke = line.bold ? ` stroke="#000" stroke-width="${round(0.9 / scale)}"` : '';
      glyphs.push(`<path transform="translate(${round(x)} 20) scale(${round(scale)} ${round(-scale)})"${stroke} d="${g.d}"/>`);
    }
    cols += w;
  }
  const x0 = offset(line.align, paper, cols * CELL * sw);
  return `<g transform="translate(${x0} ${top}) scale(${sw} ${sh})" fill="#000">${glyphs.join('')}</g>`;
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

function placeholderSvg(top: number, paper: number, align: Align): string {
  const x = offset(align, paper, GLYPH);
  return `<rect x="${x}" y="${top}" width="${GLYPH}" height="${GLYPH}" fill="none" stroke="#000" stroke-dasharray="2 2"/>`;
}

function qrMatrix(item: ReceiptQr): QrMatrix | null {
  try {
    // Printers encode GS ( k data in byte mode; do the same so the modules match.
    const data = new TextEncoder().encode(item.data);
    const code = qrcode().create([{ data, mode: 'byte' }], { errorCorrectionLevel: item.errorLevel });
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
