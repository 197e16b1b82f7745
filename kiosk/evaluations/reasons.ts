import type { EvaluationConfig } from '../../config/evaluation-schema.ts';
import { get, run, type Tx } from '../store/sql.ts';
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
export function* registerReasonSetTx(config: EvaluationConfig['reasons'], now: number): Tx<ReasonSet> {
  const stored = yield* get<{ reasons: string }>('SELECT reasons FROM evaluation_reason_sets WHERE version = ?', config.version);
  const json = JSON.stringify(config.items);
  if (!stored) {
    yield* run(
      'INSERT INTO evaluation_reason_sets (version, reasons, created_at) VALUES (?, ?, ?) ON CONFLICT (version) DO NOTHING',
      config.version,
      json,
      now,
    );
  } else if (stored.reasons !== json) {
    throw new Error(`evaluation.reasons: version "${config.version}" is already stored with a different list; give the changed list a new version`);
  }
  return { version: config.version, items: config.items };
}

export function* reasonSetByVersionTx(version: string): Tx<ReasonSet | undefined> {
  const row = yield* get<{ reasons: string }>('SELECT reasons FROM evaluation_reason_sets WHERE version = ?', version);
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
