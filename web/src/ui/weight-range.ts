// The weight graph's range (30 days, 90 days, a year, everything), which range it opens on, and the
// trend line broken across long gaps, so the graph never draws a trend through months with no entry.
import { addDays, diffDays, type LocalDate } from '../../../core/dates.ts';
import type { WeightPoint } from '../../../core/stats/index.ts';

export const WEIGHT_RANGES = [
  { key: '30d', label: '30 days', words: 'the last 30 days', days: 30 },
  { key: '90d', label: '90 days', words: 'the last 90 days', days: 90 },
  { key: '1y', label: '1 year', words: 'the last year', days: 365 },
  { key: 'all', label: 'All', words: 'all entries', days: undefined },
] as const;
export type WeightRange = (typeof WEIGHT_RANGES)[number]['key'];

/** Entries further apart than this are not joined by the trend line. */
export const TREND_GAP_DAYS = 14;

export function rangeDays(range: WeightRange): number | undefined {
  return WEIGHT_RANGES.find((r) => r.key === range)?.days;
}

/** "the last 30 days" … "all entries". */
export function rangeWords(range: WeightRange): string {
  return WEIGHT_RANGES.find((r) => r.key === range)?.words ?? '';
}

/** The entries of `series` inside `range` ending `today`. */
export function inRange(series: readonly WeightPoint[], range: WeightRange, today: LocalDate): WeightPoint[] {
  const days = rangeDays(range);
  if (days === undefined) return [...series];
  const from = addDays(today, -(days - 1));
  return series.filter((p) => p.date >= from && p.date <= today);
}

/** The shortest range with at least two entries (something to draw a line through), else All. */
export function defaultRange(series: readonly WeightPoint[], today: LocalDate): WeightRange {
  for (const { key } of WEIGHT_RANGES) if (inRange(series, key, today).length >= 2) return key;
  return 'all';
}

export interface ChartColumns {
  dates: LocalDate[];
  weights: (number | null)[];
  trend: (number | null)[];
}

/**
 * The graph's columns: a gap of more than TREND_GAP_DAYS between two entries gets an empty point in
 * between, where the trend line stops (uPlot does not join across a null).
 */
export function chartColumns(points: readonly WeightPoint[]): ChartColumns {
  const columns: ChartColumns = { dates: [], weights: [], trend: [] };
  let previous: LocalDate | undefined;
  for (const point of points) {
    if (previous !== undefined && diffDays(previous, point.date) > TREND_GAP_DAYS) {
      columns.dates.push(addDays(previous, 1));
      columns.weights.push(null);
      columns.trend.push(null);
    }
    columns.dates.push(point.date);
    columns.weights.push(point.value);
    columns.trend.push(point.avg7);
    previous = point.date;
  }
  return columns;
}
