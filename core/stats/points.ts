// Points: today, this week (from the user's week start), and all time.
import { addDays, diffDays, type LocalDate, startOfWeek, type WeekStart } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { daySummary } from './day-summary.ts';

export interface Points {
  today: number;
  week: number;
  total: number;
}

/** All points ever earned (every day with marks, future-dated ones included). */
export function totalPoints(snapshot: Snapshot): number {
  const cached = snapshot.memo.get('points:total') as number | undefined;
  if (cached !== undefined) return cached;
  let total = 0;
  for (const date of snapshot.completionsByDate.keys()) total += daySummary(snapshot, date).points;
  snapshot.memo.set('points:total', total);
  return total;
}

/** Points from the start of `today`'s week through `today`. */
export function weekPoints(snapshot: Snapshot, today: LocalDate, weekStart: WeekStart): number {
  const start = startOfWeek(today, weekStart);
  let sum = 0;
  for (let i = 0, n = diffDays(start, today); i <= n; i += 1)
    sum += daySummary(snapshot, addDays(start, i)).points;
  return sum;
}

export function points(snapshot: Snapshot, today: LocalDate): Points {
  return {
    today: daySummary(snapshot, today).points,
    week: weekPoints(snapshot, today, snapshot.settings.weekStart),
    total: totalPoints(snapshot),
  };
}
