import { describe, expect, it } from 'vitest';
import { loadConfig, overlay } from '../../../config/load.ts';
import type { KioskConfig } from '../../../config/schema.ts';
import { PRINTER_PROFILES } from '../../../drivers/printer/profiles.ts';
import { renderPreview } from '../../../drivers/printer/render-text.ts';
import { calendarFromRows, seedRowsFromChineseDays } from '../../../kiosk/calendar/index.ts';
import { buildNoticeDocument, checklist, GuideCatalog } from '../../../kiosk/guides/index.ts';
import { countersFor, hallOpenState } from '../../../kiosk/hall/opening-hours.ts';
import { kinsokuWrap, NO_LINE_START } from '../../../kiosk/printing/kinsoku.ts';
import { noticePrintDocument } from '../../../kiosk/printing/notice-document.ts';
import { ticketDocument } from '../../../kiosk/printing/ticket-document.ts';
import type { TicketView } from '../../../kiosk/queue/types.ts';

const config = loadConfig();
const calendar = calendarFromRows(seedRowsFromChineseDays());
const profile = PRINTER_PROFILES['generic-80'];
/** Epoch ms of a Beijing wall-clock time. */
const beijing = (iso: string): number => Date.parse(`${iso}+08:00`);

const ticket = (over: Partial<TicketView>): TicketView =>
  ({
    id: 7,
    day: '2026-12-02',
    displayNo: 'A007',
    serviceCode: 'general',
    serviceName: '综合业务',
    priority: false,
    priorityReason: null,
    issuedAt: beijing('2026-12-02T10:00:00'),
    peopleAhead: 3,
    estimatedWaitMinutes: 6,
    status: 'waiting',
    appointment: false,
    printState: 'pending',
    ...over,
  }) as TicketView;

const print = (cfg: KioskConfig, t: TicketView, at: number, openCounters: number | null, qrText = 'KT1.signed') =>
  renderPreview(ticketDocument(cfg, t, { qrText, counters: [], promises: { hall: hallOpenState(cfg, at, calendar), openCounters } }), profile).join('\n');

describe('opening hours', () => {
  it('is open on a working Wednesday morning, closed at 02:00 with numbers lapsing at the 03:00 reset', () => {
    const open = hallOpenState(config, beijing('2026-12-02T10:00:00'), calendar);
    expect(open).toMatchObject({ open: true, closesAt: '12:00', servedThisBusinessDay: true });
    const night = hallOpenState(config, beijing('2026-12-02T02:04:00'), calendar);
    expect(night).toMatchObject({ open: false, servedThisBusinessDay: false, nextOpen: { date: '2026-12-02', time: '08:30', today: true } });
    // After the reset and before opening: served today.
    expect(hallOpenState(config, beijing('2026-12-02T07:00:00'), calendar)).toMatchObject({ open: false, servedThisBusinessDay: true });
    // Lunch break.
    expect(hallOpenState(config, beijing('2026-12-02T12:30:00'), calendar)).toMatchObject({
      open: false,
      servedThisBusinessDay: true,
      nextOpen: { time: '13:30' },
    });
  });

  it('follows the working-day calendar: 国庆 closed, the next opening after the holiday', () => {
    const s = hallOpenState(config, beijing('2026-10-02T10:00:00'), calendar);
    expect(s.open).toBe(false);
    expect(s.nextOpen!.date > '2026-10-02').toBe(true);
  });

  it('lists the 绿色通道 window only on a priority ticket', () => {
    expect(countersFor(config.counters, 'general', false).map((c) => c.number)).toEqual([1, 2, 3]);
    expect(countersFor(config.counters, 'general', true).map((c) => c.number)).toEqual([1, 2, 3, 6]);
  });
});

