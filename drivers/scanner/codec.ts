import type { ScanErrorCode, SymbologyName } from './types.ts';
import { HID_POS_REPORT_ID } from './types.ts';
import { isAimId, symbologyFromAim, symbologyFromHoneywellCodeId } from './symbology.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, decodeScanText } from './text.ts';

/**
 * Pure scanner codecs: HID-POS input reports (§4.1) here; serial line framing (§4.3) lives in
 * line-framer.ts and text decoding in text.ts, both re-exported so `codec.ts` is the one entry.
 * No I/O; nothing here throws on bad input: problems come back as typed results.
 */
export { DEFAULT_MAX_PAYLOAD_BYTES, decodeScanText } from './text.ts';
export { LineFramer, decodeSerialLine } from './line-framer.ts';
export type { FramerOutput } from './line-framer.ts';

/** Strip one trailing CR, LF or CRLF (HID-POS payloads may end with the scanner's suffix). */
function stripSuffix(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  return bytes.subarray(0, end);
}

// ---------------------------------------------------------------------------------------------
// HID-POS input reports (§4.1)
// ---------------------------------------------------------------------------------------------

/** One parsed Scanned Data Report. `payload` is a view into the report, copy before keeping it. */
export interface HidPosReport {
  readonly payload: Uint8Array;
  readonly aim?: string;
  /** Honeywell/Youjie code ID byte; only meaningful for those vendors. */
  readonly codeId?: number;
  /** More reports follow for the same barcode. */
  readonly more: boolean;
}

export type HidReportResult =
  { readonly ok: true; readonly report: HidPosReport } | { readonly ok: false; readonly code: ScanErrorCode | 'other-report'; readonly reportId?: number };

export interface HidReportParseOptions {
  /**
   * Whether byte 0 is the report ID. node-hid/hidapi prefix it (default true); WebHID strips it.
   */
  reportIdIncluded?: boolean;
}

/*
 * Layout after the report ID (WebHID offsets, §4.1; node-hid offsets are one higher):
 *   0        payload length L (bytes in this report)
 *   1..3     AIM identifier `]cm` (off = 0), or 2..4 when byte 2 is `]` (off = 1)
 *   4+off..  payload, L bytes
 *   60       Honeywell code ID        62   non-zero: more reports follow
 */
const LEN = 0;
const CODE_ID = 60;
const MORE = 62;
/**
 * In a full 64-byte report the payload may not run into the trailer: the Honeywell layout
 * (off = 0) has a 56-byte data area ending before the code ID; with off = 1 (no code ID) we only
 * require it to end before the continuation flag [INFERENCE].
 */
const payloadLimit = (off: number): number => (off === 0 ? CODE_ID : MORE);

