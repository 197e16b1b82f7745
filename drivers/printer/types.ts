/** Public types of the printer driver and simulator. */
import type { DeviceLogger } from '../common/logger.ts';
import type { DeviceStatus, DeviceWarning } from '../common/status.ts';
import type { ByteTransport } from '../common/transport.ts';
import type { Align, QrErrorLevel, TextSize } from './document.ts';
import type { PrinterProfile } from './profiles.ts';
import type { PrinterMessageCode } from './messages.ts';

// ---------- driver ----------

export type PrinterDriverOptions = {
  /** The link: a SerialTransport (/dev/ttyUSB0) in a hall, a memory link to the simulator otherwise. */
  readonly transport: ByteTransport;
  /**
   * Line speed, only for the write deadline (twice the wire time + 2 s). Default 9600, the usual
   * ESC/POS serial speed (README.md §5.4 "Serial adapter").
   */
  readonly baudRate?: number;
  readonly profile: PrinterProfile;
  /** Status poll period; default 2000 ms. 0 disables polling. */
  readonly pollIntervalMs?: number;
  /** How long to wait for each 1-byte DLE EOT reply; default 500 ms. */
  readonly statusTimeoutMs?: number;
  /**
   * Wait between the last job byte leaving and the after-job status check, so a real printer
   * has printed what it buffered; default 200 ms (a simulator needs 0).
   */
  readonly settleMs?: number;
  readonly logger?: DeviceLogger;
};

/** Why a job failed. Before sending: nothing printed, safe to retry. After: the ticket may be partial. */
export type PrintFailureCode = Extract<
  PrinterMessageCode,
  | 'paper-out'
  | 'cover-open'
  | 'cutter-error'
  | 'offline'
  | 'unrecoverable-error'
  | 'auto-recoverable-error'
  | 'no-response'
  | 'disconnected'
  | 'paper-out-mid-job'
  | 'interrupted-mid-job'
  | 'write-failed'
  | 'invalid-document'
  | 'stopped'
>;

/** Where the job stopped: 'precheck' = nothing was sent; 'send' / 'postcheck' = bytes went out. */
export type PrintPhase = 'precheck' | 'send' | 'postcheck';

export type PrintResult =
  | { readonly ok: true; readonly bytes: number; readonly warnings: readonly DeviceWarning[] }
  | {
      readonly ok: false;
      readonly code: PrintFailureCode;
      /** Chinese, fit for the screen. */
      readonly message: string;
      readonly phase: PrintPhase;
    };

/** A job the printer finished (the paper it used is an estimate from the bytes, drivers/printer/paper-usage.ts). */
export type PrintedJob = { readonly bytes: number; readonly lines: number; readonly dots: number };

export type PrinterDriverEvents = {
  status: [DeviceStatus];
  /** After every job that printed (not after a refused or failed one). */
  printed: [PrintedJob];
};

// ---------- simulator ----------

export type ReceiptLine = {
  readonly text: string;
  readonly align: Align;
  readonly bold: boolean;
  readonly size: TextSize;
};
export type ReceiptQr = {
  readonly data: string;
  readonly moduleSize: number;
  readonly errorLevel: QrErrorLevel;
  readonly align: Align;
};
export type ReceiptItem = ({ readonly kind: 'line' } & ReceiptLine) | ({ readonly kind: 'qr' } & ReceiptQr);

export type Receipt = {
  /** Text lines in print order (blank feeds are lines with text ''). */
  readonly lines: readonly ReceiptLine[];
  /** QR contents in print order. */
  readonly qrCodes: readonly string[];
  /** Lines and QR codes interleaved in print order, for rendering. */
  readonly items: readonly ReceiptItem[];
  /** The cutter cut this receipt off. */
  readonly cut: boolean;
  /** False when printing stopped part-way (paper ran out, cover opened, went offline). */
  readonly complete: boolean;
  /** Printable width in dots (384 = 58 mm, 576 = 80 mm). */
  readonly paperDots: number;
};

export type PaperLevel = 'ok' | 'near-end' | 'out';

export type PrinterSimulatorOptions = {
  /** Default 576 (80 mm). */
  paperDots?: number;
  /** Whether GB bytes print as Chinese without FS & (many printers ship that way). Default false. */
  chineseModeByDefault?: boolean;
  /** Paper runs out when printing the (N+1)th line from now. */
  paperLines?: number;
};
