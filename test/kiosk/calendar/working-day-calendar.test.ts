import { describe, expect, it } from 'vitest';
import { CalendarCoverageError, CalendarRowError, calendarFromRows, seedRowsFromChineseDays } from '../../../kiosk/calendar/index.ts';
import type { DayRow } from '../../../kiosk/calendar/index.ts';

const calendar = calendarFromRows(seedRowsFromChineseDays());

describe('seed rows from chinese-days', () => {
  const rows = seedRowsFromChineseDays();
  it('holds 2026 holidays and 调休 workdays with Chinese names', () => {
    const byDate = new Map(rows.map((r) => [r.date, r]));
    expect(byDate.get('2026-10-01')).toMatchObject({ kind: 'holiday', name: '国庆节' });
    expect(byDate.get('2026-02-16')).toMatchObject({ kind: 'holiday', name: '春节' });
    // The six make-up workdays of 2026 (国办发明电, as quoted in standards.md §4.1).
    const workdays2026 = rows.filter((r) => r.kind === 'adjusted-workday' && r.date.startsWith('2026-')).map((r) => r.date);
    expect(workdays2026).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(rows.every((r) => r.source?.startsWith('chinese-days@'))).toBe(true);
  });

  it('covers 2004 through 2026', () => {
    expect(calendar.coveredYears[0]).toBe(2004);
    expect(calendar.coveredYears.at(-1)).toBe(2026);
    expect(calendar.coveredYears).toHaveLength(23);
  });
});

describe('WorkingDayCalendar.isWorkingDay', () => {
  it('treats 国庆 and 春节 days off as non-working and 调休 weekends as working', () => {
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false);
    expect(calendar.isWorkingDay('2026-10-08')).toBe(true);
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // ordinary Sunday
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday before 春节
    expect(calendar.isWorkingDay('2026-02-23')).toBe(false); // Monday, still 春节
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('labels days for the screen', () => {
    expect(calendar.dayInfo('2026-10-10')).toMatchObject({ type: 'adjusted-workday', label: '调休上班（国庆节）' });
    expect(calendar.dayInfo('2026-10-02')).toMatchObject({ type: 'holiday', label: '国庆节', working: false });
    expect(calendar.dayInfo('2026-03-07')).toMatchObject({ type: 'weekend', label: '周末' });
    expect(calendar.dayInfo('2026-03-09')).toMatchObject({ type: 'workday', working: true });
  });
});

describe('WorkingDayCalendar.addWorkingDays (clause 58: count from the day after acceptance)', () => {
  it('即办 (0 days) is the acceptance day itself', () => {
    expect(calendar.addWorkingDays('2026-03-09', 0)).toBe('2026-03-09');
  });

  it('starts counting the next day', () => {
    expect(calendar.addWorkingDays('2026-03-09', 1)).toBe('2026-03-10');
    expect(calendar.addWorkingDays('2026-03-06', 1)).toBe('2026-03-09'); // Friday → Monday
  });

  it('skips the 国庆 block and counts the 调休 Saturday', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(calendar.addWorkingDays('2026-09-30', 4)).toBe('2026-10-12');
    expect(calendar.addWorkingDays('2026-09-30', 10)).toBe('2026-10-20');
  });

  it('skips 春节 and counts both 调休 Saturdays', () => {
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-13', 6)).toBe('2026-02-28');
  });

  it('counts from the next working day when accepted on a holiday', () => {
    expect(calendar.addWorkingDays('2026-10-03', 1)).toBe('2026-10-08');
  });

  it('rejects negative or fractional day counts', () => {
    expect(() => calendar.addWorkingDays('2026-03-09', -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays('2026-03-09', 1.5)).toThrow(RangeError);
  });
});

describe('coverage guard', () => {
  it('refuses to compute past the last covered year', () => {
    expect(calendar.addWorkingDays('2026-12-30', 1)).toBe('2026-12-31');
    let caught: unknown;
    try {
      calendar.addWorkingDays('2026-12-25', 5);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CalendarCoverageError);
    const e = caught as CalendarCoverageError;
    expect(e.messageZh).toBe('工作日历只覆盖到 2026 年，无法计算 2027 年的日期');
    expect(e.message).toContain('only covers up to 2026');
    expect(e.requestedYear).toBe(2027);
    expect(e.lastCoveredYear).toBe(2026);
    expect(e.code).toBe('CALENDAR_NOT_COVERED');
  });

  it('does not guess for uncovered dates', () => {
    expect(() => calendar.isWorkingDay('2027-01-01')).toThrow(CalendarCoverageError);
    expect(() => calendar.isWorkingDay('2003-06-02')).toThrow(/从 2004 年开始/);
    expect(calendar.isCovered('2027-01-01')).toBe(false);
  });
});

describe('calendarFromRows (editable table)', () => {
  const rows: DayRow[] = [
    { date: '2027-01-01', kind: 'holiday', name: '元旦' },
    { date: '2027-02-06', kind: 'adjusted-workday', name: '春节' },
    { date: '2027-03-01', kind: 'holiday', name: '测试假日' },
    { date: '2027-03-01', kind: 'workday', name: '工作日' },
  ];

  it('builds from hand-entered rows and extends coverage', () => {
    const cal = calendarFromRows([...seedRowsFromChineseDays(), ...rows.slice(0, 2)]);
    expect(cal.coveredYears.at(-1)).toBe(2027);
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-02-06')).toBe(true); // Saturday made a workday
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('accepts an explicit coverage for a year with no exceptions', () => {
    const cal = calendarFromRows([rows[2]!], { firstYear: 2027, lastYear: 2028 });
    expect(cal.isWorkingDay('2027-03-01')).toBe(false);
    expect(cal.isWorkingDay('2028-03-01')).toBe(true);
    expect(() => cal.isWorkingDay('2029-01-02')).toThrow(/只覆盖到 2028 年/);
  });

  it('lists every bad row', () => {
    const bad = [
      rows[2]!,
      rows[3]!,
      { date: '2027-02-30', kind: 'holiday', name: 'x' },
      { date: '2027-04-01', kind: 'day-off', name: 'x' },
    ] as unknown as DayRow[];
    let caught: unknown;
    try {
      calendarFromRows(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CalendarRowError);
    const problems = (caught as CalendarRowError).problems;
    expect(problems.some((p) => p.includes('duplicate date 2027-03-01'))).toBe(true);
    expect(problems.some((p) => p.includes('invalid date "2027-02-30"'))).toBe(true);
    expect(problems.some((p) => p.includes('unknown kind "day-off"'))).toBe(true);
  });

  it('round-trips its rows', () => {
    const cal = calendarFromRows(rows.slice(0, 2));
    expect(calendarFromRows(cal.rows()).rows()).toEqual(cal.rows());
  });
});
