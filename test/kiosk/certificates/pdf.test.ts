import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { encodeDocument } from '../../../drivers/printer/codec.ts';
import { resolvePrinterProfile } from '../../../drivers/printer/profiles.ts';
import { renderPreview } from '../../../drivers/printer/render-text.ts';
import {
  buildCertificate,
  canonicalContent,
  certificatePreview,
  certificateReceipt,
  contentHash,
  loadCertificateAssets,
  previewLines,
  renderCertificatePdf,
} from '../../../kiosk/certificates/index.ts';
import { EMPLOYEE, ISSUED_AT, RESIDENT_RARE_NAME } from './fixtures.ts';
import { pdfFonts, pdfText, qrPayloads, squash, tempDir } from './helpers.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = loadConfig();
const assets = loadCertificateAssets(config.certificate.issuer.sealImage);
function code(): string {
  // A valid code built with the real check character (parse would reject a wrong one).
  return buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT }).code;
}

describe('个人参保证明 PDF', () => {
  const c = code();
  const cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 12, code: c });

  it('carries every field, the 验证码 and the notes as extractable text', async () => {
    const { pdf, pages, contentHash: hash } = await renderCertificatePdf(cert, assets);
    const t = squash(pdfText(pdf, dir));
    for (const expected of [
      '个人参保证明',
      `验证码：${cert.codeText}`,
      '打印时间：2025-03-1409:26:53',
      '姓名张晓明',
      '性别男',
      '证件类型居民身份证',
      '证件号码37132119850612301X', // full number on paper (default certificate.paper.maskIdNumber false)
      '职工基本医疗保险正常参保2012-07-01—示例县明远机械制造有限公司示例县（371321）',
      '生育保险正常参保2012-07-01—示例县明远机械制造有限公司示例县（371321）',
      '缴费明细（近12个月：2024-04至2025-03）',
      '2024-04职工基本医疗保险示例县明远机械制造有限公司5234.50104.69366.42已缴费',
      '2024-11职工基本医疗保险示例县明远机械制造有限公司5234.50104.69366.42欠缴',
      '2025-02生育保险示例县明远机械制造有限公司5234.500.0041.88已缴费',
      '2025-03—————无缴费记录',
      '本证明信息为打印时参保情况',
      '本证明已加盖示例县医疗保障事业管理中心电子印章',
      '90日内',
      'https://hall.example/verify/',
      '经办机构：示例县医疗保障事业管理中心',
      '核验有效期至：2025-06-12',
      `第1页共${pages}页`,
    ]) {
      expect(t, expected).toContain(squash(expected));
    }
    expect(hash).toBe(contentHash(canonicalContent(cert)));
  });

  it('the QR on page 1 decodes to the verification URL', async () => {
    const { pdf } = await renderCertificatePdf(cert, assets);
    expect(qrPayloads(pdf, dir)).toEqual([`https://hall.example/verify/${c}`]);
  });

  it('embeds Noto Sans SC as a subset: the file is a small fraction of the 10 MB font', async () => {
    const { pdf } = await renderCertificatePdf(cert, assets);
    const fonts = pdfFonts(pdf, dir);
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    for (const line of fonts) {
      expect(line).toMatch(/^[A-Z]{6}\+NotoSansSC/); // subset tag prefix
      expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/); // emb, sub, uni
    }
    expect(pdf.length).toBeLessThan(250_000);
  });

  it('masks on paper only what config asks for', async () => {
    const masked = loadConfig({ overlay: { certificate: { paper: { maskName: true, maskIdNumber: true } } } });
    const m = buildCertificate({ kind: 'proof', data: EMPLOYEE, config: masked, issuedAt: ISSUED_AT });
    const t = squash(pdfText((await renderCertificatePdf(m, assets)).pdf, dir));
    expect(t).toContain('姓名张**');
    expect(t).toContain('证件号码371***********301X');
    expect(t).not.toContain('37132119850612301X');
    expect(t).not.toContain('张晓明');
    expect(t).not.toContain('缴费明细'); // no months chosen: no payment table
  });

  it('refuses a payment window that is not offered', () => {
    expect(() => buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 7 })).toThrow(/缴费明细月数/);
  });

  it('says so when the backend supplies no payment history; reports a 生僻字 the font lacks', async () => {
    const r = buildCertificate({ kind: 'proof', data: RESIDENT_RARE_NAME, config, issuedAt: ISSUED_AT, paymentMonths: 6 });
    const rendered = await renderCertificatePdf(r, assets);
    // 𠮷 (U+20BB7, CJK Extension B) is not in Noto Sans SC: reported, so the print service refuses.
    expect(rendered.missingGlyphs).toEqual(['𠮷']);
    const t = squash(pdfText(rendered.pdf, dir));
    expect(t).toContain('性别女');
    expect(t).toContain('城乡居民基本医疗保险暂停参保2008-01-012024-12-31—');
    expect(t).toContain('参保信息系统未提供缴费记录');
  });

  it('prints a 生僻字 the font has (堃, 䶮 in Extension A) as text', async () => {
    const data = { ...RESIDENT_RARE_NAME, baseinfo: { ...RESIDENT_RARE_NAME.baseinfo, psn_name: '刘䶮堃' } };
    const rendered = await renderCertificatePdf(buildCertificate({ kind: 'proof', data, config, issuedAt: ISSUED_AT }), assets);
    expect(rendered.missingGlyphs).toEqual([]);
    expect(squash(pdfText(rendered.pdf, dir))).toContain('姓名刘䶮堃');
  });
});

