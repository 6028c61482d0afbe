// "1% better every day" (DESIGN §3).
//
// Every settled day with tasks contributes 1 + 0.01 × (2r − 1), r = completed ÷ (scheduled − skipped):
// all done → ×1.01, nothing done → ×0.99. Days with nothing to do, or with everything skipped,
// contribute 1. The product is taken in date order so every device gets the same float.
import type { LocalDate } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import type { DaySummary } from './day-summary.ts';
import { settledDays } from './history.ts';

export function dayFactor(day: DaySummary): number {
  const due = day.scheduled - day.skipped;
  if (due <= 0) return 1;
  const r = day.completed / due;
  return 1 + 0.01 * (2 * r - 1);
}

/** `(product − 1) × 100`: 0 with no history, positive when the user does more than half. */
export function betterPercentage(snapshot: Snapshot, today: LocalDate): number {
  let product = 1;
  for (const day of settledDays(snapshot, today)) product *= dayFactor(day);
  return (product - 1) * 100;
}
