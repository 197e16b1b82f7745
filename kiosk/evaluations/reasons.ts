import type { EvaluationConfig } from '../../config/evaluation-schema.ts';
import type { Db } from '../store/database.ts';
import { evaluationError } from './errors.ts';
import { isBad, type Level } from './types.ts';

export interface ReasonSet {
  readonly version: string;
  readonly items: readonly { readonly code: string; readonly name: string; readonly requiresText?: boolean | undefined }[];
}

/**
 * The configured reason list, snapshotted by version in the database so that the reason codes of
 * old evaluations stay readable after the list changes. A version, once stored, is never altered:
 * changing the list means giving it a new version.
 */
export function registerReasonSet(db: Db, config: EvaluationConfig['reasons'], now: number): ReasonSet {
  const stored = db.prepare('SELECT reasons FROM evaluation_reason_sets WHERE version = ?').get(config.version) as { reasons: string } | undefined;
  const json = JSON.stringify(config.items);
  if (!stored) db.prepare('INSERT INTO evaluation_reason_sets (version, reasons, created_at) VALUES (?, ?, ?)').run(config.version, json, now);
  else if (stored.reasons !== json) {
    throw new Error(`evaluation.reasons: version "${config.version}" is already stored with a different list; give the changed list a new version`);
  }
  return { version: config.version, items: config.items };
}

export function reasonSetByVersion(db: Db, version: string): ReasonSet | undefined {
  const row = db.prepare('SELECT reasons FROM evaluation_reason_sets WHERE version = ?').get(version) as { reasons: string } | undefined;
  return row ? { version, items: JSON.parse(row.reasons) as ReasonSet['items'] } : undefined;
}

/** A 差评 needs at least one reason; a reason marked requiresText (其他) needs text. Returns the clean codes. */
export function checkReasons(set: ReasonSet, level: Level, reasons: readonly string[] | undefined, text: string | null): string[] {
  const codes = [...new Set(reasons ?? [])];
  const known = new Map(set.items.map((r) => [r.code, r]));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length) throw evaluationError('EVALUATION_REASON_UNKNOWN', { reasons: unknown, reasonSetVersion: set.version });
  if (isBad(level) && codes.length === 0) throw evaluationError('EVALUATION_REASON_REQUIRED', { level, reasonSetVersion: set.version });
  if (codes.some((c) => known.get(c)?.requiresText) && !text) throw evaluationError('EVALUATION_TEXT_REQUIRED', { reasons: codes });
  return set.items.map((r) => r.code).filter((c) => codes.includes(c));
}
