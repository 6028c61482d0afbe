import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  diffDays,
  fromDayNumber,
  isLocalDate,
  isTimeZone,
  startOfWeek,
  toDayNumber,
  todayIn,
  weekdayOf,
} from '../../core/dates.ts';

describe('isLocalDate', () => {
  it.each([
    ['a plain date', '2026-11-28', true],
    ['a leap day', '2024-02-29', true],
    ['a leap day of a 400-year', '2000-02-29', true],
    ['no leap day in a century year', '1900-02-29', false],
    ['no leap day in a common year', '2023-02-29', false],
    ['April 31st', '2026-04-31', false],
    ['month 13', '2026-13-01', false],
    ['day 0', '2026-01-00', false],
    ['a timestamp', '2026-11-28T00:00:00Z', false],
    ['no zero padding', '2026-1-5', false],
    ['a number', 20261128, false],
  ])('%s: %s → %s', (_name, value, expected) => {
    expect(isLocalDate(value)).toBe(expected);
  });
});

describe('addDays and diffDays', () => {
  it.each([
    ['into a leap day', '2024-02-28', 1, '2024-02-29'],
    ['over a leap day', '2024-02-28', 2, '2024-03-01'],
    ['over a common February', '2023-02-28', 1, '2023-03-01'],
    ['across a year end', '2025-12-31', 1, '2026-01-01'],
    ['backwards across a year', '2026-01-01', -1, '2025-12-31'],
    ['over the US spring-forward day', '2026-03-08', 1, '2026-03-09'],
    ['over the EU fall-back day', '2026-10-25', 1, '2026-10-26'],
    ['a whole leap year', '2024-01-01', 366, '2025-01-01'],
    ['ten years', '2016-01-01', 3653, '2026-01-01'],
  ])('%s: %s + %i = %s', (_name, from, days, to) => {
    expect(addDays(from, days)).toBe(to);
    expect(diffDays(from, to)).toBe(days);
  });

  it('round-trips every day number through its date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (n) => {
        const date = fromDayNumber(n);
        expect(isLocalDate(date)).toBe(true);
        expect(toDayNumber(date)).toBe(n);
      }),
    );
  });

  it('agrees with UTC Date arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: -1000, max: 1000 }), (n, d) => {
        const date = fromDayNumber(n);
        const expected = new Date(Date.UTC(1970, 0, 1 + n + d)).toISOString().slice(0, 10);
        expect(addDays(date, d)).toBe(expected);
      }),
    );
  });
});

describe('weekdayOf and startOfWeek', () => {
  it.each([
    ['the epoch (Thursday)', '1970-01-01', 4],
    ['a Sunday', '2026-11-29', 0],
    ['a Saturday', '2026-11-28', 6],
    ['a leap day (Thursday)', '2024-02-29', 4],
    ['US spring-forward Sunday', '2026-03-08', 0],
  ])('%s: %s is weekday %i', (_name, date, weekday) => {
    expect(weekdayOf(date)).toBe(weekday);
  });

  it.each([
    ['Saturday, week from Sunday', '2026-11-28', 0, '2026-11-22'],
    ['Saturday, week from Monday', '2026-11-28', 1, '2026-11-23'],
    ['Sunday, week from Sunday', '2026-11-29', 0, '2026-11-29'],
    ['Sunday, week from Monday', '2026-11-29', 1, '2026-11-23'],
    ['Monday, week from Monday', '2026-11-30', 1, '2026-11-30'],
    ['across a year end', '2026-01-01', 1, '2025-12-29'],
    ['across a leap day', '2024-03-02', 0, '2024-02-25'],
  ] as const)('%s: %s → %s', (_name, date, weekStart, expected) => {
    expect(startOfWeek(date, weekStart)).toBe(expected);
  });
});

describe('todayIn', () => {
  it.each([
    ['UTC midnight', 'UTC', '2026-03-08T00:00:00Z', '2026-03-08'],
    ['New York before midnight', 'America/New_York', '2026-03-08T04:59:00Z', '2026-03-07'],
    ['New York on spring-forward day, 23 h day', 'America/New_York', '2026-03-09T03:59:00Z', '2026-03-08'],
    ['New York just after that day', 'America/New_York', '2026-03-09T04:00:00Z', '2026-03-09'],
    ['Berlin on fall-back day, 25 h day', 'Europe/Berlin', '2026-10-25T22:59:00Z', '2026-10-25'],
    ['Berlin after that day', 'Europe/Berlin', '2026-10-25T23:00:00Z', '2026-10-26'],
    ['Kiritimati ahead of UTC', 'Pacific/Kiritimati', '2026-12-31T10:00:00Z', '2027-01-01'],
    ['Samoa on a leap day', 'Pacific/Apia', '2024-02-28T11:00:00Z', '2024-02-29'],
  ])('%s', (_name, zone, instant, expected) => {
    expect(todayIn(zone, Date.parse(instant))).toBe(expected);
  });

  it('rejects unknown zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(() => todayIn('Mars/Olympus', 0)).toThrow(RangeError);
  });
});
