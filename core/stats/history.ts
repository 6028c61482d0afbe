// Walks over the days of a user's history, shared by streaks, the better percentage and rates.
//
// "Settled" days as of today: every day from the first task's creation to yesterday (the closed
// days), and today once all of it is done (a still-open today would otherwise count as a failure).
// The fold over the closed days is cached per `today` and inherited by the next snapshot when a
// change touched only today or later, so a tap on the Today screen does not re-walk ten years.
import { type LocalDate, toDayNumber } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { EMPTY_HISTORY, foldDay, type HistoryState } from './day-rules.ts';
import { type DaySummary, firstTaskDay, isDayDone } from './day-summary.ts';
import { cacheOf, daySummaryAt } from './stats-cache.ts';

/** The fold over the closed days (first task day … yesterday). */
function closedHistory(snapshot: Snapshot, today: LocalDate): HistoryState {
  const closed = cacheOf(snapshot).closed;
  const cached = closed.get(today);
  if (cached) return cached;
  let state = EMPTY_HISTORY;
  const first = firstTaskDay(snapshot);
  if (first !== undefined) {
    const end = toDayNumber(today);
    for (let n = toDayNumber(first); n < end; n += 1) state = foldDay(state, daySummaryAt(snapshot, n));
  }
  closed.set(today, state);
  return state;
}

/** The fold over every settled day as of `today`. */
export function settledHistory(snapshot: Snapshot, today: LocalDate): HistoryState {
  const state = closedHistory(snapshot, today);
  const first = firstTaskDay(snapshot);
  if (first === undefined || first > today) return state;
  const todaySummary = daySummaryAt(snapshot, toDayNumber(today));
  return isDayDone(todaySummary) ? foldDay(state, todaySummary) : state;
}

/** The summaries of the `count` days ending at `last` (oldest first). */
export function daysEnding(snapshot: Snapshot, last: LocalDate, count: number): DaySummary[] {
  const end = toDayNumber(last);
  const days: DaySummary[] = [];
  for (let n = end - count + 1; n <= end; n += 1) days.push(daySummaryAt(snapshot, n));
  return days;
}
