import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, formatDateZh, isIsoDate, parseIsoDate, todayInShanghai, weekdayZh } from '../../../kiosk/calendar/dates.ts';

describe('calendar dates', () => {
  it('rejects malformed and impossible dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(parseIsoDate('2026-10-10')).toEqual({ year: 2026, month: 10, day: 10 });
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows the weekday of a calendar date', () => {
    expect(dayOfWeek('2026-10-10')).toBe(6); // Saturday (调休上班)
    expect(dayOfWeek('2026-10-11')).toBe(0);
    expect(weekdayZh('2026-10-01')).toBe('星期四');
    expect(formatDateZh('2026-02-03')).toBe('2026年2月3日');
  });

  it('derives today from the Asia/Shanghai wall clock, not UTC', () => {
    // 17:30 UTC is 01:30 the next day in Shanghai.
    expect(todayInShanghai(new Date('2026-11-23T17:30:00Z'))).toBe('2026-11-24');
    expect(todayInShanghai(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(todayInShanghai(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });
});
