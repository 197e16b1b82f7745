import type { KioskConfig } from '../../config/schema.ts';
import type { Db } from '../store/database.ts';
import { reasonSetByVersion } from './reasons.ts';
import type { EvaluationRow } from './store.ts';
import { LEVEL_CODE_MAPPINGS } from './types.ts';

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

export function exportRecord(config: KioskConfig, row: EvaluationRow, displayNo: string | null, db?: Db): ExportRecord {
  const upload = config.evaluation.upload;
  const reasons = JSON.parse(row.reason_codes) as string[];
  const set = db ? reasonSetByVersion(db, row.reason_set_version) : undefined;
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

const formatters = new Map<string, Intl.DateTimeFormat>();

/** yyyy-MM-dd HH:mm:ss in the hall's time zone. */
export function formatLocal(epochMs: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(epochMs)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
