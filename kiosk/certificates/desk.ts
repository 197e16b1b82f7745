/**
 * 参保证明 / 参保凭证 at the kiosk, for the citizen in front of it: who they are (the ID card on
 * the reader, or a 医保电子凭证 exchanged at the decode service), their 参保 status, the document
 * they asked for, its print job. Everything personal here (the ID number and name used for the
 * lookup, the lookup itself, the built documents) lives in memory only, for as long as the
 * citizen's session (kiosk/session/citizen-session.ts) holds the same identity: when the session
 * is cleared or another card is read, it is dropped. Nothing is logged; the database receives
 * only the verification record (masked name, hashes) and the print job row, through
 * CertificatePrinter.
 */
import { randomUUID } from 'node:crypto';
import type { KioskConfig } from '../../config/schema.ts';
import type { IdCard } from '../../drivers/idcard/index.ts';
import type { Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import type { InsuranceBackend, InsuranceLookup, PersonQuery } from '../insurance/index.ts';
import type { OpaquePayload } from '../scan/opaque-payload.ts';
import type { CitizenSession, SessionIdentity } from '../session/citizen-session.ts';
import type { Db } from '../store/database.ts';
import type { CertificateAssets } from './assets.ts';
import { buildCertificate, type CertificateDocument } from './model.ts';
import { printedText } from './pdf.ts';
import { certificatePreview, type CertificatePreview } from './preview.ts';
import type { CertificatePrinter, CertificatePrintOutcome } from './print.ts';
import type { CertificateKind, InsuredPersonData } from './types.ts';
import { findLatestPrintOf, type CertificatePrintState } from './verification-store.ts';

export type IdentitySource = 'card' | 'e-voucher';

export interface DeskIdentity {
  readonly source: IdentitySource;
  readonly maskedName: string;
  readonly maskedId: string;
}

/** One 险种 for the 参保信息查询 screen: no ID number, no name. */
export interface InsuranceRow {
  readonly insutype: string;
  readonly insutypeName: string;
  readonly status: string;
  readonly statusName: string;
  readonly insuredSince: string | null;
  readonly suspendedSince: string | null;
  readonly employer: string | null;
  readonly regionCode: string | null;
}

export interface PaymentRow {
  readonly month: string;
  readonly insutypeName: string;
  readonly status: 'paid' | 'unpaid' | 'back-paid';
  /** Only when the citizen asked to see amounts; otherwise null. */
  readonly personal: number | null;
  readonly employerPart: number | null;
  readonly base: number | null;
}

export interface InsuranceOverview {
  readonly identity: DeskIdentity;
  readonly insurances: readonly InsuranceRow[];
  /** null: the backend gives no 缴费 history (nhsa). */
  readonly payments: readonly PaymentRow[] | null;
  readonly amountsShown: boolean;
  readonly fetchedAt: number;
}

export type PrintTarget = 'a4' | 'thermal' | null;

export interface DeskPrintStatus {
  readonly code: string;
  readonly state: 'printing' | 'done' | 'failed';
  readonly dbState: CertificatePrintState | null;
  readonly printId: number | null;
  readonly target: 'a4' | 'thermal' | null;
  readonly errorCode: string | null;
  /** Chinese, for the screen. */
  readonly message: string | null;
  readonly reprintable: boolean;
  readonly codeText: string;
}

export interface CertificateDeskDeps {
  readonly config: KioskConfig;
  readonly clock: Clock;
  readonly db: Db;
  readonly insurance: InsuranceBackend;
  readonly session: CitizenSession;
  readonly printer: CertificatePrinter;
  readonly assets: () => CertificateAssets;
  /** Which printer a certificate would go to now. */
  readonly target: () => PrintTarget;
}

interface Who {
  readonly ref: SessionIdentity;
  readonly query: PersonQuery;
  readonly source: IdentitySource;
  readonly sessionId: string;
  readonly maskedName: string;
  readonly maskedId: string;
}

interface Job {
  readonly doc: CertificateDocument;
  readonly sessionId: string;
  promise: Promise<CertificatePrintOutcome>;
  outcome: CertificatePrintOutcome | null;
  error: KioskError | null;
  reprinting: boolean;
}

/** A scanned e-voucher waits this long for the citizen to use it (the QR refreshes every minute or so anyway). */
const VOUCHER_TTL_MS = 120_000;
const DEFAULT_ACCEPT_WAIT_MS = 2_000;

export class CertificateDesk {
  readonly #d: CertificateDeskDeps;
  #who: Who | null = null;
  #lookup: Promise<InsuranceLookup> | null = null;
  #docs = new Map<string, CertificateDocument>();
  #jobs = new Map<string, Job>();
  #voucher: { payload: OpaquePayload; at: number } | null = null;

  constructor(deps: CertificateDeskDeps) {
    this.#d = deps;
    // A printed certificate ends the identity's task (the session forgets who it was), but the
    // finished print job stays for its status and its one 补打 until the kiosk goes home, the idle
    // timer fires or another card is read.
    deps.session.on('ended', (reason) => {
      if (reason === 'task') this.#endTask();
      else this.forget();
    });
  }

  /** A card was read and accepted by the session: it is the identity for the next certificate. */
  cardRead(card: IdCard): void {
    const ref = this.#d.session.identity;
    if (!ref) return;
    this.#set({
      ref,
      query: { kind: 'id-card', idNumber: card.idNumber, name: card.name },
      source: 'card',
      sessionId: randomUUID(),
      maskedName: ref.maskedName,
      maskedId: ref.maskedId,
    });
  }

  /** A scan looked like a 医保电子凭证: keep it (opaque) until the certificate screen exchanges it. */
  offerVoucher(payload: OpaquePayload): void {
    this.#voucher = { payload, at: this.#d.clock() };
  }

  get voucherWaiting(): boolean {
    return this.#voucher !== null && this.#d.clock() - this.#voucher.at <= VOUCHER_TTL_MS;
  }

  /** Exchange the scanned e-voucher at the decode service; the identity enters the session. */
  async identifyByVoucher(): Promise<DeskIdentity> {
    const v = this.#voucher;
    this.#voucher = null;
    if (!v || this.#d.clock() - v.at > VOUCHER_TTL_MS) throw new KioskError('CERTIFICATE_NO_VOUCHER');
    const voucher = await this.#d.insurance.decodeEVoucher(v.payload.reveal());
    if (voucher.idType !== '01' || !this.#d.session.acceptEVoucher({ idNumber: voucher.idNo, name: voucher.userName })) {
      throw new KioskError('INSURANCE_EVOUCHER_INVALID', { reason: 'identity' });
    }
    const ref = this.#d.session.identity as SessionIdentity;
    this.#set({ ref, query: { kind: 'e-voucher', voucher }, source: 'e-voucher', sessionId: randomUUID(), maskedName: ref.maskedName, maskedId: ref.maskedId });
    return this.identity() as DeskIdentity;
  }

  /** The identity for a certificate, masked; null when the session no longer holds it. */
  identity(): DeskIdentity | null {
    const w = this.#current();
    return w ? { source: w.source, maskedName: w.maskedName, maskedId: w.maskedId } : null;
  }

  /** What 参保信息查询 shows: status per 险种 and, where available, payment months (amounts only when asked). */
  async overview(options: { amounts: boolean; months: number }): Promise<InsuranceOverview> {
    const who = this.#require();
    const l = await this.#lookupFor(who);
    const months = new Set(recentMonths(l.payments, options.months));
    return {
      identity: this.identity() as DeskIdentity,
      insurances: l.insurances.map((r) => ({
        insutype: r.insutype,
        insutypeName: r.insutypeName,
        status: r.status,
        statusName: r.statusName,
        insuredSince: r.insuredSince,
        suspendedSince: r.suspendedSince,
        employer: r.employer,
        regionCode: r.regionCode,
      })),
      payments: l.payments
        ? l.payments
            .filter((p) => months.has(p.month))
            .map((p) => ({
              month: p.month,
              insutypeName: l.insurances.find((r) => r.insutype === p.insutype)?.insutypeName ?? p.insutype,
              status: p.status,
              personal: options.amounts ? p.personal : null,
              employerPart: options.amounts ? p.employerPart : null,
              base: options.amounts ? p.base : null,
            }))
        : null,
      amountsShown: options.amounts,
      fetchedAt: l.fetchedAt,
    };
  }

  /** Build the document the citizen chose and return its masked preview. */
  async preview(
    kind: CertificateKind,
    paymentMonths: number | null,
  ): Promise<{ preview: CertificatePreview; code: string; target: PrintTarget; paymentsAvailable: boolean }> {
    const who = this.#require();
    if (paymentMonths !== null && !this.#d.config.certificate.paymentMonthsChoices.includes(paymentMonths)) {
      throw new KioskError('CERTIFICATE_MONTHS_INVALID', { paymentMonths });
    }
    const l = await this.#lookupFor(who);
    const doc = buildCertificate({
      kind,
      data: personData(l),
      config: this.#d.config,
      issuedAt: this.#d.clock(),
      paymentMonths: kind === 'proof' ? paymentMonths : null,
    });
    const target = this.#d.target();
    if (target === 'a4' && this.#d.assets().coverage.missing(printedText(doc)).length > 0) {
      throw new KioskError('CERTIFICATE_GLYPH_MISSING', {});
    }
    // One document at a time: a new choice replaces the previous unprinted one.
    for (const [code] of this.#docs) if (!this.#jobs.has(code)) this.#docs.delete(code);
    this.#docs.set(doc.code, doc);
    return { preview: certificatePreview(doc), code: doc.code, target, paymentsAvailable: l.payments !== null };
  }

  /**
   * Print the previewed document. Resolves once the job is finished or accepted by the printer
   * (or after `waitMs`); the print status follows the rest.
   */
  async print(code: string, waitMs = DEFAULT_ACCEPT_WAIT_MS): Promise<DeskPrintStatus> {
    const who = this.#require();
    const doc = this.#docs.get(code);
    if (!doc) throw new KioskError('CERTIFICATE_NO_DOCUMENT');
    const existing = this.#jobs.get(code);
    if (existing) return this.status(code);
    const job: Job = { doc, sessionId: who.sessionId, promise: this.#d.printer.print(doc, who.sessionId), outcome: null, error: null, reprinting: false };
    this.#follow(job);
    this.#jobs.set(code, job);
    await this.#settle(job, waitMs);
    return this.status(code);
  }

  /** 补打, once, same session, same content (also after the printed certificate ended the identity). */
  async reprint(code: string, waitMs = DEFAULT_ACCEPT_WAIT_MS): Promise<DeskPrintStatus> {
    if (!this.#jobs.has(code)) this.#require();
    const job = this.#jobs.get(code);
    if (!job || !job.outcome) throw new KioskError('CERTIFICATE_UNKNOWN_PRINT', {});
    if (job.reprinting || !job.outcome.reprintable) throw new KioskError('CERTIFICATE_REPRINT_USED', {});
    job.reprinting = true;
    job.promise = this.#d.printer.reprint(job.outcome.printId, job.doc, job.sessionId);
    job.outcome = null;
    job.error = null;
    this.#follow(job);
    await this.#settle(job, waitMs);
    return this.status(code);
  }

  status(code: string): DeskPrintStatus {
    const job = this.#jobs.get(code);
    if (!job) throw new KioskError('CERTIFICATE_UNKNOWN_PRINT', {});
    const row = findLatestPrintOf(this.#d.db, code);
    const o = job.outcome;
    const base = {
      code,
      codeText: job.doc.codeText,
      dbState: row?.state ?? null,
      printId: o?.printId ?? row?.id ?? null,
      target: o?.target ?? row?.target ?? null,
    };
    if (job.error) return { ...base, state: 'failed', errorCode: job.error.code, message: job.error.message, reprintable: false };
    if (!o) return { ...base, state: 'printing', errorCode: null, message: null, reprintable: false };
    return {
      ...base,
      state: o.ok ? 'done' : 'failed',
      errorCode: o.code ?? null,
      message: o.message ?? null,
      reprintable: o.reprintable && !job.reprinting,
    };
  }

  /** Drop everything personal (the session ended or changed hands). */
  forget(): void {
    this.#who = null;
    this.#lookup = null;
    this.#docs.clear();
    this.#jobs.clear();
    this.#voucher = null;
  }

  // ---------------------------------------------------------------------------------------------

  /** The task is done: who it was for and what was looked up go; finished print jobs stay (see the constructor). */
  #endTask(): void {
    this.#who = null;
    this.#lookup = null;
    this.#voucher = null;
    for (const [code] of this.#docs) if (!this.#jobs.has(code)) this.#docs.delete(code);
  }

  #set(who: Who): void {
    this.forget();
    this.#who = who;
  }

  #current(): Who | null {
    const w = this.#who;
    if (w && w.ref !== this.#d.session.identity) {
      this.forget();
      return null;
    }
    return w;
  }

  #require(): Who {
    const w = this.#current();
    if (!w && this.#d.session.mustReplaceCard) throw new KioskError('IDCARD_REPLACE');
    if (!w) throw new KioskError('CERTIFICATE_NO_IDENTITY');
    return w;
  }

  #lookupFor(who: Who): Promise<InsuranceLookup> {
    if (!this.#lookup) {
      const p = this.#d.insurance.lookupPerson(who.query);
      this.#lookup = p;
      // A failed lookup is not kept: 重试 asks the backend again.
      p.catch(() => {
        if (this.#lookup === p) this.#lookup = null;
      });
    }
    return this.#lookup;
  }

  #follow(job: Job): void {
    const p = job.promise;
    p.then(
      (o) => {
        if (job.promise !== p) return;
        job.outcome = o;
        // Printed: the citizen's task is done and the identity ends (kiosk/session/citizen-session.ts).
        if (o.ok && this.#who?.sessionId === job.sessionId) this.#d.session.end('task');
      },
      (err: unknown) => {
        if (job.promise !== p) return;
        job.error = err instanceof KioskError ? err : new KioskError('CERTIFICATE_NO_PRINTER', {});
      },
    );
  }

  /** Until the job ends, or the printer holds it (processing), or `waitMs`. */
  async #settle(job: Job, waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    const p = job.promise;
    while (Date.now() < deadline) {
      const done = await Promise.race([
        p.then(
          () => true,
          () => true,
        ),
        new Promise<false>((r) => setTimeout(() => r(false), 25)),
      ]);
      if (done) {
        await new Promise((r) => setImmediate(r));
        return;
      }
      const row = findLatestPrintOf(this.#d.db, job.doc.code);
      if (row?.state === 'processing') return;
    }
  }
}

/** The months of the newest `n` distinct months present, newest first. */
function recentMonths(payments: InsuranceLookup['payments'], n: number): string[] {
  if (!payments) return [];
  return [...new Set(payments.map((p) => p.month))].sort().reverse().slice(0, n);
}

const GENDER = { male: '1', female: '2', unknown: '0' } as const;
const STATUS = { none: '0', active: '1', suspended: '2', terminated: '4' } as const;
const PAYMENT_STATE = { paid: 'paid', unpaid: 'unpaid', 'back-paid': 'backpaid' } as const;

/** The insurance backend's answer in the certificate model's 1101 field names. */
export function personData(l: InsuranceLookup): InsuredPersonData {
  const p = l.person;
  return {
    baseinfo: {
      psn_cert_type: p.certType,
      certno: p.certNo,
      psn_name: p.name,
      gend: GENDER[p.gender],
      ...(p.nationCode ? { naty: p.nationCode } : {}),
      ...(p.birthDate ? { brdy: p.birthDate } : {}),
    },
    insuinfo: l.insurances.map((r) => ({
      insutype: r.insutype,
      ...(r.personType ? { psn_type: r.personType } : {}),
      ...(r.personTypeName ? { psnTypeName: r.personTypeName } : {}),
      psn_insu_stas: r.status === 'unknown' ? r.statusCode : STATUS[r.status],
      psn_insu_date: r.insuredSince ?? '',
      paus_insu_date: r.suspendedSince,
      ...(r.civilServant === null ? {} : { cvlserv_flag: r.civilServant ? '1' : '0' }),
      insuplc_admdvs: r.regionCode ?? '',
      emp_name: r.employer ?? '',
    })),
    ...(l.payments
      ? {
          payments: l.payments.map((m) => ({
            ym: m.month,
            insutype: m.insutype,
            emp_name: m.employer ?? '',
            clct_base: m.base,
            psn_clct_amt: m.personal,
            emp_clct_amt: m.employerPart,
            state: PAYMENT_STATE[m.status],
          })),
        }
      : {}),
  };
}
