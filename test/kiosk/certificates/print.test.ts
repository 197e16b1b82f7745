import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { A4PrinterDriver, IppPrinterSimulator } from '../../../drivers/a4printer/index.ts';
import type { PrinterDocument } from '../../../drivers/printer/document.ts';
import {
  CertificatePrinter,
  CertificateVerification,
  buildCertificate,
  certificateStore,
  loadCertificateAssets,
  type ReceiptPrinter,
} from '../../../kiosk/certificates/index.ts';
import { isKioskError } from '../../../kiosk/errors.ts';
import { openDatabase, type Db } from '../../../kiosk/store/database.ts';
import { EMPLOYEE, ISSUED_AT, RESIDENT_RARE_NAME } from './fixtures.ts';
import { pdfText, squash, tempDir } from './helpers.ts';

const config = loadConfig();
const assets = loadCertificateAssets(config.certificate.issuer.sealImage);
let dir: string;
let db: Db;
let sim: IppPrinterSimulator;
let a4: A4PrinterDriver | null;
let receipts: PrinterDocument[];
let receipt: ReceiptPrinter | null;

beforeEach(async () => {
  dir = tempDir();
  db = openDatabase(join(dir, 'kiosk.db'));
  sim = await IppPrinterSimulator.start({ pendingMs: 10, msPerPage: 20 });
  a4 = new A4PrinterDriver({ target: sim.uri, statusPollMs: 0, jobPollMs: 10, stallCancelMs: 100 });
  await a4.start();
  receipts = [];
  receipt = null;
});
afterEach(async () => {
  await a4?.stop();
  await sim.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(): CertificatePrinter {
  const verification = new CertificateVerification(db, config, () => ISSUED_AT);
  return new CertificatePrinter({ db, verification, assets, clock: () => ISSUED_AT, a4: () => a4, receipt: () => receipt });
}

const errCode = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'no error';
  } catch (err) {
    return isKioskError(err) ? err.code : String(err);
  }
};

describe('certificate printing', () => {
  it('prints the PDF through IPP, records verification and a job without content; reprint once, same session only', async () => {
    const svc = service();
    const cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 12 });
    const out = await svc.print(cert, 'session-1');
    expect(out).toEqual({ printId: 1, ok: true, target: 'a4', reprintable: true });
    const job = sim.lastJob();
    expect(job?.format).toBe('application/pdf');
    expect(job?.name).toBe(`proof-${cert.code.slice(0, 4)}`);
    expect(squash(pdfText(job?.data as Buffer, dir))).toContain(`验证码：${cert.codeText}`);
    expect(certificateStore.findPrint(db, 1)).toMatchObject({ state: 'done', target: 'a4', remoteJobId: 1, code: cert.code, printer: sim.uri });
    expect(certificateStore.findVerification(db, cert.code)).not.toBeNull();

    expect(await errCode(svc.reprint(1, cert, 'session-2'))).toBe('CERTIFICATE_REPRINT_NOT_YOURS');
    const again = await svc.reprint(1, cert, 'session-1');
    expect(again).toMatchObject({ ok: true, reprintable: false });
    expect(sim.jobs()).toHaveLength(2);
    expect(sim.jobs()[1]?.data.equals(sim.jobs()[0]?.data as Buffer)).toBe(true);
    expect(await errCode(svc.reprint(1, cert, 'session-1'))).toBe('CERTIFICATE_REPRINT_USED');
    expect(await errCode(svc.reprint(again.printId, cert, 'session-1'))).toBe('CERTIFICATE_REPRINT_USED');

    const changed = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT + 1000, paymentMonths: 12, code: cert.code });
    const svc2 = service();
    const first = await svc2.print(buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT }), 's3');
    expect(await errCode(svc2.reprint(first.printId, changed, 's3'))).toBe('CERTIFICATE_UNKNOWN_PRINT');
  });

  it('paper runs out mid-job: the job fails with the reason, and the one reprint succeeds after refilling', async () => {
    const svc = service();
    const cert = buildCertificate({ kind: 'proof', data: EMPLOYEE, config, issuedAt: ISSUED_AT, paymentMonths: 36 });
    await sim.act('media-empty-after', { pages: 1 });
    const out = await svc.print(cert, 's');
    expect(out).toMatchObject({ ok: false, target: 'a4', code: 'media-empty-mid-job', message: '打印中途缺纸，证明未打印完整', reprintable: true });
    expect(certificateStore.findPrint(db, out.printId)).toMatchObject({ state: 'failed', errorCode: 'media-empty-mid-job' });
    expect(sim.lastJob()).toMatchObject({ state: 'canceled', pagesPrinted: 1 });
    await sim.act('media-ok');
    expect(await svc.reprint(out.printId, cert, 's')).toMatchObject({ ok: true });
  });

  it('without an A4 printer the receipt layout goes to the receipt printer', async () => {
    a4 = null;
    receipt = { print: async (d) => (receipts.push(d), { ok: true, bytes: 1, warnings: [] }) };
    const cert = buildCertificate({ kind: 'transfer-voucher', data: RESIDENT_RARE_NAME, config, issuedAt: ISSUED_AT });
    const out = await service().print(cert, 's');
    expect(out).toMatchObject({ ok: true, target: 'thermal' });
    expect(receipts).toHaveLength(1);
    expect(JSON.stringify(receipts[0])).toContain(cert.codeText);
    expect(sim.jobs()).toHaveLength(0);
  });

  it('refuses to print a name the font cannot draw on A4, and when no printer is configured', async () => {
    const rare = buildCertificate({ kind: 'proof', data: RESIDENT_RARE_NAME, config, issuedAt: ISSUED_AT });
    expect(await errCode(service().print(rare, 's'))).toBe('CERTIFICATE_GLYPH_MISSING');
    expect(certificateStore.findVerification(db, rare.code)).toBeNull();
    a4 = null;
    expect(await errCode(service().print(rare, 's'))).toBe('CERTIFICATE_NO_PRINTER');
  });

  it('a job left in flight by a crash is marked interrupted at start-up', () => {
    const id = certificateStore.insertPrint(db, { code: 'X', sessionRef: 'r', target: 'a4', printer: null, reprintOf: null, pages: 1, bytes: 1, now: 1 });
    service();
    expect(certificateStore.findPrint(db, id)).toMatchObject({ state: 'failed', errorCode: 'interrupted' });
  });
});
