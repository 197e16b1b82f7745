import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'kiosk-cert-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** pdftotext -raw (content-stream order: a wrapped table cell stays together), whitespace removed. */
export function pdfText(pdf: Buffer, dir: string): string {
  const file = join(dir, `doc-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

export const squash = (s: string): string => s.replace(/\s+/g, '');

/** Render page 1 at 150 dpi and decode every QR on it with zbarimg. */
export function qrPayloads(pdf: Buffer, dir: string): string[] {
  const file = join(dir, `qr-${Date.now()}.pdf`);
  writeFileSync(file, pdf);
  const prefix = join(dir, 'page');
  execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', file, prefix]);
  const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', `${prefix}.png`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/** pdffonts lines: name, type, encoding, emb, sub, uni. */
export function pdfFonts(pdf: Buffer, dir: string): string[] {
  const file = join(dir, `fonts-${Date.now()}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
}
