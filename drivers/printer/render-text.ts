/**
 * Plain-text preview of a document as it would print on a profile, for on-screen preview.
 * Each string is one printed line padded to the paper's columns; double-width text is shown at
 * normal width but positioned as the printer would place it. A QR code is a placeholder line.
 */
import { NORMAL_SIZE, alignLine, layoutKeyValue, wrapText, type PrinterDocument } from './document.ts';
import { displayWidth } from './text-width.ts';
import type { PrinterProfile } from './profiles.ts';

export function renderPreview(document: PrinterDocument, profile: PrinterProfile): string[] {
  const cpl = profile.charsPerLine;
  const out: string[] = [];
  for (const block of document.blocks) {
    switch (block.kind) {
      case 'text': {
        const size = block.size ?? NORMAL_SIZE;
        const columns = Math.max(1, Math.floor(cpl / size.width));
        for (const line of wrapText(block.text, columns)) {
          // The printer places the line by its scaled width; show it at the same offset.
          const gap = Math.max(0, cpl - displayWidth(line) * size.width);
          const align = block.align ?? 'left';
          const pad = align === 'left' ? 0 : align === 'right' ? gap : Math.floor(gap / 2);
          out.push(' '.repeat(pad) + line);
        }
        break;
      }
      case 'rule':
        out.push((block.char ?? '-').repeat(cpl));
        break;
      case 'feed':
        for (let i = 0; i < block.lines; i++) out.push('');
        break;
      case 'kv':
        out.push(...layoutKeyValue(block.label, block.value, cpl));
        break;
      case 'qr':
        if (profile.qr === 'none') out.push(...wrapText(block.data, cpl).map((l) => alignLine(l, cpl, block.align ?? 'center')));
        else out.push(alignLine('[二维码]', cpl, block.align ?? 'center'));
        break;
      case 'cut':
        for (let i = 0; i < profile.feedBeforeCut; i++) out.push('');
        if (profile.cutter !== 'none') out.push(cutMarker(cpl));
        break;
    }
  }
  return out;
}

function cutMarker(cpl: number): string {
  const label = ' 切纸 ';
  const side = Math.max(0, cpl - displayWidth(label)) / 2;
  return '-'.repeat(Math.floor(side)) + label + '-'.repeat(Math.ceil(side));
}
