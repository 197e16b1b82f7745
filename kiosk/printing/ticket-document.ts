import type { KioskConfig } from '../../config/schema.ts';
import { cut, doc, feed, kv, qr, rule, text, type PrinterDocument } from '../../drivers/printer/document.ts';
import { localParts } from '../clock.ts';
import type { TicketView } from '../queue/types.ts';

/**
 * The paper ticket a citizen takes away: hall, number, service, time, people ahead, estimated
 * wait, the counters that serve it and a QR with the signed ticket code. Never a name or ID number.
 */
export function ticketDocument(
  config: KioskConfig,
  ticket: TicketView,
  extras: { qrText: string; counters: readonly { name: string }[] },
): PrinterDocument {
  const at = localParts(ticket.issuedAt, config.hall.timeZone);
  return doc(
    text(config.hall.name, { align: 'center', bold: true }),
    rule(),
    text(ticket.serviceName, { align: 'center' }),
    text(ticket.displayNo, { align: 'center', bold: true, size: { width: 4, height: 4 } }),
    ...(ticket.priority ? [text(ticket.appointment ? '预约号' : '绿色通道', { align: 'center', bold: true })] : []),
    feed(1),
    kv('取号时间', `${at.date} ${at.time}`),
    kv('前面等候', `${ticket.peopleAhead} 人`),
    kv('预计等候', `约 ${ticket.estimatedWaitMinutes} 分钟`),
    ...(extras.counters.length ? [kv('办理窗口', extras.counters.map((c) => c.name.replace(/（.*）$/, '')).join('、'))] : []),
    feed(1),
    qr(extras.qrText, { moduleSize: 6, errorLevel: 'M' }),
    text('扫码可查看排队进度或评价服务', { align: 'center' }),
    rule(),
    text('请留意叫号，过号请到服务台咨询。', { align: 'left' }),
    text(`咨询电话：${config.hall.phones.consult}`, { align: 'left' }),
    text('当日有效', { align: 'left' }),
    cut(),
  );
}
