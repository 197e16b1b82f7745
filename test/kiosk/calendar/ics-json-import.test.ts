import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays, calendarFromRows, seedRowsFromChineseDays } from '../../../kiosk/calendar/index.ts';
import { classifySummary, importIcs } from '../../../kiosk/calendar/ics-import.ts';
import { hasBlockingIssues } from '../../../kiosk/calendar/import-types.ts';
import { importJsonDays } from '../../../kiosk/calendar/json-import.ts';

const ics = readFileSync(new URL('./fixtures/holidays-2025.ics', import.meta.url), 'utf8');

describe('ICS import', () => {
  it('reads the all-day 休/班 events of the year and matches chinese-days for every day of 2025', async () => {
    const r = await importIcs(ics, { fileName: 'holidays-2025.ics' });
    expect(r.year).toBe(2025);
    expect(r.source).toBe('ICS：holidays-2025.ics');
    expect(r.problems).toEqual([]);
    const mine = calendarFromRows(
      r.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name })),
      { firstYear: 2025, lastYear: 2025 },
    );
    const seeded = calendarFromRows(seedRowsFromChineseDays());
    const mismatches: string[] = [];
    for (let d = '2025-01-01'; d.startsWith('2025-'); d = addDays(d, 1)) {
      if (mine.dayInfo(d).type !== seeded.dayInfo(d).type) mismatches.push(d);
    }
    expect(mismatches).toEqual([]);
    expect(r.days.find((d) => d.date === '2025-02-08')).toMatchObject({ kind: 'adjusted-workday', name: '春节', line: 23 });
    expect(r.days.find((d) => d.date === '2025-04-06')).toMatchObject({ kind: 'holiday', name: '清明节' });
  });

  it('lists the events it does not recognise with their line, and the other years it left out', async () => {
    const r = await importIcs(ics);
    expect(r.unparsed.map((u) => [u.line, u.text])).toEqual([
      [68, '母亲节'],
      [73, '元宵节 休'],
      [79, '调休'],
    ]);
    expect(r.unparsed[1]?.reason).toContain('不是全天事件');
    expect(r.unparsed[2]?.reason).toContain('只写“调休”');
    expect(r.remarks).toEqual([expect.stringContaining('2024 年的 7 天')]);
    expect(hasBlockingIssues(r)).toBe(true);
    expect((await importIcs(ics, { year: 2024 })).days.map((d) => d.date)).toHaveLength(7);
  });

  it('classifies summaries by their 休 / 班 mark', async () => {
    expect(classifySummary('春节 休')).toEqual({ kind: 'holiday', name: '春节' });
    expect(classifySummary('国庆节 班')).toEqual({ kind: 'adjusted-workday', name: '国庆节' });
    expect(classifySummary('调休上班（劳动节）')).toMatchObject({ kind: 'adjusted-workday' });
    expect(classifySummary('元旦假期')).toMatchObject({ kind: 'holiday', name: '元旦' });
    expect(classifySummary('休/班')).toMatchObject({ kind: null });
  });

  it('refuses a file that is not iCalendar, and reports a 班 day on a weekday', async () => {
    expect((await importIcs('hello')).problems[0]?.message).toContain('无法解析');
    const bad = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270105', 'SUMMARY:春节 班', 'END:VEVENT', 'END:VCALENDAR'].join(
      '\r\n',
    );
    expect((await importIcs(bad)).problems.map((p) => p.message)).toEqual([expect.stringContaining('2027-01-05 是周二')]);
  });
});

describe('JSON day list import', () => {
  it('reads a scripted day list and lists the entries it cannot use', () => {
    const text = JSON.stringify({
      year: 2027,
      source: '测试用 2027 年安排',
      days: [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-02-20', kind: '班', name: '春节' },
        { date: '2027-02-30', kind: 'holiday' },
        { date: '2027-03-01', kind: 'vacation' },
      ],
    });
    const r = importJsonDays(text);
    expect(r).toMatchObject({ year: 2027, source: '测试用 2027 年安排' });
    expect(r.days.map((d) => [d.date, d.kind])).toEqual([
      ['2027-01-01', 'holiday'],
      ['2027-02-20', 'adjusted-workday'],
    ]);
    expect(r.unparsed.map((u) => u.line)).toEqual([3, 4]);
    expect(importJsonDays('[{"date":"2027-01-04","kind":"adjusted-workday"}]').problems[0]?.message).toContain('应为周六或周日');
    expect(importJsonDays('{not json').problems[0]?.message).toContain('JSON 无法解析');
  });
});
