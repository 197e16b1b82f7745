/**
 * Pure bytes <-> messages for the ticket presenter. No I/O; decoders never throw.
 *
 * Sources (README.md in this folder; §5.x is ../printer/README.md):
 * - §6.1 status table: `DLE EOT 20` full status (Custom VKP80, same format on Pyramid Reliance),
 *   `GS e 6` ejector status byte (Reliance), KP-628E `DLE EOT 1` bit 7 "torn away".
 * - §6.2 presenter commands: `GS e n [m] [t]`, Custom VKP80 III `FS P`.
 * - §5.2 classic one-byte `DLE EOT n` replies.
 */
import type { DecodeResult, DispenserFlags, EjectorStatus, FramerOutput, FullStatus, TimeoutAction } from './types.ts';

export const DLE = 0x10;
export const EOT = 0x04;
export const GS = 0x1d;
export const FS = 0x1c;
/** `e`: the GS e ejector/presenter command (§6.2). */
export const GS_E = 0x65;
/** `DLE EOT 20` asks for the full status (§6.1). */
export const FULL_STATUS_N = 0x14;
/** Second header byte of the full-status reply `10 0F b3 b4 b5 b6` (§6.1). */
export const FULL_STATUS_REPLY_ID = 0x0f;
export const FULL_STATUS_REPLY_LENGTH = 6;

/** GS e sub-functions (§6.2 table). */
export const GsE = {
  retract: 0x02,
  present: 0x03,
  eject: 0x05,
  ejectorStatus: 0x06,
  /** Disable continuous mode: the ticket stays at the bezel (TerminalClient "LoopEnable"). */
  holdAtBezel: 0x12,
  /** Enable continuous mode, the power-up default (TerminalClient "LoopDisable"). */
  continuousMode: 0x14,
  /** `GS e 32 m t`: present m steps with timeout t. */
  presentWithTimeout: 0x20,
} as const;

/** Bits of the full-status bytes b3..b6 (§6.1, Custom VKP80 row; Reliance agrees on b3/b4/b5/b6). */
export const FullStatusBits = {
  b3PaperEnd: 0x01,
  b3NearEnd: 0x04,
  b3TicketAtMouth: 0x20,
  b4CoverOpen: 0x03,
  b4MotorMoving: 0x08,
  b5HeadTemperature: 0x01,
  b5CommError: 0x02,
  b5SupplyVoltage: 0x08,
  b5Jam: 0x40,
  b6Cutter: 0x01,
  b6Memory: 0x4c,
} as const;

/** `GS e 6` reply bits (§6.1, Pyramid Reliance row). */
export const EjectorBits = {
  paperAtEntry: 0x04,
  ticketAtMouth: 0x08,
  motorOn: 0x20,
  error: 0x40,
  jam: 0x80,
} as const;

const byte = (n: number): number => Math.min(255, Math.max(0, Math.round(Number.isFinite(n) ? n : 0)));

// ---------------------------------------------------------------- command builders

/** `DLE EOT 20` = `10 04 14`: full status, 6-byte reply (§6.1). */
export function buildFullStatusRequest(): Uint8Array {
  return Uint8Array.of(DLE, EOT, FULL_STATUS_N);
}

/** `DLE EOT n` = `10 04 n`, n = 1..4: classic 1-byte real-time status (§5.2). */
export function buildRealtimeStatusRequest(n: 1 | 2 | 3 | 4): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/** `GS e 6` = `1D 65 06`: 1-byte ejector status (§6.2). */
export function buildEjectorStatusRequest(): Uint8Array {
  return Uint8Array.of(GS, GS_E, GsE.ejectorStatus);
}

/** `GS e 2` = `1D 65 02`: retract (the printer cuts first; retraction must be enabled) (§6.2). */
export function buildRetract(): Uint8Array {
  return Uint8Array.of(GS, GS_E, GsE.retract);
}

/** `GS e 5` = `1D 65 05`: eject (push the ticket out) (§6.2). */
export function buildEject(): Uint8Array {
  return Uint8Array.of(GS, GS_E, GsE.eject);
}

/** `GS e 3 m` = `1D 65 03 m`: present m steps, no timeout (§6.2). Values are clamped to 0..255. */
export function buildPresent(steps: number): Uint8Array {
  return Uint8Array.of(GS, GS_E, GsE.present, byte(steps));
}

