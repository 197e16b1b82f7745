import { cut, doc, feed, rule, text, type Block, type PrinterDocument } from '../../drivers/printer/document.ts';
import type { NoticeDocument } from '../guides/index.ts';

/** Lays the 一次性告知单 out for the receipt printer: title, sections with headings, footer. */
export function noticePrintDocument(notice: NoticeDocument): PrinterDocument {
  const blocks: Block[] = [text(notice.title, { align: 'center', bold: true, size: { width: 1, height: 2 } }), rule()];
  for (const section of notice.sections) {
    blocks.push(text(section.heading, { bold: true }));
    for (const line of section.lines) blocks.push(text(line));
    blocks.push(feed(1));
  }
  blocks.push(rule());
  for (const line of notice.footer) blocks.push(text(line));
  blocks.push(cut());
  return doc(...blocks);
}
