/**
 * A4 PDF of a certificate, with pdfkit: Noto Sans SC embedded (pdfkit subsets every embedded font,
 * so a page carries only the glyphs it uses: tens of KB instead of the 10 MB TTF), the
 * verification QR drawn as vector modules (sharp at any printer resolution), the 电子印章 PNG
 * over the issuer's name, and on every page the 验证码 and 第 i 页 共 N 页.
 *
 * pdf-lib is not used: its fontkit corrupts CJK subsets (insurance-backend.md §5).
 */
import type PDFDocumentClass from 'pdfkit';
import type QRCodeModule from 'qrcode';
import { lazyRequire } from '../../drivers/common/lazy-require.ts';
import type { CertificateAssets } from './assets.ts';
import type { CertSection, CertificateDocument, TableColumn } from './model.ts';
import { canonicalContent, contentHash } from './model.ts';
import { prepareSeal, type PreparedSeal } from './seal-image.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const CONTENT_W = A4[0] - 2 * MARGIN;
const BOTTOM = A4[1] - 70; // leaves room for the page footer
const CELL_PAD = 3;
const CELL_FONT = 8.5;
const BODY = 10;
const GRAY = '#eeeeee';
const LINE = '#555555';

type Doc = PDFKit.PDFDocument;

export interface PdfResult {
  readonly pdf: Buffer;
  readonly pages: number;
  readonly contentHash: string;
  /** Characters of the certificate the embedded font cannot draw (they would print as empty boxes). */
  readonly missingGlyphs: readonly string[];
}

/** Every string printed, for the glyph check. */
export function printedText(doc: CertificateDocument): string {
  const parts: string[] = [doc.title, doc.subtitle ?? '', doc.intro, doc.codeText, doc.issuedAtText, doc.issuerName, doc.validUntilText, ...doc.notes];
  for (const s of doc.sections) {
    parts.push(s.title);
    if (s.kind === 'fields') for (const f of s.fields) parts.push(f.label, f.paper);
    else if (s.kind === 'table') parts.push(...s.columns.map((c) => c.label), ...s.rows.flatMap((r) => r.paper), s.note ?? '');
    else parts.push(s.text);
  }
  return parts.join('\n');
}

const pdfkit = lazyRequire<typeof PDFDocumentClass>('pdfkit');
const qrcode = lazyRequire<typeof QRCodeModule>('qrcode');

