/**
 * Pure ESC/POS byte builders, one per command, each named after its mnemonic.
 * Byte values from README.md §5.1 in this folder (sources KP = Cashino KP-628E manual,
 * GO = adcondev/pos-printer, ESCPY = archsh/escpos-python) and §5.2 for DLE EOT.
 */
import type { Align, QrErrorLevel, SizeMultiplier } from './document.ts';

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

/** ESC @ — initialise printer (KP). */
export const escInit = (): Uint8Array => Uint8Array.of(ESC, 0x40);
/** FS & — enter Chinese (GB double-byte) mode (KP "Set Chinese mode"). */
export const fsChineseOn = (): Uint8Array => Uint8Array.of(FS, 0x26);
/** FS . — leave Chinese mode (KP). */
export const fsChineseOff = (): Uint8Array => Uint8Array.of(FS, 0x2e);

export const ALIGN_CODE = { left: 0, center: 1, right: 2 } as const satisfies Record<Align, number>;
/** ESC a n — justification: 0 left, 1 centre, 2 right (KP). */
export const escAlign = (align: Align): Uint8Array => Uint8Array.of(ESC, 0x61, ALIGN_CODE[align]);
/** ESC E n — emphasised (bold) on/off; only the LSB counts (ESCPY). */
export const escBold = (on: boolean): Uint8Array => Uint8Array.of(ESC, 0x45, on ? 1 : 0);
/** GS ! n — character size: bits 4–6 width − 1, bits 0–2 height − 1; 2×2 = 0x11 (KP). */
export const gsSize = (width: SizeMultiplier, height: SizeMultiplier): Uint8Array => Uint8Array.of(GS, 0x21, ((width - 1) << 4) | (height - 1));
/** ESC d n — print buffer and feed n lines (KP). */
export const escFeedLines = (lines: number): Uint8Array => Uint8Array.of(ESC, 0x64, lines & 0xff);
/** LF — print buffer and feed one line. */
export const lf = (): Uint8Array => Uint8Array.of(LF);

/** GS V m — cut: m = 0 full, 1 partial (KP; npm escpos sends GS V 00 / 01, §5.4). */
export const gsCut = (partial: boolean): Uint8Array => Uint8Array.of(GS, 0x56, partial ? 1 : 0);

// ---- QR code, GS ( k with cn = 0x31 (GO, KP) ----

/** GS ( k pL pH cn fn [params] with pL + pH·256 = 2 + params.length. */
function gsParenK(fn: number, params: Uint8Array): Uint8Array {
  const len = params.length + 2;
  const out = new Uint8Array(5 + len);
  out.set([GS, 0x28, 0x6b, len & 0xff, (len >> 8) & 0xff, 0x31, fn]);
  out.set(params, 7);
  return out;
}
/** fn 65 ("165") select model: 49 model 1, 50 model 2, 51 micro → `1D 28 6B 04 00 31 41 n1 00`. */
export const qrModel = (model: 1 | 2 = 2): Uint8Array => gsParenK(0x41, Uint8Array.of(0x30 + model, 0));
/** fn 67 ("167") module size in dots 1–16 → `1D 28 6B 03 00 31 43 n`. */
export const qrModuleSize = (dots: number): Uint8Array => gsParenK(0x43, Uint8Array.of(dots));
export const QR_LEVEL_CODE = { L: 48, M: 49, Q: 50, H: 51 } as const satisfies Record<QrErrorLevel, number>;
/** fn 69 ("169") error correction: 48 L, 49 M, 50 Q, 51 H → `1D 28 6B 03 00 31 45 n`. */
export const qrErrorLevel = (level: QrErrorLevel): Uint8Array => gsParenK(0x45, Uint8Array.of(QR_LEVEL_CODE[level]));
/** fn 80 ("180") store data → `1D 28 6B pL pH 31 50 30 d1…dk`, pL + pH·256 = k + 3. */
export const qrStore = (data: Uint8Array): Uint8Array => {
  const params = new Uint8Array(1 + data.length);
  params[0] = 0x30;
  params.set(data, 1);
  return gsParenK(0x50, params);
};
/** fn 81 ("181") print stored symbol → `1D 28 6B 03 00 31 51 30`. */
export const qrPrint = (): Uint8Array => gsParenK(0x51, Uint8Array.of(0x30));
/** Largest k accepted by fn 80: pL + pH·256 ≤ 7092 (§5.1). */
export const QR_STORE_MAX_BYTES = 7089;

// ---- real-time status (§5.2) ----

export type StatusRequestKind = 1 | 2 | 3 | 4;
/** DLE EOT n — transmit real-time status: 1 printer, 2 offline cause, 3 error cause, 4 roll paper. */
export const dleEot = (n: StatusRequestKind): Uint8Array => Uint8Array.of(DLE, EOT, n);

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
