/**
 * All SQL of certificates, as plain functions taking the database handle: the verification
 * records (防伪) and the certificate print jobs. Nothing here holds state or opens transactions
 * itself, so a unit of work (writeTx today, an async PostgreSQL transaction later) can wrap any
 * sequence of calls; the statements are plain SQL with positional parameters.
 *
 * Rows carry no name and no ID number: a masked name (张**), the content SHA-256 and the keyed
 * hash of the retyped fields.
 */
import type { Db } from '../store/database.ts';
import type { CertificateKind } from './types.ts';

export interface VerificationRow {
  readonly code: string;
  readonly kind: CertificateKind;
  readonly maskedName: string;
  readonly issuer: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly contentHash: string;
  readonly keyHash: string;
}

type RawVerification = {
  code: string;
  kind: string;
  masked_name: string;
  issuer: string;
  issued_at: number;
  expires_at: number;
  content_hash: string;
  key_hash: string;
};

export function insertVerification(db: Db, r: VerificationRow): void {
  db.prepare(
    `INSERT INTO certificate_verifications (code, kind, masked_name, issuer, issued_at, expires_at, content_hash, key_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.code, r.kind, r.maskedName, r.issuer, r.issuedAt, r.expiresAt, r.contentHash, r.keyHash);
}

export function findVerification(db: Db, code: string): VerificationRow | null {
  const row = db.prepare('SELECT * FROM certificate_verifications WHERE code = ?').get(code) as RawVerification | undefined;
  if (!row) return null;
  return {
    code: row.code,
    kind: row.kind as CertificateKind,
    maskedName: row.masked_name,
    issuer: row.issuer,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    contentHash: row.content_hash,
    keyHash: row.key_hash,
  };
}

/** Delete records that expired before `cutoff`, with their print jobs. Returns the records deleted. */
export function deleteVerificationsExpiredBefore(db: Db, cutoff: number): number {
  db.prepare('DELETE FROM certificate_prints WHERE code IN (SELECT code FROM certificate_verifications WHERE expires_at < ?)').run(cutoff);
  return db.prepare('DELETE FROM certificate_verifications WHERE expires_at < ?').run(cutoff).changes;
}

// ---------- print jobs ----------

export type CertificatePrintTarget = 'a4' | 'thermal';
export type CertificatePrintState = 'queued' | 'sent' | 'processing' | 'done' | 'failed';

export interface CertificatePrintRow {
  readonly id: number;
  readonly code: string;
  readonly sessionRef: string;
  readonly target: CertificatePrintTarget;
  readonly printer: string | null;
  readonly state: CertificatePrintState;
  readonly remoteJobId: number | null;
  readonly reprintOf: number | null;
  readonly pages: number | null;
  readonly bytes: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

type RawPrint = {
  id: number;
  code: string;
  session_ref: string;
  target: string;
  printer: string | null;
  state: string;
  remote_job_id: number | null;
  reprint_of: number | null;
  pages: number | null;
  bytes: number | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
};

function toPrint(r: RawPrint): CertificatePrintRow {
  return {
    id: r.id,
    code: r.code,
    sessionRef: r.session_ref,
    target: r.target as CertificatePrintTarget,
    printer: r.printer,
    state: r.state as CertificatePrintState,
    remoteJobId: r.remote_job_id,
    reprintOf: r.reprint_of,
    pages: r.pages,
    bytes: r.bytes,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function insertPrint(
  db: Db,
  p: {
    code: string;
    sessionRef: string;
    target: CertificatePrintTarget;
    printer: string | null;
    reprintOf: number | null;
    pages: number | null;
    bytes: number | null;
    now: number;
  },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO certificate_prints (code, session_ref, target, printer, state, reprint_of, pages, bytes, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
      )
      .run(p.code, p.sessionRef, p.target, p.printer, p.reprintOf, p.pages, p.bytes, p.now, p.now).lastInsertRowid,
  );
}

export function updatePrint(
  db: Db,
  id: number,
  u: { state: CertificatePrintState; remoteJobId?: number | null; errorCode?: string | null; errorMessage?: string | null; now: number },
): void {
  db.prepare(
    `UPDATE certificate_prints SET state = ?, remote_job_id = COALESCE(?, remote_job_id), error_code = ?, error_message = ?, updated_at = ?
     WHERE id = ?`,
  ).run(u.state, u.remoteJobId ?? null, u.errorCode ?? null, u.errorMessage ?? null, u.now, id);
}

export function findPrint(db: Db, id: number): CertificatePrintRow | null {
  const r = db.prepare('SELECT * FROM certificate_prints WHERE id = ?').get(id) as RawPrint | undefined;
  return r ? toPrint(r) : null;
}

/** The newest print job of a certificate (the first print, or its reprint). */
export function findLatestPrintOf(db: Db, code: string): CertificatePrintRow | null {
  const r = db.prepare('SELECT * FROM certificate_prints WHERE code = ? ORDER BY id DESC LIMIT 1').get(code) as RawPrint | undefined;
  return r ? toPrint(r) : null;
}

export function findReprintOf(db: Db, id: number): CertificatePrintRow | null {
  const r = db.prepare('SELECT * FROM certificate_prints WHERE reprint_of = ?').get(id) as RawPrint | undefined;
  return r ? toPrint(r) : null;
}

/** After a crash: jobs still queued or in flight become failed ('interrupted'), so they can be reprinted. */
export function failInterruptedPrints(db: Db, now: number): number {
  return db
    .prepare(
      `UPDATE certificate_prints SET state = 'failed', error_code = 'interrupted', error_message = '打印被中断', updated_at = ?
       WHERE state IN ('queued', 'sent', 'processing')`,
    )
    .run(now).changes;
}
