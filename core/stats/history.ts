// Walks over the days of a user's history, shared by streaks, the better percentage and rates.
import { type LocalDate, toDayNumber } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { type DaySummary, firstTaskDay, isDayDone } from './day-summary.ts';
import { cacheOf, daySummaryAt } from './stats-cache.ts';

/**
 * The days that are settled as of `today`: every day from the first task's creation to yesterday,
 * and today once all of it is done (a still-open today would otherwise count as a failure).
 */
export function settledDays(snapshot: Snapshot, today: LocalDate): DaySummary[] {
  const settled = cacheOf(snapshot).settled;
  const cached = settled.get(today);
  if (cached) return cached;
  const first = firstTaskDay(snapshot);
  const days: DaySummary[] = [];
  if (first !== undefined && first <= today) {
    const end = toDayNumber(today);
    for (let n = toDayNumber(first); n < end; n += 1) days.push(daySummaryAt(snapshot, n));
    const todaySummary = daySummaryAt(snapshot, end);
    if (isDayDone(todaySummary)) days.push(todaySummary);
  }
  settled.set(today, days);
  return days;
}

/** The summaries of the `count` days ending at `last` (oldest first). */
export function daysEnding(snapshot: Snapshot, last: LocalDate, count: number): DaySummary[] {
  const end = toDayNumber(last);
  const days: DaySummary[] = [];
  for (let n = end - count + 1; n <= end; n += 1) days.push(daySummaryAt(snapshot, n));
  return days;
}