describe('参保凭证 (参保人员基本医疗保险信息表) PDF', () => {
  it('carries basic information, the 参保 table, the 缴费 summary and the 转出 block', async () => {
    const v = buildCertificate({ kind: 'transfer-voucher', data: EMPLOYEE, config, issuedAt: ISSUED_AT });
    const { pdf } = await renderCertificatePdf(v, assets);
    const t = squash(pdfText(pdf, dir));
    for (const expected of [
      '参保凭证',
      '参保人员基本医疗保险信息表',
      `验证码：${v.codeText}`,
      '姓名张晓明',
      '证件号码37132119850612301X',
      '出生日期1985-06-12',
      '参保地（统筹区）示例县（371321）',
      '参保单位示例县明远机械制造有限公司',
      '人员类别在职职工',
      '职工基本医疗保险正常参保2012-07-01',
      // 2022-01..2025-02 is 38 months; 2023-05/06 missing (gap 2), 2024-11 unpaid: 35 paid
      '职工基本医疗保险2022-012025-023512',
      '生育保险2022-012025-023512',
      '转出地经办机构示例县医疗保障事业管理中心',
      '出具日期2025-03-14',
      '省内转移及跨省网上转移无需提交本凭证',
    ]) {
      expect(t, expected).toContain(squash(expected));
    }
    expect(qrPayloads(pdf, dir)).toEqual([v.verifyUrl]);
  });
});

describe('on-screen preview', () => {
  it('is always masked: no full name, ID number, birth date or amounts', () => {
    const cert = buildCertificate({ kind: 'transfer-voucher', data: EMPLOYEE, config, issuedAt: ISSUED_AT });
    const proof = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 6 });
    for (const c of [cert, proof]) {
      const p = certificatePreview(c);
      const all = JSON.stringify(p) + previewLines(p).join('\n');
      expect(p.masked).toBe(true);
      expect(all).not.toContain('张晓明');
      expect(all).not.toContain('37132119850612301X');
      expect(all).not.toContain('1985-06-12');
      expect(all).not.toContain('104.69');
      expect(all).toContain('张**');
      expect(all).toContain('371***********301X');
    }
    expect(previewLines(certificatePreview(proof))).toContain('姓名：张**');
  });
});

describe('80 mm receipt layout', () => {
  it('is a valid ESC/POS document with every field, the code and the verification QR', () => {
    const cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 6 });
    const receipt = certificateReceipt(cert);
    const profile = resolvePrinterProfile('generic-80', {});
    expect(encodeDocument(receipt, profile).ok).toBe(true);
    const text = squash(renderPreview(receipt, profile).join('\n'));
    for (const expected of [
      '个人参保证明',
      cert.codeText,
      '张晓明',
      '37132119850612301X',
      '职工基本医疗保险',
      '正常参保',
      '2024-10',
      '104.69',
      '本凭条无印章',
    ]) {
      expect(text, expected).toContain(squash(expected));
    }
    expect(receipt.blocks.filter((b) => b.kind === 'qr')).toEqual([{ kind: 'qr', data: cert.verifyUrl, moduleSize: 6, errorLevel: 'M' }]);
    expect(receipt.blocks.at(-1)).toEqual({ kind: 'cut' });
  });
});
