/**
 * The status side of the ESC/POS codec: DLE EOT n requests and their 1-byte replies
 * (README.md §5.2 in this folder, Epson semantics as in node-escpos statuses.js and the KP-628E
 * manual). Only the documented bits are read; the "fixed" bits 1 and 4 differ between vendors
 * (Pyramid replies 0x6C for no paper), so they are never checked. Pure, never throws.
 */
import type { DeviceStatus, DeviceWarning } from '../common/status.ts';
import { faultFrom, ready, warningFrom } from '../common/status.ts';
import { dleEot, type StatusRequestKind } from './commands.ts';
import { PRINTER_FAULTS } from './messages.ts';

export const STATUS_REQUESTS: readonly StatusRequestKind[] = [1, 2, 3, 4];
export const statusRequest = (n: StatusRequestKind): Uint8Array => dleEot(n);

/** n = 1, printer status. */
export type PrinterStatusBits = { readonly drawerPinHigh: boolean; readonly offline: boolean; readonly waitingRecovery: boolean; readonly feedButton: boolean };
/** n = 2, offline cause. */
export type OfflineCauseBits = {
  readonly coverOpen: boolean;
  readonly feedingByButton: boolean;
  readonly stoppedByPaperEnd: boolean;
  readonly errorOccurred: boolean;
};
/** n = 3, error cause. */
export type ErrorCauseBits = {
  readonly recoverableError: boolean;
  readonly cutterError: boolean;
  readonly unrecoverableError: boolean;
  readonly autoRecoverableError: boolean;
};
/** n = 4, roll paper sensor. */
export type RollPaperBits = { readonly paperNearEnd: boolean; readonly paperOut: boolean };

export type StatusReply =
  | { readonly n: 1; readonly bits: PrinterStatusBits }
  | { readonly n: 2; readonly bits: OfflineCauseBits }
  | { readonly n: 3; readonly bits: ErrorCauseBits }
  | { readonly n: 4; readonly bits: RollPaperBits };

export type StatusDecodeResult = { readonly ok: true; readonly reply: StatusReply } | { readonly ok: false; readonly error: 'bad-request-kind' | 'bad-byte' };

const bit = (value: number, b: number): boolean => (value & (1 << b)) !== 0;

export function decodeStatusReply(n: number, byte: number): StatusDecodeResult {
  if (!Number.isInteger(byte) || byte < 0 || byte > 0xff) return { ok: false, error: 'bad-byte' };
  switch (n) {
    case 1:
      return {
        ok: true,
        reply: { n: 1, bits: { drawerPinHigh: bit(byte, 2), offline: bit(byte, 3), waitingRecovery: bit(byte, 5), feedButton: bit(byte, 6) } },
      };
    case 2:
      return {
        ok: true,
        reply: { n: 2, bits: { coverOpen: bit(byte, 2), feedingByButton: bit(byte, 3), stoppedByPaperEnd: bit(byte, 5), errorOccurred: bit(byte, 6) } },
      };
    case 3:
      return {
        ok: true,
        reply: {
          n: 3,
          bits: { recoverableError: bit(byte, 2), cutterError: bit(byte, 3), unrecoverableError: bit(byte, 5), autoRecoverableError: bit(byte, 6) },
        },
      };
    case 4:
      // Bits 2 and 3 both report near end, bits 5 and 6 both report paper out; either suffices.
      return { ok: true, reply: { n: 4, bits: { paperNearEnd: (byte & 0x0c) !== 0, paperOut: (byte & 0x60) !== 0 } } };
    default:
      return { ok: false, error: 'bad-request-kind' };
  }
}

/** Everything the four replies say, merged. */
export type PrinterFlags = {
  readonly offline: boolean;
  readonly coverOpen: boolean;
  readonly feedButton: boolean;
  readonly paperNearEnd: boolean;
  readonly paperOut: boolean;
  readonly cutterError: boolean;
  readonly unrecoverableError: boolean;
  readonly autoRecoverableError: boolean;
  readonly recoverableError: boolean;
};

export const CLEAR_FLAGS: PrinterFlags = Object.freeze({
  offline: false,
  coverOpen: false,
  feedButton: false,
  paperNearEnd: false,
  paperOut: false,
  cutterError: false,
  unrecoverableError: false,
  autoRecoverableError: false,
  recoverableError: false,
});

export function mergeReplies(replies: readonly StatusReply[]): PrinterFlags {
  const f = { ...CLEAR_FLAGS };
  for (const r of replies) {
    if (r.n === 1) {
      f.offline ||= r.bits.offline;
      f.feedButton ||= r.bits.feedButton;
    } else if (r.n === 2) {
      f.coverOpen ||= r.bits.coverOpen;
      f.paperOut ||= r.bits.stoppedByPaperEnd;
    } else if (r.n === 3) {
      f.cutterError ||= r.bits.cutterError;
      f.unrecoverableError ||= r.bits.unrecoverableError;
      f.autoRecoverableError ||= r.bits.autoRecoverableError;
      f.recoverableError ||= r.bits.recoverableError;
    } else {
      f.paperOut ||= r.bits.paperOut;
      f.paperNearEnd ||= r.bits.paperNearEnd;
    }
  }
  return f;
}

/** Fault codes in priority order: the most specific, most actionable cause wins. */
export type PrinterFaultCode = 'paper-out' | 'cover-open' | 'cutter-error' | 'unrecoverable-error' | 'auto-recoverable-error' | 'offline';

export function faultOf(flags: PrinterFlags): PrinterFaultCode | null {
  if (flags.paperOut) return 'paper-out';
  if (flags.coverOpen) return 'cover-open';
  if (flags.cutterError) return 'cutter-error';
  if (flags.unrecoverableError) return 'unrecoverable-error';
  if (flags.autoRecoverableError) return 'auto-recoverable-error';
  // Offline without a named cause (e.g. the feed button is held, or waiting for recovery).
  if (flags.offline) return 'offline';
  return null;
}

export function flagsToDeviceStatus(flags: PrinterFlags): DeviceStatus {
  const code = faultOf(flags);
  if (code) return faultFrom(PRINTER_FAULTS, code);
  const warnings: DeviceWarning[] = [];
  if (flags.paperNearEnd) warnings.push(warningFrom(PRINTER_FAULTS, 'paper-near-end'));
  return ready(warnings);
}
