/** Ready-made documents: the self-test page and a typical queue ticket (bench, tests, demos). */
import { cut, doc, feed, kv, qr, rule, text, type PrinterDocument } from './document.ts';
import type { PrinterProfile } from './profiles.ts';

const CUTTER_TEXT = { full: '全切', partial: '半切', none: '无切刀' } as const;

export function testPageDocument(profile: PrinterProfile, now: Date = new Date()): PrinterDocument {
  return doc(
    text('打印测试页', { align: 'center', bold: true, size: { width: 2, height: 2 } }),
    rule('='),
    kv('型号配置', profile.name),
    kv('纸宽', `${profile.paperWidthMm}mm`),
    kv('每行字符', String(profile.charsPerLine)),
    kv('切刀', CUTTER_TEXT[profile.cutter]),
    kv('二维码', profile.qr === 'native' ? '支持' : '不支持'),
    kv('时间', formatDateTime(now)),
    rule(),
    text('左对齐 Left'),
    text('居中 Center', { align: 'center' }),
    text('右对齐 Right', { align: 'right' }),
    text('加粗文字 Bold', { bold: true }),
    text('倍宽倍高 2x2', { size: { width: 2, height: 2 } }),
    text('三倍高 1x3', { size: { width: 1, height: 3 } }),
    text('一二三四五六七八九十'.repeat(6)),
    text('0123456789'.repeat(6)),
    rule(),
    qr('https://example.invalid/kiosk/test', { moduleSize: 5, errorLevel: 'M' }),
    feed(1),
    text('—— 测试结束 ——', { align: 'center' }),
    cut(),
  );
}

export type SampleTicket = {
  hall: string;
  number: string;
  service: string;
  waiting: number;
  issuedAt: Date;
  url: string;
};

export const SAMPLE_TICKET: SampleTicket = {
  hall: '某市医疗保障服务中心',
  number: 'A012',
  service: '医保关系转移接续',
  waiting: 7,
  issuedAt: new Date(2025, 2, 14, 9, 30, 5),
  url: 'https://example.invalid/q/A012?d=20250314',
};

/** The shape of a queue ticket as the kiosk prints it (the real one is built by the kiosk core). */
export function sampleQueueTicket(t: SampleTicket = SAMPLE_TICKET): PrinterDocument {
  return doc(
    text(t.hall, { align: 'center', bold: true }),
    text('排队凭条', { align: 'center' }),
    rule(),
    text(t.number, { align: 'center', bold: true, size: { width: 4, height: 4 } }),
    feed(1),
    kv('办理业务', t.service),
    kv('前面等待', `${t.waiting} 人`),
    kv('取号时间', formatDateTime(t.issuedAt)),
    rule(),
    qr(t.url, { moduleSize: 6, errorLevel: 'M' }),
    text('请留意叫号屏幕和语音提示，过号需重新取号。', { align: 'left' }),
    text('微信扫码可查看排队进度', { align: 'center' }),
    cut(),
  );
}

function formatDateTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