/** `GS e 18` = `1D 65 12`: keep the ticket at the bezel instead of continuous mode (§6.2). */
export function buildHoldAtBezel(): Uint8Array {
  return Uint8Array.of(GS, GS_E, GsE.holdAtBezel);
}

/** `GS e 20` = `1D 65 14`: continuous mode (power-up default) (§6.2). */
export function buildContinuousMode(): Uint8Array {
  return Uint8Array.of(GS, GS_E, GsE.continuousMode);
}

/**
 * `GS e 32 m t` = `1D 65 20 m t`: present m steps; when t passes, the printer ejects or retracts
 * the ticket "according to configuration" (§6.2). The unit of t is not given by the reference
 * ([UNCONFIRMED]); this code treats it as seconds, 1..255. A timeout of 0 is raised to 1, since
 * its meaning (perhaps "never") is not documented.
 */
export function buildPresentWithTimeout(options: { steps: number; timeoutSeconds: number }): Uint8Array {
  return Uint8Array.of(GS, GS_E, GsE.presentWithTimeout, byte(options.steps), Math.max(1, byte(options.timeoutSeconds)));
}

/**
 * Custom VKP80 III `FS P` = `1C 50 len 01 'E'|'R' t`: present `len`, blink the bezel LEDs (`01`),
 * then eject ('E') or retract ('R') an uncollected ticket after timeout t (§6.2).
 * [UNCONFIRMED] The reference names the fields but not their widths or units; this assumes one
 * byte each and t in seconds. Blinking off is sent as `00` [INFERENCE].
 */
export function buildCustomPresent(options: { length: number; action: TimeoutAction; timeoutSeconds: number; blink?: boolean }): Uint8Array {
  return Uint8Array.of(
    FS,
    0x50,
    byte(options.length),
    options.blink === false ? 0x00 : 0x01,
    options.action === 'eject' ? 0x45 : 0x52,
    Math.max(1, byte(options.timeoutSeconds)),
  );
}

/** `ESC d n` + `GS V 1`: feed n lines and partial-cut (§5.1). Used for the admin test slip. */
export function buildFeedAndCut(lines: number): Uint8Array {
  return Uint8Array.of(0x1b, 0x64, byte(lines), GS, 0x56, 0x01);
}

// ---------------------------------------------------------------- reply decoders

/** Decode the four status bytes b3..b6 of a full-status reply. Masks only documented bits (§5.2 advice). */
export function decodeStatusBytes(b3: number, b4: number, b5: number, b6: number): FullStatus {
  const b = FullStatusBits;
  return {
    ticketAtMouth: (b3 & b.b3TicketAtMouth) !== 0,
    paperLow: (b3 & b.b3NearEnd) !== 0,
    paperOut: (b3 & b.b3PaperEnd) !== 0,
    coverOpen: (b4 & b.b4CoverOpen) !== 0,
    motorMoving: (b4 & b.b4MotorMoving) !== 0,
    jam: (b5 & b.b5Jam) !== 0,
    cutterError: (b6 & b.b6Cutter) !== 0,
    headTemperature: (b5 & b.b5HeadTemperature) !== 0,
    supplyVoltage: (b5 & b.b5SupplyVoltage) !== 0,
    commError: (b5 & b.b5CommError) !== 0,
    memoryError: (b6 & b.b6Memory) !== 0,
    raw: [b3 & 0xff, b4 & 0xff, b5 & 0xff, b6 & 0xff],
  };
}

/** Decode one complete `10 0F b3 b4 b5 b6` frame (§6.1). */
export function decodeFullStatus(frame: Uint8Array): DecodeResult<FullStatus> {
  if (frame.length < FULL_STATUS_REPLY_LENGTH) {
    return { ok: false, error: { code: 'short-frame', length: frame.length } };
  }
  const [h0 = 0, h1 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0] = frame;
  if (h0 !== DLE || h1 !== FULL_STATUS_REPLY_ID) {
    return { ok: false, error: { code: 'bad-header', header: [h0, h1] } };
  }
  return { ok: true, value: decodeStatusBytes(b3, b4, b5, b6) };
}

/** Decode the 1-byte `GS e 6` reply (§6.1, Reliance). */
export function decodeEjectorStatus(value: number): EjectorStatus {
  const b = EjectorBits;
  return {
    ticketAtMouth: (value & b.ticketAtMouth) !== 0,
    paperAtEntry: (value & b.paperAtEntry) !== 0,
    motorOn: (value & b.motorOn) !== 0,
    error: (value & b.error) !== 0,
    jam: (value & b.jam) !== 0,
  };
}

