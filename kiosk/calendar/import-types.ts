/**
 * What every calendar import (the State Council notice text, an ICS file, a JSON day list)
 * produces before anything is stored: the days it read, the lines it could not read, and the
 * problems its sanity checks found. Nothing is guessed: a line that is not understood is listed.
 */
import type { IsoDate } from './dates.ts';

export const IMPORT_FORMATS = ['notice', 'ics', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportedDay {
  readonly date: IsoDate;
  /** holiday: 放假; adjusted-workday: 调休上班 (a weekend day worked); workday: explicit working day. */
  readonly kind: 'holiday' | 'adjusted-workday' | 'workday';
  /** The holiday it belongs to (春节, 国庆节、中秋节 …). */
  readonly name: string;
  /** 1-based line (notice, ICS) or entry number (JSON) it was read from. */
  readonly line: number;
}

export interface UnparsedLine {
  readonly line: number;
  readonly text: string;
  /** Why it was not understood (Chinese). */
  readonly reason: string;
  /**
   * True when the line mentions a date or a holiday word (放假, 上班, 调休 …): the import is not
   * committed while such a line is unread. Lines without any (a source note, a heading of the web
   * page) are listed but do not block.
   */
  readonly blocking: boolean;
}

export interface ImportProblem {
  readonly line: number | null;
  readonly date?: IsoDate;
  readonly message: string;
}

export interface ImportResult {
  readonly format: ImportFormat;
  /** The year the import is for (from the title, the caller, or the data); null when unknown. */
  readonly year: number | null;
  /** Document number or file name, stored as the rows' source. */
  readonly source: string | null;
  /** Ascending by date. */
  readonly days: readonly ImportedDay[];
  readonly unparsed: readonly UnparsedLine[];
  /** Sanity-check failures: they block the commit. */
  readonly problems: readonly ImportProblem[];
  /** Things read and deliberately not used (e.g. 鼓励…休息, events of other years). */
  readonly remarks: readonly string[];
}

export function hasBlockingIssues(r: ImportResult): boolean {
  return r.year === null || r.problems.length > 0 || r.unparsed.some((u) => u.blocking) || r.days.length === 0;
}

/** Words that make an unread line matter (it may carry days off or working days). */
export const HOLIDAY_WORDS = /放假|上班|调休|补班|休息|假期|休假|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{2}-\d{2}/;

export function byDate<T extends { date: string }>(a: T, b: T): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
