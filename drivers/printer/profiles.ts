/**
 * Printer profiles: what one printer model can do, as plain data so config can pick a profile by
 * name and override single fields (e.g. `{ profile: 'generic-80', overrides: { cutter: 'partial' } }`).
 */
export type CutterKind = 'full' | 'partial' | 'none';
export type QrSupport = 'native' | 'none';

export type PrinterProfile = {
  readonly name: string;
  /** Chinese label for the technician console. */
  readonly label: string;
  readonly paperWidthMm: 58 | 80;
  /** Font A (12 × 24 dots) columns per line: 32 on 58 mm, 48 on 80 mm. */
  readonly charsPerLine: number;
  /** Printable dots per line at 203 dpi: 384 on 58 mm, 576 on 80 mm. */
  readonly dotsPerLine: number;
  readonly encoding: 'gb18030';
  /**
   * Firmware that only knows GBK misprints GB18030 four-byte sequences (§5.1: '¥' → "0 6").
   * When true the codec substitutes such characters ('¥' → '￥', others → '?').
   */
  readonly gbkOnly: boolean;
  /** Send FS & (1C 26) after ESC @ to enter Chinese mode explicitly. Harmless when already on (§5.1). */
  readonly chineseModeCommand: boolean;
  readonly cutter: CutterKind;
  /** 'native' = GS ( k QR (§5.1); 'none' = print the QR content as text instead. */
  readonly qr: QrSupport;
  /** Lines fed before GS V so the last printed line clears the blade. */
  readonly feedBeforeCut: number;
};

export const PRINTER_PROFILES = Object.freeze({
  'generic-80': {
    name: 'generic-80',
    label: '通用 80mm 热敏打印机（带切刀）',
    paperWidthMm: 80,
    charsPerLine: 48,
    dotsPerLine: 576,
    encoding: 'gb18030',
    gbkOnly: true,
    chineseModeCommand: true,
    cutter: 'full',
    qr: 'native',
    feedBeforeCut: 4,
  },
  'generic-58': {
    name: 'generic-58',
    label: '通用 58mm 热敏打印机（无切刀）',
    paperWidthMm: 58,
    charsPerLine: 32,
    dotsPerLine: 384,
    encoding: 'gb18030',
    gbkOnly: true,
    chineseModeCommand: true,
    cutter: 'none',
    qr: 'native',
    feedBeforeCut: 3,
  },
  /** Cashino KP-628E class 80 mm kiosk printer (§5.1 source KP, §6.1). */
  'kiosk-80': {
    name: 'kiosk-80',
    label: '自助终端 80mm 票据打印机（KP-628E 类）',
    paperWidthMm: 80,
    charsPerLine: 48,
    dotsPerLine: 576,
    encoding: 'gb18030',
    gbkOnly: true,
    chineseModeCommand: true,
    cutter: 'partial',
    qr: 'native',
    feedBeforeCut: 4,
  },
  /** Cheap 58 mm printers without GS ( k: QR content is printed as text. */
  'basic-58': {
    name: 'basic-58',
    label: '简易 58mm 打印机（不支持二维码）',
    paperWidthMm: 58,
    charsPerLine: 32,
    dotsPerLine: 384,
    encoding: 'gb18030',
    gbkOnly: true,
    chineseModeCommand: false,
    cutter: 'none',
    qr: 'none',
    feedBeforeCut: 3,
  },
} as const satisfies Record<string, PrinterProfile>);

export type PrinterProfileName = keyof typeof PRINTER_PROFILES;

export function isPrinterProfileName(name: string): name is PrinterProfileName {
  return Object.hasOwn(PRINTER_PROFILES, name);
}

/**
 * Resolve a profile by name with field overrides. Throws a TypeError naming the bad value:
 * this runs once at boot on configuration, where failing loudly is right.
 */
export function resolvePrinterProfile(name: string, overrides: Partial<Omit<PrinterProfile, 'name'>> = {}): PrinterProfile {
  if (!isPrinterProfileName(name)) {
    throw new TypeError(`Unknown printer profile '${name}'; use one of ${Object.keys(PRINTER_PROFILES).join(', ')}`);
  }
  const profile: PrinterProfile = { ...PRINTER_PROFILES[name], ...overrides };
  const problems: string[] = [];
  if (!Number.isInteger(profile.charsPerLine) || profile.charsPerLine < 8 || profile.charsPerLine > 128)
    problems.push(`charsPerLine ${String(profile.charsPerLine)} must be an integer 8–128`);
  if (!Number.isInteger(profile.dotsPerLine) || profile.dotsPerLine < 96 || profile.dotsPerLine > 2048)
    problems.push(`dotsPerLine ${String(profile.dotsPerLine)} must be an integer 96–2048`);
  if (!['full', 'partial', 'none'].includes(profile.cutter)) problems.push(`cutter '${String(profile.cutter)}' must be full, partial or none`);
  if (!['native', 'none'].includes(profile.qr)) problems.push(`qr '${String(profile.qr)}' must be native or none`);
  if (profile.encoding !== 'gb18030') problems.push(`encoding '${String(profile.encoding)}' must be gb18030`);
  if (!Number.isInteger(profile.feedBeforeCut) || profile.feedBeforeCut < 0 || profile.feedBeforeCut > 255)
    problems.push(`feedBeforeCut ${String(profile.feedBeforeCut)} must be an integer 0–255`);
  if (problems.length > 0) throw new TypeError(`Invalid printer profile '${name}': ${problems.join('; ')}`);
  return Object.freeze(profile);
}