describe('paper ticket promises only what is true', () => {
  it('open with windows: the estimate, calendar date in 年月日', () => {
    const text = print(config, ticket({}), beijing('2026-12-02T10:00:00'), 2);
    expect(text).toContain('约 6 分钟');
    expect(text).toContain('2026年12月2日 10:00');
    expect(text).not.toContain('所属营业日');
  });

  it('at 02:04 with the hall closed: no estimate, the business day explained, the lapse at 03:00', () => {
    const at = beijing('2026-12-02T02:04:00');
    const text = print(config, ticket({ day: '2026-12-01', issuedAt: at }), at, 0);
    expect(text).not.toContain('分钟');
    expect(text).toContain('非办公时间');
    expect(text).toContain('所属营业日');
    expect(text).toContain('2026年12月1日');
    expect(text).toContain('03:00失效');
  });

  it('open hours but no window serving: no estimate', () => {
    const text = print(config, ticket({}), beijing('2026-12-02T10:00:00'), 0);
    expect(text).not.toContain('约 6 分钟');
    expect(text).toContain('窗口暂未开放');
  });

  it('promises a phone lookup only when the QR is a URL', () => {
    expect(print(config, ticket({}), beijing('2026-12-02T10:00:00'), 2)).not.toContain('手机扫码');
    const withUrl = overlay(config, { ui: { ticketUrlPrefix: 'https://hall.example/t/' } }) as KioskConfig;
    expect(print(withUrl, ticket({}), beijing('2026-12-02T10:00:00'), 2, 'https://hall.example/t/KT1')).toContain('手机扫码');
  });
});

describe('一次性告知单: 避头尾 and 承诺制', () => {
  it('never starts a printed line with closing punctuation', () => {
    const catalog = GuideCatalog.fromDir();
    let checked = 0;
    for (const item of catalog.items) {
      const notice = buildNoticeDocument(
        item,
        checklist(item, new Set()),
        { name: '某县医疗保障服务中心', level: '县', address: '某县人民路1号（政务服务中心一楼）' },
        '2026-12-02',
        { calendar },
      );
      for (const cpl of [48, 32]) {
        const lines = renderPreview(noticePrintDocument(notice, cpl), { ...profile, charsPerLine: cpl });
        for (const line of lines) {
          expect(NO_LINE_START.has(line.trimStart()[0] ?? ''), `${item.id} @${cpl}: "${line}"`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('kinsokuWrap moves a closing mark back onto the line before', () => {
    const lines = kinsokuWrap('一二三四五六七八九，十', 18);
    expect(lines[1]![0]).not.toBe('，');
    expect(lines.join('')).toBe('一二三四五六七八九，十');
  });

  it('a commitment that replaces a material does not print 暂不能受理', () => {
    const catalog = GuideCatalog.fromDir();
    const item = catalog.items.find((i) => i.materials.some((m) => /承诺制/.test(m.notes ?? '')))!;
    const have = new Set(item.materials.filter((m) => m.required && !/承诺制/.test(`${m.name}${m.notes ?? ''}`)).map((m) => m.id));
    const notice = buildNoticeDocument(item, checklist(item, have), { name: '某县医疗保障服务中心', level: '县' }, '2026-12-02');
    const text = notice.sections.flatMap((s) => [s.heading, ...s.lines]).join('\n');
    expect(text).not.toContain('暂不能受理');
    expect(text).toContain('承诺书');
  });

  it('the checklist itself says a 承诺制 material does not stop acceptance, as the paper does', () => {
    const catalog = GuideCatalog.fromDir();
    const item = catalog.items.find((i) => i.materials.some((m) => m.required && /承诺制/.test(m.notes ?? '')))!;
    const byCommitment = (m: { name: string; notes?: string }) => /承诺制|个人承诺书/.test(`${m.name}${m.notes ?? ''}`);
    const have = new Set(item.materials.filter((m) => m.required && !byCommitment(m)).map((m) => m.id));
    const r = checklist(item, have);
    expect(r.outcome).toBe('accept-with-commitment');
    expect(r.canAcceptNow).toBe(true);
    expect(r.needsPersonalCommitment).toBe(true);
    expect(r.blocking).toEqual([]);
    expect(r.byCommitment.length).toBeGreaterThan(0);
    // With nothing ticked, the other required materials still block.
    const none = checklist(item, new Set());
    expect(none.canAcceptNow).toBe(false);
    expect(none.needsPersonalCommitment).toBe(false);
  });
});
