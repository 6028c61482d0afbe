// A returning user's first screen folds their whole history (total points, better percentage, streak):
// computed in one go after the replica loads, that is the page's longest task. Computing the days
// beforehand in slices that yield to the browser between them leaves the first render only the cached
// days to fold (core's day summaries are memoized per snapshot and carried to the next one).
import { addDays, type LocalDate } from '../../../core/dates.ts';
import type { Snapshot } from '../../../core/snapshot.ts';
import { daySummary, firstTaskDay } from '../../../core/stats/index.ts';

export interface Slicing {
  now(): number;
  /** Lets the browser run what is waiting (input, rendering) before the next slice. */
  pause(): Promise<void>;
}

/** Work per slice: under a quarter of a long task (50 ms), so a four times slower phone stays under it. */
export const SLICE_BUDGET_MS = 10;

/**
 * Computes, and so caches, the summary of every day from the first task's to `last`; resolves to the
 * number of slices it took.
 */
export async function warmHistory(snapshot: Snapshot, last: LocalDate, slicing: Slicing): Promise<number> {
  let date = firstTaskDay(snapshot);
  if (date === undefined) return 0;
  let slices = 1;
  let sliceStart = slicing.now();
  for (; date <= last; date = addDays(date, 1)) {
    if (slicing.now() - sliceStart >= SLICE_BUDGET_MS) {
      await slicing.pause();
      slices += 1;
      sliceStart = slicing.now();
    }
    daySummary(snapshot, date);
  }
  return slices;
}

interface SchedulerWithYield {
  yield(): Promise<void>;
}

/** `scheduler.yield()` where the browser has it (the rest of this work keeps its place), else a task. */
export function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<SchedulerWithYield> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
