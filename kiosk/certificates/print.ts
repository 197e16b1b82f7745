/**
 * Durable certificate print jobs. A job row is written before anything goes to a printer and
 * follows the job (queued → sent → processing → done | failed), like a ticket's print job, but it
 * holds no document: a certificate carries a name and an ID number, which are never stored. The
 * citizen's session keeps the CertificateDocument; a reprint (once per job, same session only)
 * renders it again, and must produce the same content hash as the verification record.
 *
 * With an A4 printer the certificate goes out as a PDF over IPP; without one, as the 80 mm
 * receipt layout on the kiosk's ESC/POS printer.
 */
import { createHash } from 'node:crypto';
import type { A4PrintResult, A4PrintOptions } from '../../drivers/a4printer/types.ts';
import type { PrinterDocument } from '../../drivers/printer/document.ts';
import type { PrintResult } from '../../drivers/printer/types.ts';
import type { Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import { writeTx, type Db } from '../store/database.ts';
import type { CertificateAssets } from './assets.ts';
import { canonicalContent, contentHash, type CertificateDocument } from './model.ts';
import { printedText, renderCertificatePdf } from './pdf.ts';
import { certificateReceipt } from './thermal.ts';
import type { CertificateVerification } from './verification.ts';
import {
  failInterruptedPrints,
  findPrint,
  findReprintOf,
  findVerification,
  insertPrint,
  updatePrint,
  type CertificatePrintTarget,
} from './verification-store.ts';

/** What the A4 driver offers (A4PrinterDriver satisfies it). */
export interface A4Printer {
  readonly printerUri: string;
  print(pdf: Uint8Array, options?: A4PrintOptions): Promise<A4PrintResult>;
}

/** What the receipt printer offers (PrinterDriver satisfies it). */
export interface ReceiptPrinter {
  print(document: PrinterDocument): Promise<PrintResult>;
}

export interface CertificatePrintOutcome {
  readonly printId: number;
  readonly ok: boolean;
  readonly target: CertificatePrintTarget;
  readonly code?: string;
  /** Chinese, fit for the screen. */
  readonly message?: string;
  /** Whether this job may still be reprinted once. */
  readonly reprintable: boolean;
}

export interface CertificatePrinterDeps {
  readonly db: Db;
  readonly verification: CertificateVerification;
  readonly assets: CertificateAssets;
  readonly clock: Clock;
  /** Looked up at each print, so a printer configured or lost later is followed. */
  readonly a4: () => A4Printer | null;
  readonly receipt: () => ReceiptPrinter | null;
}

export function sessionRef(sessionId: string): string {
  return createHash('sha256').update(`certificate-session:${sessionId}`).digest('hex').slice(0, 32);
}

export class CertificatePrinter {
  readonly #d: CertificatePrinterDeps;

  constructor(deps: CertificatePrinterDeps) {
    this.#d = deps;
    writeTx(deps.db, () => failInterruptedPrints(deps.db, deps.clock()));
  }

  /** Record the certificate for verification and print it. Printer conditions never throw. */
  async print(cert: CertificateDocument, sessionId: string): Promise<CertificatePrintOutcome> {
    const missing = this.#d.a4() ? this.#d.assets.coverage.missing(printedText(cert)) : [];
    if (missing.length > 0) throw new KioskError('CERTIFICATE_GLYPH_MISSING', { count: missing.length });
    this.#d.verification.record(cert);
    return this.#run(cert, sessionId, null);
  }

  /** Print a job's certificate once more, for the same session, with the same content. */
  async reprint(printId: number, cert: CertificateDocument, sessionId: string): Promise<CertificatePrintOutcome> {
    const db = this.#d.db;
    const original = findPrint(db, printId);
    if (!original || original.code !== cert.code) throw new KioskError('CERTIFICATE_UNKNOWN_PRINT', { printId });
    if (original.sessionRef !== sessionRef(sessionId)) throw new KioskError('CERTIFICATE_REPRINT_NOT_YOURS', { printId });
    if (original.reprintOf !== null || findReprintOf(db, printId)) throw new KioskError('CERTIFICATE_REPRINT_USED', { printId });
    const record = findVerification(db, cert.code);
    if (!record || record.contentHash !== contentHash(canonicalContent(cert))) throw new KioskError('CERTIFICATE_CONTENT_CHANGED', { printId });
    return this.#run(cert, sessionId, printId);
  }

  async #run(cert: CertificateDocument, sessionId: string, reprintOf: number | null): Promise<CertificatePrintOutcome> {
    const { db, clock } = this.#d;
    const a4 = this.#d.a4();
    const receipt = a4 ? null : this.#d.receipt();
    if (!a4 && !receipt) throw new KioskError('CERTIFICATE_NO_PRINTER');
    const target: CertificatePrintTarget = a4 ? 'a4' : 'thermal';
    const pdf = a4 ? await renderCertificatePdf(cert, this.#d.assets) : null;
    const printId = writeTx(db, () =>
      insertPrint(db, {
        code: cert.code,
        sessionRef: sessionRef(sessionId),
        target,
        printer: a4 ? a4.printerUri : 'receipt',
        reprintOf,
        pages: pdf?.pages ?? null,
        bytes: pdf?.pdf.length ?? null,
        now: clock(),
      }),
    );
    const set = (u: Parameters<typeof updatePrint>[2]): void => writeTx(db, () => updatePrint(db, printId, u));
    set({ state: 'sent', now: clock() });
    let result: { ok: true } | { ok: false; code: string; message: string };
    if (a4 && pdf) {
      const r = await a4.print(pdf.pdf, {
        jobName: `${cert.kind}-${cert.code.slice(0, 4)}`,
        onProgress: (p) => {
          if (p.state === 'processing') set({ state: 'processing', remoteJobId: p.jobId, now: clock() });
        },
      });
      if (r.ok) set({ state: 'done', remoteJobId: r.jobId, now: clock() });
      else set({ state: 'failed', remoteJobId: r.jobId, errorCode: r.code, errorMessage: r.message, now: clock() });
      result = r.ok ? { ok: true } : r;
    } else {
      const r = await (receipt as ReceiptPrinter).print(certificateReceipt(cert));
      if (r.ok) set({ state: 'done', now: clock() });
      else set({ state: 'failed', errorCode: r.code, errorMessage: r.message, now: clock() });
      result = r.ok ? { ok: true } : r;
    }
    const reprintable = reprintOf === null;
    return result.ok ? { printId, ok: true, target, reprintable } : { printId, ok: false, target, code: result.code, message: result.message, reprintable };
  }
}