export function parseHidPosReport(report: Uint8Array, options: HidReportParseOptions = {}): HidReportResult {
  let body = report;
  if (options.reportIdIncluded ?? true) {
    if (report.length === 0) return { ok: false, code: 'report-too-short' };
    const id = report[0] as number;
    if (id !== HID_POS_REPORT_ID) return { ok: false, code: 'other-report', reportId: id };
    body = report.subarray(1);
  }
  if (body.length < 5) return { ok: false, code: 'report-too-short' };

  // Honeywell puts `]` at offset 1; some Zebra/Datalogic firmware at offset 2 (§4.1).
  // Without any `]` the AIM bytes are treated as absent but the payload still starts at offset 4
  // [INFERENCE: the reference parser drops such reports; we keep the payload].
  let off = 0;
  let aim: string | undefined;
  if (body[1] === 0x5d) aim = latin1(body.subarray(1, 4));
  else if (body[2] === 0x5d) {
    off = 1;
    aim = latin1(body.subarray(2, 5));
  }
  if (aim !== undefined && !isAimId(aim)) aim = undefined;

  const length = body[LEN] as number;
  const start = 4 + off;
  const limit = body.length > MORE ? Math.min(body.length, payloadLimit(off)) : body.length;
  if (start + length > limit) return { ok: false, code: 'report-length-invalid' };

  const payload = body.subarray(start, start + length);
  const more = body.length > MORE && body[MORE] !== 0;
  const codeId = body.length > CODE_ID ? body[CODE_ID] : undefined;
  return {
    ok: true,
    report: {
      payload,
      more,
      ...(aim !== undefined ? { aim } : {}),
      ...(codeId !== undefined && codeId !== 0 ? { codeId } : {}),
    },
  };
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** A complete barcode decoded from one or more HID-POS reports, or a serial line. */
export interface DecodedScan {
  readonly text: string;
  readonly aim?: string;
  readonly symbology?: SymbologyName;
}

export type AssembleResult =
  | { readonly type: 'scan'; readonly scan: DecodedScan }
  | { readonly type: 'pending' }
  | { readonly type: 'ignored'; readonly reportId?: number }
  | { readonly type: 'error'; readonly code: ScanErrorCode };

export interface HidPosAssemblerOptions extends HidReportParseOptions {
  maxPayloadBytes?: number;
  /** Interpret the Honeywell code ID byte (Honeywell and Youjie only). Default false. */
  vendorCodeIds?: boolean;
}

/**
 * Reassembles multi-report payloads: reports with the continuation flag set are buffered until
 * the last report (flag 0) of the barcode arrives. A malformed report drops the barcode in
 * progress; an over-long barcode is dropped and its remaining reports are skipped.
 */
export class HidPosAssembler {
  #chunks: Uint8Array[] = [];
  #size = 0;
  #discarding = false;
  #first: HidPosReport | null = null;
  #max: number;
  #vendorCodeIds: boolean;
  #reportIdIncluded: boolean;

  constructor(options: HidPosAssemblerOptions = {}) {
    this.#max = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.#vendorCodeIds = options.vendorCodeIds ?? false;
    this.#reportIdIncluded = options.reportIdIncluded ?? true;
  }

  /** True while a multi-report barcode is partly received. */
  get pending(): boolean {
    return this.#chunks.length > 0 || this.#discarding;
  }

  reset(): void {
    this.#chunks = [];
    this.#size = 0;
    this.#discarding = false;
    this.#first = null;
  }

  push(report: Uint8Array): AssembleResult {
    const parsed = parseHidPosReport(report, { reportIdIncluded: this.#reportIdIncluded });
    if (!parsed.ok) {
      if (parsed.code === 'other-report') {
        return parsed.reportId === undefined ? { type: 'ignored' } : { type: 'ignored', reportId: parsed.reportId };
      }
      const wasDiscarding = this.#discarding;
      this.reset();
      return wasDiscarding ? { type: 'ignored' } : { type: 'error', code: parsed.code };
    }
    const { payload, more } = parsed.report;

    if (this.#discarding) {
      if (!more) this.reset();
      return more ? { type: 'pending' } : { type: 'ignored' };
    }
    if (this.#size + payload.length > this.#max) {
      this.reset();
      this.#discarding = more;
      return { type: 'error', code: 'payload-too-long' };
    }
    // The symbology of a multi-report barcode is taken from its first report.
    this.#first ??= parsed.report;
    const { aim, codeId } = this.#first;
    this.#chunks.push(payload.slice());
    this.#size += payload.length;
    if (more) return { type: 'pending' };

    const whole = concat(this.#chunks, this.#size);
    this.reset();
    const bytes = stripSuffix(whole);
    if (bytes.length === 0) return { type: 'error', code: 'empty-payload' };
    const symbology =
      (this.#vendorCodeIds && codeId !== undefined ? symbologyFromHoneywellCodeId(codeId) : undefined) ??
      (aim !== undefined ? symbologyFromAim(aim) : undefined);
    return {
      type: 'scan',
      scan: {
        text: decodeScanText(bytes),
        ...(aim !== undefined ? { aim } : {}),
        ...(symbology !== undefined ? { symbology } : {}),
      },
    };
  }
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