export type RealtimeStatus =
  | { readonly n: 1; readonly offline: boolean; readonly ticketTaken: boolean }
  | { readonly n: 2; readonly coverOpen: boolean; readonly stoppedByPaperEnd: boolean; readonly error: boolean }
  | { readonly n: 3; readonly cutterError: boolean; readonly unrecoverable: boolean; readonly autoRecoverable: boolean }
  | { readonly n: 4; readonly paperLow: boolean; readonly paperOut: boolean };

/**
 * Decode a classic 1-byte `DLE EOT n` reply (§5.2). Only documented bits are read; the fixed
 * bits 1 and 4 are not checked (vendors differ). For n = 1, `ticketTaken` is the KP-628E bit 7
 * meaning (0 = paper torn away); on printers without that sensor the bit reads 0, so callers must
 * only trust it for KP-628E-class printers.
 */
export function decodeRealtimeStatus(n: 1 | 2 | 3 | 4, value: number): RealtimeStatus {
  switch (n) {
    case 1:
      return { n, offline: (value & 0x08) !== 0, ticketTaken: (value & 0x80) === 0 };
    case 2:
      return { n, coverOpen: (value & 0x04) !== 0, stoppedByPaperEnd: (value & 0x20) !== 0, error: (value & 0x40) !== 0 };
    case 3:
      return { n, cutterError: (value & 0x08) !== 0, unrecoverable: (value & 0x20) !== 0, autoRecoverable: (value & 0x40) !== 0 };
    case 4:
      return { n, paperLow: (value & 0x0c) !== 0, paperOut: (value & 0x60) !== 0 };
  }
}

/**
 * Derive the daemon's flags from the previous and the current full status (§6.3 [INFERENCE]):
 * the mouth bit set and then cleared means the ticket was taken, unless the host had sent a
 * retract command since, in which case the ticket was retracted.
 */
export function deriveFlags(previousAtMouth: boolean, current: FullStatus, retractSent: boolean): DispenserFlags {
  const cleared = previousAtMouth && !current.ticketAtMouth;
  return {
    ticketAtMouth: current.ticketAtMouth,
    ticketTaken: cleared && !retractSent,
    retracted: cleared && retractSent,
    jam: current.jam,
    paperLow: current.paperLow,
    paperOut: current.paperOut,
    coverOpen: current.coverOpen,
  };
}

// ---------------------------------------------------------------- incremental framer

/**
 * Splits the byte stream from the printer into `10 0F b3 b4 b5 b6` full-status frames, whatever
 * the chunking. Bytes that cannot start a frame are dropped and reported once per run as an
 * `unexpected-bytes` error. The reply has no checksum (§6.1), so a `10 0F` inside noise cannot be
 * told apart from a real reply; the driver limits the damage by accepting frames only while a
 * request is outstanding.
 */
export class FullStatusFramer {
  #buf: number[] = [];

  push(chunk: Uint8Array): FramerOutput[] {
    const out: FramerOutput[] = [];
    let dropped = 0;
    const flushDropped = (): void => {
      if (dropped > 0) out.push({ type: 'error', error: { code: 'unexpected-bytes', count: dropped } });
      dropped = 0;
    };
    for (const value of chunk) {
      const buf = this.#buf;
      if (buf.length === 0) {
        if (value === DLE) buf.push(value);
        else dropped++;
        continue;
      }
      if (buf.length === 1) {
        if (value === FULL_STATUS_REPLY_ID) {
          buf.push(value);
        } else if (value === DLE) {
          dropped++; // the previous DLE was noise; this one may start a frame
        } else {
          dropped += 2;
          this.#buf = [];
        }
        continue;
      }
      buf.push(value);
      if (buf.length === FULL_STATUS_REPLY_LENGTH) {
        flushDropped();
        const [, , b3 = 0, b4 = 0, b5 = 0, b6 = 0] = buf;
        out.push({ type: 'status', status: decodeStatusBytes(b3, b4, b5, b6) });
        this.#buf = [];
      }
    }
    flushDropped();
    return out;
  }

  /** Forget a partial frame (e.g. after a reply timeout or a reconnect). */
  reset(): void {
    this.#buf = [];
  }

  get pending(): number {
    return this.#buf.length;
  }
}
