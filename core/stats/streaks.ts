// Current and best streak (DESIGN §3).
//
// A day extends a streak when every task counting that day was completed or skipped and at least
// one was completed; a day with an open task, or with everything skipped, breaks it. A day with
// nothing scheduled (a rest day) neither breaks nor extends it: it cannot be "done", and a
// weekdays-only routine should not lose its streak every weekend. Today joins the walk once every
// task of it is marked (see `settledDays`): then it extends the streak, or breaks it if all of it was
// skipped; while anything is open the streak ends yesterday.
import type { LocalDate } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import type { DaySummary } from './day-summary.ts';
import { settledDays } from './history.ts';

export interface Streaks {
  current: number;
  best: number;
}

type Verdict = 'extends' | 'neutral' | 'breaks';

function verdictOf(day: DaySummary): Verdict {
  if (day.scheduled === 0) return 'neutral';
  const allMarked = day.completed + day.skipped === day.scheduled;
  return allMarked && day.completed > 0 ? 'extends' : 'breaks';
}

export function streaks(snapshot: Snapshot, today: LocalDate): Streaks {
  const days = settledDays(snapshot, today);
  let best = 0;
  let run = 0;
  for (const day of days) {
    const verdict = verdictOf(day);
    if (verdict === 'extends') run += 1;
    else if (verdict === 'breaks') run = 0;
    if (run > best) best = run;
  }
  return { current: run, best };
}
