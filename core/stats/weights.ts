// The weight series in the user's unit, its 7-day moving average, and recent changes.
import { addDays, type LocalDate, toDayNumber } from '../dates.ts';
import type { Weight } from '../schemas/record-schemas.ts';
import type { Snapshot } from '../snapshot.ts';
import { cacheOf } from './stats-cache.ts';
import type { WeightPoint } from './weight-point.ts';

export type WeightUnit = Weight['unit'];

export type { WeightPoint };

export interface WeightSummary {
  unit: WeightUnit;
  latest: { date: LocalDate; value: number } | null;
  /** latest − the last weight logged at least 7 (30) days before it; null without one. */
  change7: number | null;
  change30: number | null;
}

const KG_PER_LB = 0.45359237;

export function convertWeight(value: number, from: WeightUnit, to: WeightUnit): number {
  if (from === to) return value;
  return from === 'lb' ? value * KG_PER_LB : value / KG_PER_LB;
}

function computeSeries(snapshot: Snapshot): WeightPoint[] {
  const unit = snapshot.settings.unit;
  const points: WeightPoint[] = [];
  const dayNumbers: number[] = [];
  let windowStart = 0;
  for (const weight of snapshot.weights) {
    const day = toDayNumber(weight.date);
    const value = convertWeight(weight.value, weight.unit, unit);
    points.push({ date: weight.date, value, avg7: value });
    dayNumbers.push(day);
    while ((dayNumbers[windowStart] ?? day) < day - 6) windowStart += 1;
    // At most 7 values: summing afresh keeps every point exact rather than carrying rounding.
    let sum = 0;
    for (let i = windowStart; i < points.length; i += 1) sum += points[i]?.value ?? 0;
    const point = points[points.length - 1];
    if (point) point.avg7 = sum / (points.length - windowStart);
  }
  return points;
}

/** Every weight on or before `until` (all when omitted), oldest first, with its moving average. */
export function weightSeries(snapshot: Snapshot, until?: LocalDate): WeightPoint[] {
  const cache = cacheOf(snapshot);
  cache.weightSeries ??= computeSeries(snapshot);
  const all = cache.weightSeries;
  if (until === undefined) return all.slice();
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((all[mid]?.date ?? '') <= until) lo = mid + 1;
    else hi = mid;
  }
  return all.slice(0, lo);
}

function changeOver(series: readonly WeightPoint[], latest: WeightPoint, days: number): number | null {
  const target = addDays(latest.date, -days);
  for (let i = series.length - 1; i >= 0; i -= 1) {
    const point = series[i];
    if (point && point.date <= target) return latest.value - point.value;
  }
  return null;
}

export function weightSummary(snapshot: Snapshot, today: LocalDate): WeightSummary {
  const series = weightSeries(snapshot, today);
  const latest = series.at(-1);
  if (!latest) return { unit: snapshot.settings.unit, latest: null, change7: null, change30: null };
  return {
    unit: snapshot.settings.unit,
    latest: { date: latest.date, value: latest.value },
    change7: changeOver(series, latest, 7),
    change30: changeOver(series, latest, 30),
  };
}
