/**
 * The device side of the codec, used by the simulator: parse host commands from an arbitrarily
 * chunked byte stream and encode the device's status replies. Pure; never throws.
 * Byte layouts: README.md §6.1, §6.2 (presenter); ../printer/README.md §5.1 (ESC/POS feed/cut), §5.2 (DLE EOT n).
 */
import { DLE, EOT, EjectorBits, FS, FULL_STATUS_N, FULL_STATUS_REPLY_ID, FullStatusBits, GS, GS_E, GsE } from './codec.ts';
import type { HostCommand } from './types.ts';

const ESC = 0x1b;

type Parsed = { readonly command: HostCommand; readonly used: number } | 'need-more';

/** Incremental host-command parser. Unknown bytes come out one at a time as `unknown`. */
export class HostCommandParser {
  #buf: number[] = [];

  push(chunk: Uint8Array): HostCommand[] {
    for (const b of chunk) this.#buf.push(b);
    const out: HostCommand[] = [];
    for (;;) {
      if (this.#buf.length === 0) break;
      const parsed = parseOne(this.#buf);
      if (parsed === 'need-more') break;
      out.push(parsed.command);
      this.#buf.splice(0, parsed.used);
    }
    return out;
  }

  reset(): void {
    this.#buf = [];
  }
}

function unknown(b: number): Parsed {
  return { command: { kind: 'unknown', byte: b }, used: 1 };
}

function parseOne(buf: readonly number[]): Parsed {
  const b0 = buf[0] ?? 0;
  const b1 = buf[1];
  if (b0 !== DLE && b0 !== GS && b0 !== FS && b0 !== ESC) return unknown(b0);
  if (b1 === undefined) return 'need-more';
  switch (b0) {
    case DLE:
      return parseDle(buf, b1);
    case GS:
      if (b1 === GS_E) return parseGsE(buf);
      if (b1 === 0x56) return parseCut(buf);
      return unknown(b0);
    case FS:
      return b1 === 0x50 ? parseFsP(buf) : unknown(b0);
    default: // ESC
      if (b1 === 0x40) return { command: { kind: 'initialize' }, used: 2 };
      if (b1 === 0x64) return buf.length < 3 ? 'need-more' : { command: { kind: 'feed', lines: buf[2] ?? 0 }, used: 3 };
      return unknown(b0);
  }
}

function parseDle(buf: readonly number[], b1: number): Parsed {
  if (b1 !== EOT) return unknown(DLE);
  const n = buf[2];
  if (n === undefined) return 'need-more';
  if (n === FULL_STATUS_N) return { command: { kind: 'full-status' }, used: 3 };
  if (n === 1 || n === 2 || n === 3 || n === 4) return { command: { kind: 'realtime-status', n }, used: 3 };
  return unknown(DLE);
}

function parseGsE(buf: readonly number[]): Parsed {
  const fn = buf[2];
  if (fn === undefined) return 'need-more';
  switch (fn) {
    case GsE.retract:
      return { command: { kind: 'retract' }, used: 3 };
    case GsE.eject:
      return { command: { kind: 'eject' }, used: 3 };
    case GsE.ejectorStatus:
      return { command: { kind: 'ejector-status' }, used: 3 };
    case GsE.holdAtBezel:
      return { command: { kind: 'hold-at-bezel' }, used: 3 };
    case GsE.continuousMode:
      return { command: { kind: 'continuous-mode' }, used: 3 };
    case GsE.present: {
      const m = buf[3];
      return m === undefined ? 'need-more' : { command: { kind: 'present', steps: m }, used: 4 };
    }
    case GsE.presentWithTimeout: {
      const m = buf[3];
      const t = buf[4];
      if (m === undefined || t === undefined) return 'need-more';
      return { command: { kind: 'present-timeout', steps: m, timeout: t }, used: 5 };
    }
    default:
      return unknown(GS);
  }
}

/** `GS V m` (m = 0/1/48/49) or `GS V m n` (m = 65/66) (§5.1). */
function parseCut(buf: readonly number[]): Parsed {
  const m = buf[2];
  if (m === undefined) return 'need-more';
  if (m === 0x00 || m === 0x01 || m === 0x30 || m === 0x31) return { command: { kind: 'cut' }, used: 3 };
  if (m === 0x41 || m === 0x42) return buf.length < 4 ? 'need-more' : { command: { kind: 'cut' }, used: 4 };
  return unknown(GS);
}

/** `FS P len blink 'E'|'R' t` (§6.2, field widths [UNCONFIRMED], see codec.ts). */
function parseFsP(buf: readonly number[]): Parsed {
  if (buf.length < 6) return 'need-more';
  const action = buf[4];
  if (action !== 0x45 && action !== 0x52) return unknown(FS);
  return {
    command: {
      kind: 'custom-present',
      length: buf[2] ?? 0,
      blink: buf[3] === 0x01,
      action: action === 0x45 ? 'eject' : 'retract',
      timeout: buf[5] ?? 0,
    },
    used: 6,
  };
}

// ---------------------------------------------------------------- reply encoders

export interface PresenterCondition {
  ticketAtMouth: boolean;
  paperLow: boolean;
  paperOut: boolean;
  coverOpen: boolean;
  motorMoving: boolean;
  jam: boolean;
  cutterError: boolean;
}

/** `10 0F b3 b4 b5 b6` (§6.1). */
export function encodeFullStatus(c: PresenterCondition): Uint8Array {
  const b = FullStatusBits;
  const b3 = (c.paperOut ? b.b3PaperEnd : 0) | (c.paperLow ? b.b3NearEnd : 0) | (c.ticketAtMouth ? b.b3TicketAtMouth : 0);
  const b4 = (c.coverOpen ? b.b4CoverOpen : 0) | (c.motorMoving ? b.b4MotorMoving : 0);
  const b5 = c.jam ? b.b5Jam : 0;
  const b6 = c.cutterError ? b.b6Cutter : 0;
  return Uint8Array.of(DLE, FULL_STATUS_REPLY_ID, b3, b4, b5, b6);
}

/** One `GS e 6` byte (§6.1, Reliance). A ticket in the presenter is at the entry as well [INFERENCE]. */
export function encodeEjectorStatus(c: PresenterCondition): number {
  const b = EjectorBits;
  return (c.ticketAtMouth ? b.ticketAtMouth | b.paperAtEntry : 0) | (c.motorMoving ? b.motorOn : 0) | (c.jam ? b.jam | b.error : 0);
}

/**
 * One classic `DLE EOT n` byte (§5.2): Epson fixed bits 1 and 4 set (all clear = `0x12`),
 * KP-628E bit 7 for n = 1 (1 = ticket not torn away).
 */
export function encodeRealtimeStatus(n: 1 | 2 | 3 | 4, c: PresenterCondition): number {
  const base = 0x12;
  switch (n) {
    case 1:
      return base | (c.ticketAtMouth ? 0x80 : 0) | (c.coverOpen || c.paperOut || c.jam ? 0x08 : 0);
    case 2:
      return base | (c.coverOpen ? 0x04 : 0) | (c.paperOut ? 0x20 : 0) | (c.jam || c.cutterError ? 0x40 : 0);
    case 3:
      return base | (c.cutterError ? 0x08 : 0);
    case 4:
      return base | (c.paperLow ? 0x0c : 0) | (c.paperOut ? 0x60 : 0);
  }
}
