// What one settled day contributes to the streak and to the better percentage (docs/rules.md, "Streak" and "Better percentage").
import type { DaySummary } from './day-summary.ts';

export type Verdict = 'extends' | 'neutral' | 'breaks';

/**
 * A day extends a streak when every task counting that day was completed or skipped and at least
 * one was completed; a day with an open task, or with everything skipped, breaks it. A day with
 * nothing scheduled (a rest day) is neutral: it cannot be "done", and a weekdays-only routine should
 * not lose its streak every weekend.
 */
export function verdictOf(day: DaySummary): Verdict {
  if (day.scheduled === 0) return 'neutral';
  const allMarked = day.completed + day.skipped === day.scheduled;
  return allMarked && day.completed > 0 ? 'extends' : 'breaks';
}

/**
 * 1 + 0.01 × (2r − 1), r = completed ÷ (scheduled − skipped): all done → ×1.01, nothing done → ×0.99.
 * Days with nothing to do, or with everything skipped, contribute 1.
 */
export function dayFactor(day: DaySummary): number {
  const due = day.scheduled - day.skipped;
  if (due <= 0) return 1;
  const r = day.completed / due;
  return 1 + 0.01 * (2 * r - 1);
}

/** The streak and better-percentage state after a run of settled days, folded in date order. */
export interface HistoryState {
  product: number;
  run: number;
  best: number;
}

export const EMPTY_HISTORY: HistoryState = { product: 1, run: 0, best: 0 };

export function foldDay(state: HistoryState, day: DaySummary): HistoryState {
  const verdict = verdictOf(day);
  const run = verdict === 'extends' ? state.run + 1 : verdict === 'breaks' ? 0 : state.run;
  return { product: state.product * dayFactor(day), run, best: Math.max(state.best, run) };
}
