// One point of the weight series, apart from weights.ts so that the stats cache can hold the series
// without importing the module that computes it.
import type { LocalDate } from '../dates.ts';

/** Points are shared between calls on the same snapshot: treat them as read-only. */
export interface WeightPoint {
  date: LocalDate;
  /** In the user's unit. */
  value: number;
  /** Mean of the weights logged in the 7 calendar days ending on `date` (gaps are not filled). */
  avg7: number;
}
