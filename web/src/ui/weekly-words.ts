// What the weekly charts show, in a sentence each, for screen readers (the charts are images).
import type { WeekFigures } from '../../../core/stats/index.ts';
import { formatDate, formatRate } from './format.ts';

const weekOf = (start: string) => formatDate(start, { month: 'short', day: 'numeric' });

export function pointsSummary(weeks: readonly WeekFigures[]): string {
  const last = weeks.at(-1);
  if (!last) return 'Points per week: no weeks yet.';
  const best = weeks.reduce((a, b) => (b.points > a.points ? b : a));
  return `Points per week over the last ${weeks.length} weeks: most ${best.points} in the week of ${weekOf(best.start)}, ${last.points} this week.`;
}

export function rateSummary(weeks: readonly WeekFigures[]): string {
  const rated = weeks.filter((w) => w.rate !== null);
  if (rated.length === 0)
    return `Completion per week over the last ${weeks.length} weeks: nothing was due yet.`;
  const mean = rated.reduce((sum, w) => sum + (w.rate ?? 0), 0) / rated.length;
  const last = rated.at(-1);
  return `Completion per week over the last ${weeks.length} weeks: ${formatRate(mean)} on average, ${formatRate(last?.rate ?? null)} in the week of ${weekOf(last?.start ?? '')}.`;
}
