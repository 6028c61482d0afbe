// Per-snapshot caches for the derived figures, inherited from the snapshot a change was applied to.
//
//   snapshot N ──snapshotWith(changes)──► snapshot N+1          (lineage: changed collections, days)
//   cache N    ──────── inherit ────────► cache N+1             (copy day summaries minus changed
//                                                                days; total = old − old days + new)
//
// A cache is only an optimisation: figures are the same with or without it (a property test checks
// incremental against from-scratch). Caches live in a WeakMap, and lineage holds its predecessor
// weakly, so nothing here keeps old snapshots alive.
import { type LocalDate, toDayNumber } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import { computeDay, type DaySummary } from './day-summary.ts';
import type { WeightPoint } from './weights.ts';

interface StatsCache {
  /** Day summaries by day number. */
  days: Map<number, DaySummary>;
  total: number | undefined;
  /** Inherited total: previous total minus the previous points of the days that changed. */
  totalSeed: { base: number; changedDays: readonly number[] } | undefined;
  settled: Map<LocalDate, DaySummary[]>;
  weightSeries: WeightPoint[] | undefined;
}

const caches = new WeakMap<Snapshot, StatsCache>();

function fresh(): StatsCache {
  return {
    days: new Map(),
    total: undefined,
    totalSeed: undefined,
    settled: new Map(),
    weightSeries: undefined,
  };
}

function inherit(snapshot: Snapshot): StatsCache {
  const cache = fresh();
  const lineage = snapshot.lineage;
  const prev = lineage?.previous.deref();
  const prevCache = prev && caches.get(prev);
  if (!lineage || !prev || !prevCache) return cache;
  if (!lineage.changed.has('weights') && !lineage.changed.has('settings')) {
    cache.weightSeries = prevCache.weightSeries;
  }
  if (lineage.changed.has('tasks')) return cache; // every day may count differently now
  cache.days = new Map(prevCache.days);
  for (const day of lineage.changedDays) cache.days.delete(day);
  if (prevCache.total !== undefined) {
    let base = prevCache.total;
    for (const day of lineage.changedDays) base -= summaryIn(prev, prevCache, day).points;
    cache.totalSeed = { base, changedDays: lineage.changedDays };
  }
  return cache;
}

export function cacheOf(snapshot: Snapshot): StatsCache {
  let cache = caches.get(snapshot);
  if (!cache) {
    cache = inherit(snapshot);
    caches.set(snapshot, cache);
  }
  return cache;
}

function summaryIn(snapshot: Snapshot, cache: StatsCache, day: number): DaySummary {
  let summary = cache.days.get(day);
  if (!summary) {
    summary = computeDay(snapshot, day);
    cache.days.set(day, summary);
  }
  return summary;
}

/** The tallies of day number `day` (memoized). */
export function daySummaryAt(snapshot: Snapshot, day: number): DaySummary {
  return summaryIn(snapshot, cacheOf(snapshot), day);
}

/** The day's tallies (memoized per snapshot, and carried to the next one when the day is untouched). */
export function daySummary(snapshot: Snapshot, date: LocalDate): DaySummary {
  return daySummaryAt(snapshot, toDayNumber(date));
}

/** All points ever earned (every day with marks, future-dated ones included). */
export function totalPoints(snapshot: Snapshot): number {
  const cache = cacheOf(snapshot);
  if (cache.total !== undefined) return cache.total;
  let total = 0;
  if (cache.totalSeed) {
    total = cache.totalSeed.base;
    for (const day of cache.totalSeed.changedDays) total += summaryIn(snapshot, cache, day).points;
  } else {
    for (const date of snapshot.completionsByDate.keys()) total += daySummary(snapshot, date).points;
  }
  cache.total = total;
  return total;
}
