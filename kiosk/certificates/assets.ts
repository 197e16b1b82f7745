/**
 * Files a certificate needs: the CJK font (Noto Sans SC, regular and bold TTF, embedded and
 * subset by pdfkit) and the 电子印章 PNG. Read once per process and cached: the fonts are 10 MB each.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { GlyphCoverage } from './glyph-coverage.ts';

const require = createRequire(import.meta.url);

export const FONT_REGULAR_PATH = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
export const FONT_BOLD_PATH = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

export interface CertificateAssets {
  readonly regular: Buffer;
  readonly bold: Buffer;
  /** PNG bytes of the seal, or null for none. */
  readonly seal: Buffer | null;
  /** Characters the regular font can draw (bold has the same repertoire). */
  readonly coverage: GlyphCoverage;
}

let coverage: GlyphCoverage | null = null;

const files = new Map<string, Buffer>();

function readCached(path: string): Buffer {
  let b = files.get(path);
  if (!b) {
    b = readFileSync(path);
    files.set(path, b);
  }
  return b;
}

/** Resolve a configured seal path against the working directory (as storage.dataDir is). */
export function resolveSealPath(path: string, cwd: string = process.cwd()): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Throws a clear Error when the configured seal is missing or not a PNG (the doctor reports it). */
export function loadCertificateAssets(sealImage: string | null): CertificateAssets {
  const seal = sealImage === null ? null : readCached(resolveSealPath(sealImage));
  if (seal && !isPng(seal)) throw new Error(`certificate.issuer.sealImage is not a PNG file: ${sealImage}`);
  const regular = readCached(FONT_REGULAR_PATH);
  coverage ??= new GlyphCoverage(regular);
  return { regular, bold: readCached(FONT_BOLD_PATH), seal, coverage };
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}
