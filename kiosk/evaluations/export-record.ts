import type { KioskConfig } from '../../config/schema.ts';
import type { ReasonSet } from './reasons.ts';
import type { EvaluationRow } from './store.ts';
import { LEVEL_CODE_MAPPINGS } from './types.ts';
import { localParts } from '../clock.ts';

/**
 * The canonical export record of one evaluation, before the per-target field mapping. It carries
 * no personal data: no identity hash, no phone number (those stay in the hall for 回访), only
 * whether the evaluation is anonymous.
 *
 *   idempotencyKey, evaluationId, caseNo (hall-day-number), subject, itemCode, itemName,
 *   channel, channelCode, levelName, levelCode, reasonCodes, reasonNames, reasonSetVersion, text,
 *   evaluatedAt (yyyy-MM-dd HH:mm:ss, hall time), seq (1 首次, 2 追加), anonymityFlag (1 是, 2 否),
 *   regionCode, hallCode, hallName, counterNo, staffId, staffName
 */
export type ExportRecord = Record<string, string | number | null>;

/** `set` is the reason list the evaluation was made with (reasonSetByVersionTx); without it, the configured one names the codes. */
export function exportRecord(config: KioskConfig, row: EvaluationRow, displayNo: string | null, set?: ReasonSet): ExportRecord {
  const upload = config.evaluation.upload;
  const reasons = JSON.parse(row.reason_codes) as string[];
  const names = new Map((set?.items ?? config.evaluation.reasons.items).map((r) => [r.code, r.name]));
  const caseNo =
    row.ticket_id !== null && row.ticket_day && displayNo
      ? `${config.hall.code}-${row.ticket_day.replaceAll('-', '')}-${displayNo}`
      : `${config.hall.code}-K-${row.uid}`;
  return {
    idempotencyKey: row.uid,
    evaluationId: row.id,
    caseNo,
    subject: row.subject,
    itemCode: row.item_code,
    itemName: row.item_name,
    channel: row.channel,
    channelCode: upload.channelCodes[row.channel],
    levelName: row.level,
    levelCode: LEVEL_CODE_MAPPINGS[upload.levelCodes][row.level],
    reasonCodes: reasons.join(','),
    reasonNames: reasons.map((c) => names.get(c) ?? c).join(','),
    reasonSetVersion: row.reason_set_version,
    text: row.comment,
    evaluatedAt: formatLocal(row.evaluated_at, config.hall.timeZone),
    seq: row.seq,
    anonymityFlag: row.anonymous === 1 ? '1' : '2',
    regionCode: config.hall.regionCode,
    hallCode: config.hall.code,
    hallName: config.hall.name,
    counterNo: row.counter_no,
    staffId: row.staff_id,
    staffName: row.staff_name,
  };
}

/** Renames canonical fields to the target's names; unmapped fields are not sent. */
export function mapRecord(
  record: ExportRecord,
  fields: Readonly<Record<string, string>>,
  constants: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...constants };
  for (const [canonical, target] of Object.entries(fields)) if (canonical in record) out[target] = record[canonical];
  return out;
}

/** yyyy-MM-dd HH:mm:ss in the hall's time zone (the clock's one formatter). */
export function formatLocal(epochMs: number, timeZone: string): string {
  const p = localParts(epochMs, timeZone);
  return `${p.date} ${p.time}:${p.seconds}`;
}
