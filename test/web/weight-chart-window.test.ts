import { describe, expect, it } from 'vitest';
import type { WeightPoint } from '../../core/stats/index.ts';
import { xWindow, yWindow } from '../../web/src/ui/weight-chart.tsx';
import { chartColumns, defaultRange, inRange } from '../../web/src/ui/weight-range.ts';

const DAY = 86_400;

describe('weight chart windows', () => {
  it.each([
    {
      name: 'one entry: two weeks before it, three days after',
      days: [100 * DAY],
      want: [86 * DAY, 103 * DAY],
    },
    {
      name: 'a week of entries: still two weeks wide',
      days: [100 * DAY, 107 * DAY],
      want: [93 * DAY, 110 * DAY],
    },
    {
      name: 'a long history: its own span plus margins',
      days: [10 * DAY, 400 * DAY],
      want: [7 * DAY, 403 * DAY],
    },
  ])('x: $name', ({ days, want }) => {
    expect(xWindow(days)).toEqual(want);
  });

  it.each([
    {
      name: 'weights and trend together',
      cols: [
        [82.4, 81.2],
        [82.4, 81.8],
      ],
      want: [80, 84],
    },
    { name: 'a single weight', cols: [[70]], want: [69, 71] },
    { name: 'gaps (null trend) are ignored', cols: [[70.5], [null]], want: [69, 72] },
    { name: 'nothing at all', cols: [[]], want: [0, 1] },
  ])('y: $name', ({ cols, want }) => {
    expect(yWindow(...cols)).toEqual(want);
  });
});

const point = (date: string, value = 80): WeightPoint => ({ date, value, avg7: value });

describe('weight graph range', () => {
  const today = '2026-12-07';
  it.each([
    { name: 'recent entries: 30 days', dates: ['2026-12-01', '2026-12-05'], want: '30d' },
    {
      name: 'one recent entry and older ones: the shortest range with two',
      dates: ['2026-10-01', '2026-12-05'],
      want: '90d',
    },
    { name: 'a year-old pair: 1 year', dates: ['2026-01-10', '2026-01-12'], want: '1y' },
    { name: 'only very old entries: all', dates: ['2024-01-01', '2024-02-01'], want: 'all' },
    { name: 'a single entry: all', dates: ['2026-12-06'], want: 'all' },
  ])('opens on $name', ({ dates, want }) => {
    expect(
      defaultRange(
        dates.map((d) => point(d)),
        today,
      ),
    ).toBe(want);
  });

  it('keeps the entries of the range only, up to today', () => {
    const series = ['2026-11-07', '2026-11-08', '2026-12-07', '2026-12-08'].map((d) => point(d));
    expect(inRange(series, '30d', today).map((p) => p.date)).toEqual(['2026-11-08', '2026-12-07']);
    expect(inRange(series, 'all', today)).toHaveLength(4);
  });
});

describe('trend line across gaps', () => {
  it('breaks the line where entries are more than 14 days apart, and only there', () => {
    const columns = chartColumns([
      point('2025-06-01', 90),
      point('2025-06-15', 89),
      point('2026-11-01', 80),
      point('2026-11-02', 79),
    ]);
    expect(columns.dates).toEqual(['2025-06-01', '2025-06-15', '2025-06-16', '2026-11-01', '2026-11-02']);
    expect(columns.trend).toEqual([90, 89, null, 80, 79]);
    expect(columns.weights).toEqual([90, 89, null, 80, 79]);
  });

  it('leaves a series without long gaps as it is', () => {
    const columns = chartColumns([point('2026-11-01'), point('2026-11-15')]);
    expect(columns.trend).toEqual([80, 80]);
  });
});
