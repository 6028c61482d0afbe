// Completion rate over the last N days: completed ÷ (scheduled − skipped).
import { addDays, type LocalDate } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { isDayDone } from './day-summary.ts';
import { daysEnding } from './history.ts';
import { daySummary } from './stats-cache.ts';

/**
 * The rate over the `days` days ending today once today is done, else ending yesterday (an open
 * morning should not drag the rate down). A fraction 0…1, or null when nothing was due.
 */
export function completionRate(snapshot: Snapshot, today: LocalDate, days: number): number | null {
  const last = isDayDone(daySummary(snapshot, today)) ? today : addDays(today, -1);
  let completed = 0;
  let due = 0;
  for (const day of daysEnding(snapshot, last, days)) {
    completed += day.completed;
    due += day.scheduled - day.skipped;
  }
  return due > 0 ? completed / due : null;
}
