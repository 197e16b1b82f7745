/**
 * Certificate PDF render time against a bare pdfkit document with the same text and the same
 * embedded font, measured in the same run (issue 12: target ≤ 1.3×). The bare document writes the
 * certificate's printed strings one after another with doc.text (pdfkit's own flow and
 * pagination); the certificate adds the table grid, the vector QR, the seal image and the page
 * footers. Both embed and subset Noto Sans SC regular and bold, which dominates both timings.
 */
import PDFDocument from 'pdfkit';
import { loadConfig } from '../../config/load.ts';
import { loadCertificateAssets, type CertificateAssets } from '../../kiosk/certificates/assets.ts';
import { buildCertificate, type CertificateDocument } from '../../kiosk/certificates/model.ts';
import { printedText, renderCertificatePdf } from '../../kiosk/certificates/pdf.ts';
import { EMPLOYEE, ISSUED_AT } from '../kiosk/certificates/fixtures.ts';

export interface CertificateBenchResult {
  readonly iterations: number;
  readonly certificateMs: number;
  readonly bareMs: number;
  readonly ratio: number;
  readonly pages: number;
  readonly bytes: number;
  readonly bareBytes: number;
}

async function bare(text: string, assets: CertificateAssets): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margin: 50 });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((r) => pdf.on('end', () => r()));
  pdf.registerFont('regular', assets.regular);
  pdf.registerFont('bold', assets.bold);
  const lines = text.split('\n');
  pdf
    .font('bold')
    .fontSize(20)
    .text(lines[0] ?? '');
  pdf.font('regular').fontSize(9);
  for (const line of lines.slice(1)) pdf.text(line);
  pdf.end();
  await done;
  return Buffer.concat(chunks);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export async function benchCertificatePdf(options: { iterations?: number; months?: number } = {}): Promise<CertificateBenchResult> {
  const iterations = options.iterations ?? 15;
  const config = loadConfig();
  const assets = loadCertificateAssets(config.certificate.issuer.sealImage);
  const cert: CertificateDocument = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: options.months ?? 12 });
  const text = printedText(cert);
  // Warm up both paths (font parsing caches, JIT).
  await renderCertificatePdf(cert, assets);
  await bare(text, assets);
  const certTimes: number[] = [];
  const bareTimes: number[] = [];
  let pages = 0;
  let bytes = 0;
  let bareBytes = 0;
  for (let i = 0; i < iterations; i++) {
    // Interleaved, so drift on a shared machine hits both alike.
    let t = performance.now();
    const r = await renderCertificatePdf(cert, assets);
    certTimes.push(performance.now() - t);
    pages = r.pages;
    bytes = r.pdf.length;
    t = performance.now();
    bareBytes = (await bare(text, assets)).length;
    bareTimes.push(performance.now() - t);
  }
  const certificateMs = median(certTimes);
  const bareMs = median(bareTimes);
  return { iterations, certificateMs, bareMs, ratio: certificateMs / bareMs, pages, bytes, bareBytes };
}
