// Points: today, this week (from the user's week start), and all time.
import { type LocalDate, startOfWeek, toDayNumber, type WeekStart } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { daySummaryAt, totalPoints } from './stats-cache.ts';

export { totalPoints };

export interface Points {
  today: number;
  week: number;
  total: number;
}

/** Points from the start of `today`'s week through `today`. */
export function weekPoints(snapshot: Snapshot, today: LocalDate, weekStart: WeekStart): number {
  let sum = 0;
  const end = toDayNumber(today);
  for (let n = toDayNumber(startOfWeek(today, weekStart)); n <= end; n += 1)
    sum += daySummaryAt(snapshot, n).points;
  return sum;
}

export function points(snapshot: Snapshot, today: LocalDate): Points {
  return {
    today: daySummaryAt(snapshot, toDayNumber(today)).points,
    week: weekPoints(snapshot, today, snapshot.settings.weekStart),
    total: totalPoints(snapshot),
  };
}
