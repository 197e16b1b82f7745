import { maskFreeText } from '../identity/free-text.ts';

/**
 * The last log records of the daemon, in memory, for the console's 日志 (log tail) and the
 * diagnostics bundle. kiosk/main.ts tees pino into it (pino.multistream: stdout for journald, and
 * this ring); nothing is written to disk here and a restart empties it.
 *
 * Logs carry no personal data (pino `redact` in kiosk/main.ts, masked values in the domain logs);
 * the ring keeps it so: only the fields below are kept, and every text is passed through
 * maskFreeText (ID and mobile numbers), so a number that slipped into a message still does not
 * reach the screen or the bundle.
 */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export const LOG_LEVELS: Readonly<Record<LogLevelName, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
const NAMES = Object.fromEntries(Object.entries(LOG_LEVELS).map(([k, v]) => [v, k])) as Record<number, LogLevelName>;

export interface LogRecord {
  /** Sequence number since the daemon started (the UI asks for records after the last one it has). */
  readonly seq: number;
  readonly time: number;
  readonly level: LogLevelName;
  /** The device of a driver's logger (`log.child({ device })`), or null. */
  readonly device: string | null;
  /** `http` for Fastify's logger, else null. */
  readonly part: string | null;
  readonly msg: string;
  /** Short facts of the record (codes, states, counts): primitives only, each text masked and cut. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export interface LogQuery {
  /** The lowest level shown (`warn`: warn, error and fatal). */
  readonly level?: LogLevelName;
  readonly device?: string;
  /** Only records after this sequence number. */
  readonly after?: number;
  readonly limit?: number;
}

/** Keys of pino's own envelope, or of objects that are never useful on the console. */
const SKIP = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'device', 'part', 'v', 'reqId', 'req', 'res']);
const MAX_DETAILS = 12;
const MAX_TEXT = 300;

const clean = (s: string, max = MAX_TEXT): string => maskFreeText(s.length > max ? `${s.slice(0, max)}…` : s).text;

export class LogRing {
  readonly capacity: number;
  readonly #records: LogRecord[] = [];
  #seq = 0;

  constructor(capacity = 500) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError('"capacity" is not a positive integer');
    this.capacity = capacity;
  }

  /**
   * pino's destination interface: one serialised JSON record per call (after redaction). A line
   * that is not JSON (never from pino) is ignored.
   */
  write(line: string): void {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    this.add(raw);
  }

  add(raw: Record<string, unknown>): void {
    const details: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (SKIP.has(k) || Object.keys(details).length >= MAX_DETAILS) continue;
      if (typeof v === 'number' || typeof v === 'boolean' || v === null) details[k] = v;
      else if (typeof v === 'string') details[k] = clean(v);
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) details[k] = clean(v.join(', '));
      else if (k === 'err' && v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string')
        details[k] = clean((v as { message: string }).message);
    }
    const level = typeof raw.level === 'number' ? (NAMES[raw.level] ?? 'info') : 'info';
    this.#records.push({
      seq: ++this.#seq,
      time: typeof raw.time === 'number' ? raw.time : Date.now(),
      level,
      device: typeof raw.device === 'string' ? raw.device : null,
      part: typeof raw.part === 'string' ? raw.part : null,
      msg: clean(typeof raw.msg === 'string' ? raw.msg : '', 1000),
      details,
    });
    if (this.#records.length > this.capacity) this.#records.splice(0, this.#records.length - this.capacity);
  }

  /** Oldest first, at most `limit` (the newest ones). */
  query(q: LogQuery = {}): LogRecord[] {
    const min = LOG_LEVELS[q.level ?? 'trace'];
    const out = this.#records.filter(
      (r) => LOG_LEVELS[r.level] >= min && (q.device === undefined || r.device === q.device) && (q.after === undefined || r.seq > q.after),
    );
    return q.limit !== undefined && out.length > q.limit ? out.slice(out.length - q.limit) : out;
  }

  /** The devices that have logged (for the filter's choices). */
  devices(): string[] {
    return [...new Set(this.#records.map((r) => r.device).filter((d): d is string => d !== null))].sort();
  }
}
