/**
 * The bytes of an uploaded item list → rows of text cells for kiosk/guides/import.ts. CSV is read
 * as UTF-8, or as GB18030 when it is not valid UTF-8 (Excel on a Chinese Windows saves CSV in
 * GBK); XLSX is read with read-excel-file (its first sheet; numbers, dates and booleans as text).
 */
import iconv from 'iconv-lite';
import { parseCsv } from './import.ts';

/** At most this many rows are read (a 政务服务网 list of one department has a few hundred). */
export const MAX_ROWS = 5000;

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

const cellText = (v: unknown): string =>
  v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'boolean' ? (v ? '是' : '否') : String(v);

export async function readTable(format: 'csv' | 'xlsx', bytes: Buffer): Promise<string[][] | { reason: string }> {
  let rows: string[][];
  if (format === 'csv') {
    rows = parseCsv(decodeText(bytes));
  } else {
    try {
      // Loaded on the first XLSX import, not at start-up (it and its zip reader cost ~70 ms).
      const { readSheet } = await import('read-excel-file/node');
      rows = (await readSheet(bytes)).map((r) => r.map(cellText));
    } catch {
      return { reason: '无法读取这个 XLSX 文件（文件损坏，或不是 Excel 2007 及以后的 .xlsx 格式）' };
    }
  }
  if (rows.length > MAX_ROWS + 1) return { reason: `文件行数过多（最多 ${MAX_ROWS} 行）` };
  return rows;
}
