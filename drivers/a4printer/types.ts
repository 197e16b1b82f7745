/** Public types of the A4 (IPP) printer driver and its simulator. */
import type { DeviceLogger } from '../common/logger.ts';
import type { DeviceWarning } from '../common/status.ts';
import type { JobStateName, PrinterStateName } from './codec.ts';
import type { A4PrinterMessageCode } from './messages.ts';

export interface A4PrinterDriverOptions {
  /** A CUPS queue name (→ ipp://localhost:631/printers/<name>) or an ipp://, ipps://, http:// or https:// printer URI. */
  readonly target: string;
  /** Printer status poll period; default 5000 ms. 0 disables polling. */
  readonly statusPollMs?: number;
  /** Get-Job-Attributes poll period while a job runs; default 250 ms. */
  readonly jobPollMs?: number;
  /** Per IPP request; default 5000 ms. */
  readonly requestTimeoutMs?: number;
  /** A job not completed by then is cancelled; default 120 s. */
  readonly jobTimeoutMs?: number;
  /** A job stopped by a printer fault is cancelled after this long (so it cannot print later, unattended); default 30 s. */
  readonly stallCancelMs?: number;
  /** requesting-user-name; default "hall-kiosk". */
  readonly userName?: string;
  readonly logger?: DeviceLogger;
}

/** What Get-Printer-Attributes said. */
export interface PrinterSnapshot {
  readonly state: PrinterStateName;
  /** printer-state-reasons keywords as sent (with -report / -warning / -error suffixes). */
  readonly reasons: readonly string[];
  readonly acceptingJobs: boolean;
  readonly makeAndModel: string | null;
}

export type A4PrintFailureCode = Extract<
  A4PrinterMessageCode,
  | 'media-empty'
  | 'media-jam'
  | 'door-open'
  | 'toner-empty'
  | 'offline'
  | 'paused'
  | 'stopped'
  | 'not-accepting'
  | 'unreachable'
  | 'invalid-response'
  | 'not-started'
  | 'rejected'
  | 'invalid-document'
  | 'media-empty-mid-job'
  | 'media-jam-mid-job'
  | 'interrupted-mid-job'
  | 'aborted'
  | 'canceled'
  | 'timeout'
>;

/** 'precheck': nothing was sent, safe to retry. 'submit': Print-Job refused or unanswered. 'job': the printer had the job. */
export type A4PrintPhase = 'precheck' | 'submit' | 'job';

export type A4PrintResult =
  | { readonly ok: true; readonly jobId: number; readonly warnings: readonly DeviceWarning[] }
  | {
      readonly ok: false;
      readonly code: A4PrintFailureCode;
      readonly message: string;
      readonly phase: A4PrintPhase;
      /** The printer's job id when the job was accepted. */
      readonly jobId: number | null;
    };

export interface JobProgress {
  readonly jobId: number;
  readonly state: JobStateName;
  readonly reasons: readonly string[];
}

export interface A4PrintOptions {
  /** job-name; never personal data (it shows in the printer's queue). Default "certificate". */
  readonly jobName?: string;
  readonly onProgress?: (p: JobProgress) => void;
}

// ---------- simulator ----------

export interface SimulatedJob {
  readonly id: number;
  readonly name: string;
  readonly userName: string;
  readonly format: string;
  /** The document bytes exactly as received. */
  readonly data: Buffer;
  readonly pages: number;
  readonly pagesPrinted: number;
  readonly state: JobStateName;
  readonly stateReasons: readonly string[];
  readonly createdAt: number;
  readonly completedAt: number | null;
}

export interface IppSimulatorOptions {
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Queue name in the URI path /printers/<name>; default "kiosk-a4". */
  readonly queueName?: string;
  /** Time a job stays pending before processing; default 30 ms. */
  readonly pendingMs?: number;
  /** Time per printed page; default 60 ms. */
  readonly msPerPage?: number;
  /**
   * Finished jobs (completed, aborted, canceled) kept with their documents, newest last, like a
   * printer's job history; older ones are forgotten. Default 50: a simulator that runs all day
   * under `npm start` does not hold every certificate it ever printed.
   */
  readonly jobHistory?: number;
}