export async function renderCertificatePdf(doc: CertificateDocument, assets: CertificateAssets): Promise<PdfResult> {
  const hash = contentHash(canonicalContent(doc));
  const PDFDocument = pdfkit();
  const pdf = new PDFDocument({
    size: A4,
    margin: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: doc.title,
      Author: doc.issuerName,
      Subject: doc.subtitle ?? doc.title,
      Keywords: `verification-code=${doc.code} content-sha256=${hash}`,
      Creator: 'hall-kiosk',
      Producer: 'hall-kiosk',
      CreationDate: new Date(doc.issuedAt),
    },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('end', () => resolve());
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', assets.regular);
  pdf.registerFont('bold', assets.bold);
  drawCertificate(pdf, doc, assets.seal);
  const pages = pdf.bufferedPageRange().count;
  for (let i = 0; i < pages; i++) {
    pdf.switchToPage(i);
    pageFooter(pdf, doc, i + 1, pages);
  }
  pdf.end();
  await done;
  return { pdf: Buffer.concat(chunks), pages, contentHash: hash, missingGlyphs: assets.coverage.missing(printedText(doc)) };
}

function drawCertificate(pdf: Doc, doc: CertificateDocument, seal: Buffer | null): void {
  // Header: QR top right, title centred, then the code and print time.
  const qrSize = 76;
  drawQr(pdf, doc.verifyUrl, A4[0] - MARGIN - qrSize, MARGIN - 12, qrSize);
  pdf
    .font('regular')
    .fontSize(7)
    .fillColor('#000')
    .text('扫码核验真伪', A4[0] - MARGIN - qrSize, MARGIN - 12 + qrSize + 2, { width: qrSize, align: 'center' });

  pdf
    .font('bold')
    .fontSize(20)
    .text(doc.title, MARGIN, MARGIN + 6, { width: CONTENT_W, align: 'center' });
  let y = MARGIN + 34;
  if (doc.subtitle) {
    pdf.font('regular').fontSize(12).text(doc.subtitle, MARGIN, y, { width: CONTENT_W, align: 'center' });
    y += 20;
  }
  y = Math.max(y, MARGIN - 12 + qrSize + 14);
  pdf.font('regular').fontSize(BODY);
  pdf.text(`验证码：${doc.codeText}`, MARGIN, y, { width: CONTENT_W / 2 });
  pdf.text(`打印时间：${doc.issuedAtText}`, MARGIN + CONTENT_W / 2, y, { width: CONTENT_W / 2, align: 'right' });
  y += 18;
  pdf.text(doc.intro, MARGIN, y, { width: CONTENT_W, lineGap: 2 });
  y = pdf.y + 8;

  for (const section of doc.sections) y = drawSection(pdf, section, y);

  // Notes
  y = ensureSpace(pdf, y, 20 + doc.notes.length * 16);
  pdf.font('bold').fontSize(BODY).text('说明：', MARGIN, y);
  y = pdf.y + 2;
  pdf.font('regular').fontSize(9);
  doc.notes.forEach((note, i) => {
    y = ensureSpace(pdf, y, 14);
    pdf.text(`${i + 1}. ${note}`, MARGIN, y, { width: CONTENT_W, lineGap: 1 });
    y = pdf.y + 2;
  });

  // Issuer block with the seal over it.
  const sealSize = 110;
  y = ensureSpace(pdf, y + 10, sealSize + 10);
  const blockX = A4[0] - MARGIN - 230;
  pdf.font('regular').fontSize(11);
  pdf.text(`经办机构：${doc.issuerName}`, blockX, y + 30, { width: 230, align: 'right' });
  pdf.text(`打印日期：${doc.issuedAtText.slice(0, 10)}`, blockX, y + 50, { width: 230, align: 'right' });
  pdf.text(`核验有效期至：${doc.validUntilText}`, blockX, y + 70, { width: 230, align: 'right' });
  if (seal) drawSeal(pdf, prepareSeal(seal), A4[0] - MARGIN - sealSize - 20, y, sealSize);
}

function drawSection(pdf: Doc, section: CertSection, y0: number): number {
  let y = ensureSpace(pdf, y0, 60);
  pdf.font('bold').fontSize(11).fillColor('#000').text(section.title, MARGIN, y);
  y = pdf.y + 3;
  if (section.kind === 'text') {
    pdf.font('regular').fontSize(BODY).text(section.text, MARGIN, y, { width: CONTENT_W });
    return pdf.y + 10;
  }
  if (section.kind === 'fields') {
    // Two label/value pairs per row.
    const cols: TableColumn[] = [
      { label: '', weight: 1.4 },
      { label: '', weight: 3 },
      { label: '', weight: 1.4 },
      { label: '', weight: 3 },
    ];
    const widths = columnWidths(cols);
    for (let i = 0; i < section.fields.length; i += 2) {
      const a = section.fields[i];
      const b = section.fields[i + 1];
      const cells = [a?.label ?? '', a?.paper ?? '', b?.label ?? '', b?.paper ?? ''];
      y = drawRow(pdf, cells, widths, cols, y, [true, false, true, false]);
    }
    return y + 10;
  }
  const widths = columnWidths(section.columns);
  const header = section.columns.map((c) => c.label);
  const headerCols = section.columns.map((c) => ({ ...c, align: 'center' as const }));
  y = drawRow(
    pdf,
    header,
    widths,
    headerCols,
    y,
    header.map(() => true),
    true,
  );
  for (const row of section.rows) {
    const h = rowHeight(pdf, row.paper, widths);
    if (y + h > BOTTOM) {
      pdf.addPage();
      y = MARGIN;
      pdf.font('regular').fontSize(9).text(`${section.title}（续）`, MARGIN, y);
      y = pdf.y + 3;
      y = drawRow(
        pdf,
        header,
        widths,
        headerCols,
        y,
        header.map(() => true),
        true,
      );
    }
    y = drawRow(
      pdf,
      row.paper,
      widths,
      section.columns,
      y,
      row.paper.map(() => false),
    );
  }
  if (section.note) {
    pdf
      .font('regular')
      .fontSize(8)
      .text(section.note, MARGIN, y + 2, { width: CONTENT_W });
    y = pdf.y;
  }
  return y + 10;
}

function columnWidths(cols: readonly TableColumn[]): number[] {
  const total = cols.reduce((s, c) => s + c.weight, 0);
  return cols.map((c) => (c.weight / total) * CONTENT_W);
}

function rowHeight(pdf: Doc, cells: readonly string[], widths: readonly number[], bold = false): number {
  pdf.font(bold ? 'bold' : 'regular').fontSize(CELL_FONT);
  let h = 0;
  const line = pdf.currentLineHeight(true);
  cells.forEach((text, i) => {
    const w = (widths[i] as number) - 2 * CELL_PAD;
    // Most cells fit on one line: measuring the width is much cheaper than a full wrap layout.
    h = Math.max(h, pdf.widthOfString(text) <= w ? line : pdf.heightOfString(text || ' ', { width: w }));
  });
  return h + 2 * CELL_PAD;
}

function drawRow(
  pdf: Doc,
  cells: readonly string[],
  widths: readonly number[],
  cols: readonly TableColumn[],
  y: number,
  shaded: readonly boolean[],
  bold = false,
): number {
  const h = rowHeight(pdf, cells, widths, bold);
  let x = MARGIN;
  cells.forEach((text, i) => {
    const w = widths[i] as number;
    if (shaded[i]) pdf.rect(x, y, w, h).fill(GRAY);
    pdf.lineWidth(0.5).rect(x, y, w, h).stroke(LINE);
    pdf
      .fillColor('#000')
      .font(bold || shaded[i] ? 'bold' : 'regular')
      .fontSize(CELL_FONT);
    pdf.text(text, x + CELL_PAD, y + CELL_PAD, { width: w - 2 * CELL_PAD, align: cols[i]?.align ?? 'left' });
    x += w;
  });
  return y + h;
}

function ensureSpace(pdf: Doc, y: number, needed: number): number {
  if (y + needed <= BOTTOM) return y;
  pdf.addPage();
  return MARGIN;
}

function pageFooter(pdf: Doc, doc: CertificateDocument, page: number, pages: number): void {
  const y = A4[1] - 50;
  // The footer sits inside the bottom margin: lift the margin so pdfkit does not start a new page.
  pdf.page.margins.bottom = 0;
  pdf.font('regular').fontSize(8).fillColor('#333');
  // lineBreak false and an explicit height keep pdfkit from adding a page below the margin.
  pdf.text(`${doc.title}  验证码 ${doc.codeText}`, MARGIN, y, { width: CONTENT_W / 2, lineBreak: false, height: 12 });
  pdf.text(`第 ${page} 页 共 ${pages} 页`, MARGIN + CONTENT_W / 2, y, { width: CONTENT_W / 2, align: 'right', lineBreak: false, height: 12 });
}

type PdfInternals = {
  ref(d: object): { end(data?: Buffer): void };
  page: { ext_gstates: Record<string, unknown>; xobjects: Record<string, unknown> };
  addContent(s: string): void;
};

/**
 * The seal as an image XObject with a ready Flate stream, drawn in blend mode Multiply (pdfkit has
 * no API for either: an ExtGState like its opacity ones, an XObject like its images).
 */
function drawSeal(pdf: Doc, seal: PreparedSeal, x: number, y: number, size: number): void {
  const internal = pdf as unknown as PdfInternals;
  const gs = internal.ref({ Type: 'ExtGState', BM: 'Multiply' });
  gs.end();
  const image = internal.ref({
    Type: 'XObject',
    Subtype: 'Image',
    Width: seal.width,
    Height: seal.height,
    BitsPerComponent: 8,
    ColorSpace: 'DeviceRGB',
    Filter: 'FlateDecode',
  });
  image.end(seal.rgbDeflated);
  internal.page.ext_gstates['GsSeal'] = gs;
  internal.page.xobjects['ImSeal'] = image;
  const h = (size * seal.height) / seal.width;
  pdf.save();
  internal.addContent('/GsSeal gs');
  pdf.transform(size, 0, 0, -h, x, y + h);
  internal.addContent('/ImSeal Do');
  pdf.restore();
}

/** The QR as filled squares, one path: no raster, no PNG encoding. */
function drawQr(pdf: Doc, data: string, x: number, y: number, size: number): void {
  const qr = qrcode().create(data, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  pdf.save();
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) pdf.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell, cell);
    }
  }
  pdf.fill('#000');
  pdf.restore();
}
