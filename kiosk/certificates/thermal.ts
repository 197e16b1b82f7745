/**
 * The 80 mm receipt layout of a certificate, for a kiosk without an A4 printer: the same document
 * model as the PDF, as the ESC/POS driver's PrinterDocument. Tables become one key-value group per
 * row. The receipt model has no raster image, so there is no seal: the receipt says so and points
 * to the 验证码 / QR, which verify it exactly as they verify the A4 sheet.
 */
import { cut, doc, feed, kv, qr, rule, text, type Block, type PrinterDocument } from '../../drivers/printer/document.ts';
import type { CertificateDocument } from './model.ts';

export function certificateReceipt(cert: CertificateDocument): PrinterDocument {
  const blocks: Block[] = [
    text(cert.title, { align: 'center', bold: true, size: { width: 2, height: 2 } }),
    ...(cert.subtitle ? [text(cert.subtitle, { align: 'center' })] : []),
    rule(),
    kv('验证码', cert.codeText, { bold: true }),
    kv('打印时间', cert.issuedAtText),
    text(cert.intro),
  ];
  for (const s of cert.sections) {
    blocks.push(rule(), text(s.title, { bold: true }));
    if (s.kind === 'text') blocks.push(text(s.text));
    else if (s.kind === 'fields') for (const f of s.fields) blocks.push(kv(f.label, f.paper));
    else {
      s.rows.forEach((row, i) => {
        if (i > 0) blocks.push(rule('.'));
        row.paper.forEach((cell, c) => {
          if (cell !== '—') blocks.push(kv(s.columns[c]?.label ?? '', cell));
        });
      });
      if (s.note) blocks.push(text(s.note));
    }
  }
  blocks.push(rule(), text('说明：', { bold: true }));
  cert.notes.forEach((n, i) => blocks.push(text(`${i + 1}. ${n}`)));
  blocks.push(
    text('本凭条无印章，真伪以验证码核验为准。'),
    rule(),
    kv('经办机构', cert.issuerName),
    kv('核验有效期至', cert.validUntilText),
    feed(1),
    qr(cert.verifyUrl, { moduleSize: 6, errorLevel: 'M' }),
    text('扫码核验真伪', { align: 'center' }),
    text(cert.codeText, { align: 'center', bold: true }),
    cut(),
  );
  return doc(...blocks);
}
