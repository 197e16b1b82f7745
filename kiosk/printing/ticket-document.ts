import type { KioskConfig } from '../../config/schema.ts';
import { cut, doc, feed, kv, qr, rule, text, type Block, type PrinterDocument } from '../../drivers/printer/document.ts';
import { formatDateZh } from '../calendar/dates.ts';
import { localParts } from '../clock.ts';
import type { TicketPromises } from '../hall/opening-hours.ts';
import type { TicketView } from '../queue/types.ts';

/** Paper dates: 2026年12月2日 (the same style as the screens), times HH:MM. */
function dayZh(date: string): string {
  return formatDateZh(date);
}

/**
 * What the ticket may promise about waiting: an estimate only while the hall is open and a
 * window serves the ticket's service; outside opening hours when calling starts, or that the
 * number lapses at the daily reset before the hall opens again.
 */
export function waitLines(config: KioskConfig, ticket: TicketView, promises: TicketPromises | undefined): Block[] {
  const hall = promises?.hall;
  const counting = hall ? hall.open && (promises!.openCounters === null || promises!.openCounters > 0) : true;
  if (counting) return [kv('预计等候', `约 ${ticket.estimatedWaitMinutes} 分钟`)];
  if (hall && !hall.servedThisBusinessDay)
    return [
      kv('预计等候', '现在是非办公时间'),
      text(`本号属于${dayZh(ticket.day)}，今日已停止叫号，本号将于${config.hall.dailyResetTime}失效。`),
      ...(hall.nextOpen ? [text(`请于${dayZh(hall.nextOpen.date)} ${hall.nextOpen.time}开始办公后重新取号。`)] : []),
    ];
  if (hall && !hall.open)
    return [
      kv('预计等候', '现在是非办公时间'),
      text(
        hall.nextOpen ? `${hall.nextOpen.today ? '今天' : dayZh(hall.nextOpen.date)} ${hall.nextOpen.time}开始办公后按顺序叫号。` : '开始办公后按顺序叫号。',
      ),
    ];
  return [kv('预计等候', '窗口暂未开放，开放后按顺序叫号')];
}

/**
 * The paper ticket a citizen takes away: hall, number, service, time, people ahead, estimated
 * wait (only when true), the windows that serve it and a QR with the signed ticket code (a status
 * URL when `ui.ticketUrlPrefix` is set). Never a name or ID number.
 */
export function ticketDocument(
  config: KioskConfig,
  ticket: TicketView,
  extras: { qrText: string; counters: readonly { name: string }[]; promises?: TicketPromises },
): PrinterDocument {
  const at = localParts(ticket.issuedAt, config.hall.timeZone);
  const url = /^https?:\/\//.test(extras.qrText);
  return doc(
    text(config.hall.name, { align: 'center', bold: true }),
    rule(),
    text(ticket.serviceName, { align: 'center' }),
    text(ticket.displayNo, { align: 'center', bold: true, size: { width: 4, height: 4 } }),
    ...(ticket.priority ? [text(ticket.appointment ? '预约号' : '绿色通道', { align: 'center', bold: true })] : []),
    feed(1),
    kv('取号时间', `${dayZh(at.date)} ${at.time}`),
    // Before the daily reset a number still belongs to the previous business day: say so.
    ...(ticket.day !== at.date ? [kv('所属营业日', dayZh(ticket.day)), text(`每天${config.hall.dailyResetTime}前取的号计入前一营业日。`)] : []),
    kv('前面等候', `${ticket.peopleAhead} 人`),
    ...waitLines(config, ticket, extras.promises),
    ...(extras.counters.length ? [kv('办理窗口', extras.counters.map((c) => c.name.replace(/（.*）$/, '')).join('、'))] : []),
    feed(1),
    qr(extras.qrText, { moduleSize: 6, errorLevel: 'M' }),
    text(url ? '手机扫码可查看排队进度或评价服务' : '可在自助机扫码口扫描此码，查询排队进度或评价服务', { align: 'center' }),
    rule(),
    text('请留意叫号，过号请到服务台咨询。', { align: 'left' }),
    text(`咨询电话：${config.hall.phones.consult}`, { align: 'left' }),
    text(ticket.day !== at.date ? `仅${dayZh(ticket.day)}营业日有效` : '当日有效', { align: 'left' }),
    cut(),
  );
}
