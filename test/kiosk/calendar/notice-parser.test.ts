import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addDays, calendarFromRows, seedRowsFromChineseDays } from '../../../kiosk/calendar/index.ts';
import { hasBlockingIssues, type ImportResult } from '../../../kiosk/calendar/import-types.ts';
import { parseHolidayNotice } from '../../../kiosk/calendar/notice-parser.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const seeded = calendarFromRows(seedRowsFromChineseDays());

function calendarOf(r: ImportResult) {
  return calendarFromRows(
    r.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name })),
    { firstYear: r.year!, lastYear: r.year! },
  );
}

describe('parsing the published State Council notices', () => {
  for (const year of [2024, 2025, 2026]) {
    it(`reads the ${year} notice exactly as chinese-days has it, for every day of the year`, () => {
      const r = parseHolidayNotice(fixture(`notice-${year}.txt`));
      expect(r.year).toBe(year);
      expect(r.unparsed).toEqual([]);
      expect(r.problems).toEqual([]);
      expect(hasBlockingIssues(r)).toBe(false);
      const mine = calendarOf(r);
      const mismatches: string[] = [];
      for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = addDays(d, 1)) {
        const a = mine.dayInfo(d);
        const b = seeded.dayInfo(d);
        if (a.working !== b.working || a.type !== b.type) mismatches.push(`${d}: ${a.type} vs chinese-days ${b.type}`);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('keeps the names, the document number and the 调休 working days of 2026', () => {
    const r = parseHolidayNotice(fixture('notice-2026.txt'));
    expect(r.source).toBe('国办发明电〔2025〕7号');
    expect(r.days.filter((d) => d.kind === 'adjusted-workday').map((d) => `${d.date} ${d.name}`)).toEqual([
      '2026-01-04 元旦',
      '2026-02-14 春节',
      '2026-02-28 春节',
      '2026-05-09 劳动节',
      '2026-09-20 国庆节',
      '2026-10-10 国庆节',
    ]);
    expect(r.days.find((d) => d.date === '2026-02-23')).toMatchObject({ kind: 'holiday', name: '春节', line: 7 });
  });

  it('reads a range across months and a joint item (2025 国庆节、中秋节)', () => {
    const r = parseHolidayNotice(fixture('notice-2025.txt'));
    const spring = r.days.filter((d) => d.name === '春节' && d.kind === 'holiday').map((d) => d.date);
    expect(spring).toEqual(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04']);
    expect(r.days.find((d) => d.date === '2025-10-06')?.name).toBe('国庆节、中秋节');
    expect(r.days.filter((d) => d.date >= '2025-05-31' && d.date <= '2025-06-02').every((d) => d.name === '端午节')).toBe(true);
  });

  it('does not count the 2024 鼓励…除夕休息 sentence as a day off, and says so', () => {
    const r = parseHolidayNotice(fixture('notice-2024.txt'));
    expect(r.days.some((d) => d.date === '2024-02-09')).toBe(false);
    expect(r.remarks.join()).toContain('除夕');
  });

  it('accepts half-width punctuation, items on one line, a continuation line and the year given by the caller', () => {
    const text = [
      '一、元旦:1月1日(周四)至3日(周六)放假调休,共3天。1月4日(周日)上班。二、春节:2月15日(农历腊月二十八)至23日(农历正月初七)放假调休,共9天。',
      '2月14日（周六）、2月28日（周六）上班。',
    ].join('\n');
    const r = parseHolidayNotice(text, { year: 2026 });
    expect(r.problems).toEqual([]);
    expect(r.unparsed).toEqual([]);
    expect(r.days.filter((d) => d.kind === 'adjusted-workday').map((d) => [d.date, d.name, d.line])).toEqual([
      ['2026-01-04', '元旦', 1],
      ['2026-02-14', '春节', 2],
      ['2026-02-28', '春节', 2],
    ]);
    expect(r.days.filter((d) => d.kind === 'holiday')).toHaveLength(12);
  });

  it('reads the 2027 test fixture (marked as such) and lists its marker line without blocking', () => {
    const r = parseHolidayNotice(fixture('notice-2027-TEST-FIXTURE.txt'));
    expect(r.year).toBe(2027);
    expect(r.problems).toEqual([]);
    expect(r.unparsed).toEqual([expect.objectContaining({ line: 1, blocking: false })]);
    expect(hasBlockingIssues(r)).toBe(false);
    expect(r.days.find((d) => d.date === '2027-01-01')).toMatchObject({ kind: 'holiday', name: '元旦' });
  });
});

describe('malformed notice text', () => {
  it('lists every line it cannot read with its number, and uses none of such a line', () => {
    const text = [
      '国务院办公厅关于2026年部分节假日安排的通知',
      '一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。',
      '二、春节：2月15日前后放假，具体另行通知。',
      '三、清明节：4月4日（周六）至6日（周一）放假，共3天。4月5号上班。',
      '来源：中国政府网',
      '劳动节放假5天',
    ].join('\n');
    const r = parseHolidayNotice(text);
    expect(r.unparsed.map((u) => [u.line, u.blocking])).toEqual([
      [3, true],
      [4, true],
      [5, false],
      [6, true],
    ]);
    expect(r.unparsed[0]?.reason).toContain('2月15日前后放假');
    expect(r.days.some((d) => d.date.startsWith('2026-02'))).toBe(false);
    // Line 4 is dropped whole: half an item would be a guess.
    expect(r.days.some((d) => d.date.startsWith('2026-04'))).toBe(false);
    expect(r.days.map((d) => d.date)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
    expect(hasBlockingIssues(r)).toBe(true);
  });

  it('reports a weekday annotation that does not match its date, a 调休 working day on a weekday, and a wrong 共N天', () => {
    const r = parseHolidayNotice(['关于2026年部分节假日安排的通知', '四、劳动节：5月1日（周四）至5日（周二）放假调休，共6天。5月8日（周五）上班。'].join('\n'));
    const messages = r.problems.map((p) => p.message);
    expect(messages).toEqual([
      expect.stringContaining('注明“周四”，但 2026-05-01 是周五'),
      expect.stringContaining('共 6 天，但 2026-05-01 至 2026-05-05 是 5 天'),
      expect.stringContaining('调休上班日 2026-05-08 是周五'),
    ]);
    expect(r.problems.every((p) => p.line === 2)).toBe(true);
  });

  it('reports a day off outside the year, an end before the start, an impossible date and a duplicated date', () => {
    const r = parseHolidayNotice(
      [
        '一、元旦：2027年1月1日放假。',
        '二、春节：2月20日至2月15日放假。',
        '三、清明节：4月31日放假。',
        '四、劳动节：5月1日至3日放假。5月2日（周六）上班。',
      ].join('\n'),
      { year: 2026 },
    );
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([
      [1, expect.stringContaining('不在 2026 年内')],
      [2, expect.stringContaining('结束日期早于开始日期')],
      [3, expect.stringContaining('不是有效日期')],
      [4, expect.stringContaining('2026-05-02 重复出现')],
    ]);
  });

  it('needs a year, and refuses a title that disagrees with the year given', () => {
    expect(parseHolidayNotice('一、元旦：1月1日放假。').problems[0]?.message).toContain('未能确定年份');
    const r = parseHolidayNotice('国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。', { year: 2027 });
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringContaining('2027 与标题中的 2026 年不一致')]);
  });

  it('refuses text without any item, and an annotation it does not know', () => {
    expect(hasBlockingIssues(parseHolidayNotice('国务院办公厅关于2026年部分节假日安排的通知'))).toBe(true);
    const r = parseHolidayNotice('国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（补假）放假。');
    expect(r.unparsed[0]).toMatchObject({ line: 2, blocking: true, reason: expect.stringContaining('补假') });
  });
});
