// "1% better every day" (docs/rules.md; the per-day factor is `dayFactor` in day-rules.ts).
//
// The product runs over the settled days in date order, so every device gets the same float.
import type { LocalDate } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { settledHistory } from './history.ts';

export { dayFactor } from './day-rules.ts';

/** `(product − 1) × 100`: 0 with no history, positive when the user does more than half. */
export function betterPercentage(snapshot: Snapshot, today: LocalDate): number {
  return (settledHistory(snapshot, today).product - 1) * 100;
}
