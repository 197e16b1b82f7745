import type { DeviceStatus } from '../common/status.ts';
import type { DeviceLogger } from '../common/logger.ts';
import type { ByteTransport } from '../common/transport.ts';

/**
 * Barcode / QR scanner types (README.md §4 in this folder).
 *
 * The driver supports the two scanner interfaces a daemon can read without the OS in the way:
 *
 * - `serial`: USB-CDC / RS-232 mode (§4.3). Each decode arrives as bytes plus a CR, LF or CRLF
 *   suffix, optionally preceded by a 3-character AIM identifier such as `]Q1`.
 * - `hid-pos`: USB HID Point-of-Sale mode, usage page 0x8C, usage 0x02 (§4.1). Each decode arrives
 *   as one or more 64-byte input reports with report ID 0x02.
 *
 * Keyboard-wedge mode (§4.2) is deliberately NOT a driver mode. A wedge scanner is a USB keyboard:
 * the OS owns it and node-hid generally cannot open it (node-hid README, "Mice and keyboards";
 * issues #302, #289, #469), and where Linux hidraw can read it the data is unreliable while the
 * kernel keyboard driver is attached (#413). Its keystrokes land in whatever element has focus in
 * the kiosk's Chromium window, so the UI handles it: `wedge.ts` exports `wedgeBurstDetector`, a
 * dependency-free helper that tells a scanner's fast key burst (keys < ~40 ms apart, ending in
 * Enter) from a person typing. Prefer configuring scanners in HID-POS or serial mode.
 */

/** Normalised symbology names. `other` covers AIM `]X0` and unknown identifiers. */
export type SymbologyName =
  | 'qr'
  | 'data-matrix'
  | 'pdf417'
  | 'aztec'
  | 'han-xin'
  | 'code128'
  | 'gs1-128'
  | 'code39'
  | 'code93'
  | 'itf'
  | 'codabar'
  | 'ean-upc'
  | 'ean-13'
  | 'ean-8'
  | 'upc-a'
  | 'upc-e'
  | 'gs1-databar'
  | 'other';

/** One decoded barcode. `text` may be personal data (e-voucher payload): never log it. */
export interface ScanEvent {
  readonly text: string;
  /** Symbology when the scanner reported one (AIM prefix or vendor code ID). */
  readonly symbology?: SymbologyName;
  /** Raw 3-character AIM identifier, e.g. `]Q1`, when present. */
  readonly aim?: string;
  /** Epoch milliseconds when the decode was complete. */
  readonly at: number;
}

/** Why some input was dropped instead of becoming a scan. Never carries payload bytes. */
export type ScanErrorCode = 'line-too-long' | 'payload-too-long' | 'report-too-short' | 'report-length-invalid' | 'continuation-mismatch' | 'empty-payload';

export interface ScanError {
  readonly code: ScanErrorCode;
  readonly at: number;
}

export type SerialTerminator = 'cr' | 'lf' | 'crlf';

interface CommonOptions {
  logger?: DeviceLogger;
  /** Largest accepted decode in bytes; longer input is dropped with a scan-error. Default 4096. */
  maxPayloadBytes?: number;
}

export interface SerialScannerOptions extends CommonOptions {
  mode: 'serial';
  /**
   * The link: a SerialTransport at the baud rate set by the vendor's configuration barcodes
   * (§4.3, defaults per brand unconfirmed), or a memory link to the simulator.
   */
  transport: ByteTransport;
  /**
   * Treat a leading `]` + letter + character as an AIM identifier and strip it into `aim`.
   * Default true; set false if the scanner sends no AIM prefix and payloads may begin with `]`.
   */
  aimPrefix?: boolean;
  /**
   * For scanners whose suffix is disabled (§4.3, inter-byte-timeout framing): take an
   * unterminated line as complete after this many ms without new bytes. Default off.
   */
  idleFlushMs?: number;
}

/** Minimal surface of an opened HID device that the transport uses (node-hid's HIDAsync fits it). */
export interface HidDeviceHandle {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(): Promise<void>;
  sendFeatureReport(data: number[]): Promise<number>;
  write(data: number[]): Promise<number>;
}

export type HidTarget = { readonly path: string } | { readonly vendorId: number; readonly productId: number };

/** Opens the HID-POS collection of a scanner; rejects when it is not present. */
export type HidOpener = (target: HidTarget) => Promise<{ handle: HidDeviceHandle; vendorId?: number }>;

export interface HidPosScannerOptions extends CommonOptions {
  mode: 'hid-pos';
  /**
   * The link, delivering one 64-byte input report per chunk: a HidPosTransport in a hall, a
   * memory link in tests. `vendorId` (when the transport knows it) selects the report layout.
   */
  transport: ByteTransport & { readonly vendorId?: number | undefined };
}

export type ScannerOptions = SerialScannerOptions | HidPosScannerOptions;

export type ScannerEvents = {
  status: [DeviceStatus];
  scan: [ScanEvent];
  'scan-error': [ScanError];
};

/** Known HID-POS scanner vendors (§4.1, from NielsLeenheer/WebHidBarcodeScanner). */
export const SCANNER_VENDOR_IDS = {
  honeywell: 0x0c2e,
  youjie: 0x23d0,
  zebra: 0x05e0,
  datalogic: 0x05f9,
} as const;

/** HID usage page "Bar Code Scanner" and usage "Bar Code Scanner" (§4.1). */
export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_USAGE_SCANNER = 0x02;
/** Input report ID of the Scanned Data Report (§4.1). */
export const HID_POS_REPORT_ID = 0x02;
