/**
 * How much paper a job used, measured on the ESC/POS bytes the driver sent (so it holds for
 * documents and pre-encoded jobs alike): printed lines, and the length in dots along the paper.
 * An estimate for the console's paper counter, not a measurement: printers differ in line
 * spacing and in how far the paper moves at a cut.
 */
import type QRCodeModule from 'qrcode';
import { lazyRequire } from '../common/lazy-require.ts';
import type { QrErrorLevel } from './document.ts';
import { EscPosDecoder } from './escpos-decoder.ts';

const qrcode = lazyRequire<typeof QRCodeModule>('qrcode');

/** 203 dpi thermal heads: 8 dots per millimetre. */
export const DOTS_PER_MM = 8;
/** Font A is 24 dots high; the default line spacing (ESC 2) leaves about 6 more (≈ 30 dots, 3.75 mm). */
const GLYPH_DOTS = 24;
const LINE_GAP_DOTS = 6;
const DEFAULT_QR_MODULE_DOTS = 3;

export interface PaperUsed {
  /** Printed lines (LF), QR codes counted as one line each. */
  readonly lines: number;
  /** Paper advanced, in dots (÷ DOTS_PER_MM for millimetres). */
  readonly dots: number;
}

export function measurePaper(bytes: Uint8Array): PaperUsed {
  let lines = 0;
  let dots = 0;
  let height = 1;
  let doubleHeight = false;
  let qrModule = DEFAULT_QR_MODULE_DOTS;
  let qrData: Uint8Array | null = null;
  let qrLevel: QrErrorLevel = 'M';
  const decoder = new EscPosDecoder((e) => {
    switch (e.type) {
      case 'init':
        height = 1;
        doubleHeight = false;
        break;
      case 'size':
        height = e.height;
        break;
      case 'print-mode':
        doubleHeight = e.doubleHeight;
        break;
      case 'lf':
        lines++;
        dots += GLYPH_DOTS * Math.max(height, doubleHeight ? 2 : 1) + LINE_GAP_DOTS;
        break;
      case 'feed':
        dots += e.lines * (GLYPH_DOTS + LINE_GAP_DOTS);
        break;
      case 'qr-module-size':
        qrModule = e.dots;
        break;
      case 'qr-error-level':
        qrLevel = e.level;
        break;
      case 'qr-store':
        qrData = e.data;
        break;
      case 'qr-print':
        lines++;
        dots += qrModules(qrData, qrLevel) * qrModule + LINE_GAP_DOTS;
        break;
      default:
        break;
    }
  });
  decoder.push(bytes);
  return { lines, dots };
}

/** Modules per side of the QR symbol the printer draws for `data` (byte mode, as GS ( k stores it). */
function qrModules(data: Uint8Array | null, level: QrErrorLevel): number {
  if (!data || data.length === 0) return 0;
  try {
    return qrcode().create([{ data, mode: 'byte' }], { errorCorrectionLevel: level }).modules.size;
  } catch {
    return 0; // the printer refuses data this long too: nothing printed
  }
}
