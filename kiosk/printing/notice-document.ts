import { cut, doc, feed, rule, text, type Block, type PrinterDocument } from '../../drivers/printer/document.ts';
import type { NoticeDocument } from '../guides/index.ts';
import { kinsokuWrap } from './kinsoku.ts';

/**
 * Lays the 一次性告知单 out for the receipt printer: title, sections with headings, footer. Body
 * lines are wrapped here with 避头尾 rules (kinsoku.ts) at the printer's width, so the driver's
 * own wrapping (which may break before any CJK character) never has to cut them.
 */
export function noticePrintDocument(notice: NoticeDocument, columns = 48): PrinterDocument {
  const lines = (value: string): Block[] => kinsokuWrap(value, columns).map((l) => text(l));
  const blocks: Block[] = [text(notice.title, { align: 'center', bold: true, size: { width: 1, height: 2 } }), rule()];
  for (const section of notice.sections) {
    blocks.push(text(section.heading, { bold: true }));
    for (const line of section.lines) blocks.push(...lines(line));
    blocks.push(feed(1));
  }
  blocks.push(rule());
  for (const line of notice.footer) blocks.push(...lines(line));
  blocks.push(cut());
  return doc(...blocks);
}
