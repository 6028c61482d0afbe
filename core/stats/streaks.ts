// Current and best streak (docs/rules.md; the per-day rule is `verdictOf` in day-rules.ts).
//
// Today joins the walk once every task of it is marked: then it extends the streak, or breaks it if
// all of it was skipped; while anything is open the streak ends yesterday.
import type { LocalDate } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { settledHistory } from './history.ts';

export interface Streaks {
  current: number;
  best: number;
}

export function streaks(snapshot: Snapshot, today: LocalDate): Streaks {
  const { run, best } = settledHistory(snapshot, today);
  return { current: run, best };
}
