import type { DeviceLogger } from '../common/logger.ts';
import type { DeviceStatus } from '../common/status.ts';
import type { ByteTransport } from '../common/transport.ts';

/**
 * Ticket presenter ("dispenser") of a kiosk ESC/POS ticket printer.
 *
 * Protocol family: Custom VKP80 / Pyramid Reliance (README.md §6.1, §6.2 in this folder).
 * - Status: `DLE EOT 20` (`10 04 14`) -> 6-byte reply `10 0F b3 b4 b5 b6`.
 * - Presenter: `GS e n …` (`1D 65 …`), plus the Custom VKP80 III `FS P` present command.
 * - Classic one-byte `DLE EOT 1..4` (§5.2) and `GS e 6` ejector status are decoded too,
 *   so the simulator can answer them (§6.3 item 6).
 */

/** Decoded `DLE EOT 20` full-status reply (README.md §6.1, Custom VKP80 row). */
export interface FullStatus {
  /** b3 `20`: paper in presenter, i.e. a ticket is held at the mouth. */
  readonly ticketAtMouth: boolean;
  /** b3 `04`: paper near end. */
  readonly paperLow: boolean;
  /** b3 `01`: paper end. */
  readonly paperOut: boolean;
  /** b4 `03` (bits 0/1; Reliance documents both bits as cover open). */
  readonly coverOpen: boolean;
  /** b4 `08`: presenter/paper motor moving. */
  readonly motorMoving: boolean;
  /** b5 `40`: paper jam. */
  readonly jam: boolean;
  /** b6 `01`: cutter error. */
  readonly cutterError: boolean;
  /** b5 `01`: head temperature error. */
  readonly headTemperature: boolean;
  /** b5 `08`: supply voltage error. */
  readonly supplyVoltage: boolean;
  /** b5 `02`: RS-232 (communication) error. */
  readonly commError: boolean;
  /** b6 `4C`: memory error (mask as listed by TerminalClient; [UNCONFIRMED] bit meaning). */
  readonly memoryError: boolean;
  /** The four status bytes b3..b6, for diagnostics (they hold no personal data). */
  readonly raw: readonly [number, number, number, number];
}

/** Decoded `GS e 6` ejector status byte (README.md §6.1, Pyramid Reliance row). */
export interface EjectorStatus {
  /** bit 3: presented ticket at output. */
  readonly ticketAtMouth: boolean;
  /** bit 2: paper present at printer entry. */
  readonly paperAtEntry: boolean;
  /** bit 5: ejector motor on. */
  readonly motorOn: boolean;
  /** bit 6: error. */
  readonly error: boolean;
  /** bit 7: jammed. */
  readonly jam: boolean;
}

/**
 * The flags the daemon reasons about. `ticketTaken` and `retracted` are not status bits on the
 * VKP80/Reliance family; they are derived from successive replies (see `deriveFlags`,
 * README.md §6.3 [INFERENCE]). Only the KP-628E reports "torn away" as a bit
 * (`DLE EOT 1` bit 7, §5.2 / §6.1), decoded by `decodeRealtimeStatus`.
 */
export interface DispenserFlags {
  readonly ticketAtMouth: boolean;
  readonly ticketTaken: boolean;
  readonly retracted: boolean;
  readonly jam: boolean;
  readonly paperLow: boolean;
  readonly paperOut: boolean;
  readonly coverOpen: boolean;
}

/** Typed decode errors; decoders never throw. */
export type DecodeError =
  | { readonly code: 'short-frame'; readonly length: number }
  | { readonly code: 'bad-header'; readonly header: readonly number[] }
  | { readonly code: 'unexpected-bytes'; readonly count: number }
  | { readonly code: 'bad-argument'; readonly detail: string };

export type DecodeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DecodeError };

/** Output of the incremental reply framer. */
export type FramerOutput = { readonly type: 'status'; readonly status: FullStatus } | { readonly type: 'error'; readonly error: DecodeError };

/** What the presenter does with an uncollected ticket when its own timeout passes. */
export const TIMEOUT_ACTIONS = ['retract', 'eject'] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];

/** Host -> device commands the simulator understands (parsed by command-codec.ts). */
export type HostCommand =
  | { readonly kind: 'full-status' }
  | { readonly kind: 'realtime-status'; readonly n: 1 | 2 | 3 | 4 }
  | { readonly kind: 'ejector-status' }
  | { readonly kind: 'retract' }
  | { readonly kind: 'present'; readonly steps: number }
  | { readonly kind: 'eject' }
  | { readonly kind: 'hold-at-bezel' }
  | { readonly kind: 'continuous-mode' }
  | { readonly kind: 'present-timeout'; readonly steps: number; readonly timeout: number }
  | {
      readonly kind: 'custom-present';
      readonly length: number;
      readonly blink: boolean;
      readonly action: TimeoutAction;
      readonly timeout: number;
    }
  | { readonly kind: 'initialize' }
  | { readonly kind: 'feed'; readonly lines: number }
  | { readonly kind: 'cut' }
  | { readonly kind: 'unknown'; readonly byte: number };

/** Which present command the driver sends. */
export const PRESENT_COMMANDS = ['gs-e', 'fs-p'] as const;
export type PresentCommand = (typeof PRESENT_COMMANDS)[number];

export interface DispenserDriverOptions {
  /**
   * The link: a SerialTransport (Custom/Reliance kiosk printers ship at 115200 or 9600 baud;
   * configure per site) or a memory link to the simulator.
   */
  transport: ByteTransport;
  /** Status poll interval. Default 300 ms (§6.3 recommends 200-500 ms). */
  pollIntervalMs?: number;
  /** How long to wait for a status reply before counting it as missed. Default 1000 ms. */
  replyTimeoutMs?: number;
  /** Consecutive missed replies before the device is a `no-response` fault. Default 2. */
  maxMissedReplies?: number;
  /** Default time a ticket waits at the mouth before the driver retracts it. Default 60 000 ms. */
  presentTimeoutMs?: number;
  /** How long after `present()` the ticket must show up at the mouth. Default 5000 ms. */
  arrivalTimeoutMs?: number;
  /** How long after a retract command the mouth must be clear. Default 5000 ms. */
  retractTimeoutMs?: number;
  /** Presentation length in presenter steps (Reliance: 7 mm per step). Default 5. */
  presentSteps?: number;
  /** Which present command to send. Default 'gs-e' (`GS e 32 m t`). */
  presentCommand?: PresentCommand;
  logger?: DeviceLogger;
}

export interface PresentOptions {
  /** Time the ticket may wait at the mouth before it is retracted. */
  timeoutMs?: number;
}

export type PresentResult =
  { readonly outcome: 'taken' } | { readonly outcome: 'retracted' } | { readonly outcome: 'failed'; readonly code: string; readonly message: string };

export type DispenserEvents = {
  status: [DeviceStatus];
  'ticket-at-mouth': [];
  'ticket-taken': [];
  'ticket-retracted': [];
};

export interface DispenserSimulatorOptions {
  /**
   * Length of one unit of the timeout byte in present commands. Real firmware: seconds
   * ([UNCONFIRMED], see codec.ts). Tests may shrink it to keep runs short. Default 1000.
   */
  timeoutUnitMs?: number;
  /** What `GS e 32 m t` does when t passes (set by printer configuration, §6.2). Default 'retract'. */
  gsTimeoutAction?: TimeoutAction;
}
