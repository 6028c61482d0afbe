// Week by week: the points earned and the completion rate of each of the last N weeks (the weeks
// start on the user's week start), for the dashboard's charts.
import { addDays, type LocalDate, startOfWeek, toDayNumber } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { isDayDone } from './day-summary.ts';
import { daySummaryAt } from './stats-cache.ts';

export interface WeekFigures {
  /** The week's first day. */
  start: LocalDate;
  points: number;
  /** completed ÷ (counted − skipped) over the week's settled days; null when nothing was due. */
  rate: number | null;
}

/**
 * The `weeks` weeks ending with `today`'s, oldest first. The current week's rate covers its days up
 * to yesterday, and today once it is done (as completionRate does); its points include today's.
 */
export function weeklyFigures(snapshot: Snapshot, today: LocalDate, weeks: number): WeekFigures[] {
  const todayNumber = toDayNumber(today);
  const lastSettled = isDayDone(daySummaryAt(snapshot, todayNumber)) ? todayNumber : todayNumber - 1;
  const first = addDays(startOfWeek(today, snapshot.settings.weekStart), -7 * (weeks - 1));
  const result: WeekFigures[] = [];
  for (let w = 0; w < weeks; w += 1) {
    const start = addDays(first, 7 * w);
    const from = toDayNumber(start);
    let points = 0;
    let completed = 0;
    let due = 0;
    for (let n = from; n < from + 7 && n <= todayNumber; n += 1) {
      const day = daySummaryAt(snapshot, n);
      points += day.points;
      if (n > lastSettled) continue;
      completed += day.completed;
      due += day.scheduled - day.skipped;
    }
    result.push({ start, points, rate: due > 0 ? completed / due : null });
  }
  return result;
}
