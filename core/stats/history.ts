// Walks over the days of a user's history, shared by streaks, the better percentage and rates.
import { addDays, fromDayNumber, type LocalDate, toDayNumber } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { type DaySummary, daySummary, firstTaskDay, isDayDone } from './day-summary.ts';

/**
 * The days that are settled as of `today`: every day from the first task's creation to yesterday,
 * and today once all of it is done (a still-open today would otherwise count as a failure).
 */
export function settledDays(snapshot: Snapshot, today: LocalDate): DaySummary[] {
  const key = `settled:${today}`;
  const cached = snapshot.memo.get(key) as DaySummary[] | undefined;
  if (cached) return cached;
  const first = firstTaskDay(snapshot);
  const days: DaySummary[] = [];
  if (first !== undefined && first <= today) {
    const end = toDayNumber(today);
    for (let n = toDayNumber(first); n < end; n += 1) days.push(daySummary(snapshot, fromDayNumber(n)));
    const todaySummary = daySummary(snapshot, today);
    if (isDayDone(todaySummary)) days.push(todaySummary);
  }
  snapshot.memo.set(key, days);
  return days;
}

/** The summaries of the `count` days ending at `last` (oldest first). */
export function daysEnding(snapshot: Snapshot, last: LocalDate, count: number): DaySummary[] {
  const days: DaySummary[] = [];
  for (let i = count - 1; i >= 0; i -= 1) days.push(daySummary(snapshot, addDays(last, -i)));
  return days;
}
