// Per-snapshot caches for the derived figures, inherited from the snapshot a change was applied to.
//
//   snapshot N ──snapshotWith(changes)──► snapshot N+1          (lineage: changed collections, days)
//   cache N    ──────── inherit ────────► cache N+1             (day summaries: read through to N's
//                                                                but for changed days; total = old −
//                                                                old changed days + new ones)
//
// A cache is only an optimisation: figures are the same with or without it (a property test checks
// incremental against from-scratch). Caches live in a WeakMap, and lineage holds its predecessor
// weakly, so nothing here keeps old snapshots alive.
import { type LocalDate, toDayNumber } from '../dates.ts';
import type { Snapshot } from '../snapshot.ts';
import type { HistoryState } from './day-rules.ts';
import { computeDay, type DaySummary } from './day-summary.ts';
import type { WeightPoint } from './weight-point.ts';

const MAX_DEPTH = 4;

/**
 * Day summaries by day number: its own, else its parent's for days that did not change. Reads from a
 * parent stay valid as the parent fills in more days, because an unchanged day has the same summary
 * in both. Past MAX_DEPTH generations a child copies what it can reach and drops the parent.
 */
class DayCache {
  readonly #own = new Map<number, DaySummary>();
  readonly #parent: DayCache | undefined;
  readonly #changed: ReadonlySet<number>;
  readonly depth: number;

  constructor(parent?: DayCache, changed: ReadonlySet<number> = new Set()) {
    const flatten = parent !== undefined && parent.depth >= MAX_DEPTH;
    this.#parent = flatten ? undefined : parent;
    this.#changed = changed;
    this.depth = this.#parent ? this.#parent.depth + 1 : 0;
    if (flatten && parent) parent.collect(this.#own, changed);
  }

  get(day: number): DaySummary | undefined {
    const own = this.#own.get(day);
    if (own || !this.#parent || this.#changed.has(day)) return own;
    return this.#parent.get(day);
  }

  set(day: number, summary: DaySummary): void {
    this.#own.set(day, summary);
  }

  private collect(into: Map<number, DaySummary>, skip: ReadonlySet<number>): void {
    this.#parent?.collect(into, new Set([...skip, ...this.#changed]));
    for (const [day, summary] of this.#own) if (!skip.has(day)) into.set(day, summary);
  }
}

interface StatsCache {
  days: DayCache;
  total: number | undefined;
  /** Inherited total: previous total minus the previous points of the days that changed. */
  totalSeed: { base: number; changedDays: readonly number[] } | undefined;
  /** The fold over the closed days, per `today` (see history.ts). */
  closed: Map<LocalDate, HistoryState>;
  weightSeries: WeightPoint[] | undefined;
}

const caches = new WeakMap<Snapshot, StatsCache>();

function fresh(): StatsCache {
  return {
    days: new DayCache(),
    total: undefined,
    totalSeed: undefined,
    closed: new Map(),
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
  // A task or week-start change may make every day count differently.
  if (lineage.changed.has('tasks') || lineage.changed.has('settings')) return cache;
  const changedDays = affectedDays(snapshot, lineage.changedDays);
  cache.days = new DayCache(prevCache.days, new Set(changedDays));
  const earliestChange = Math.min(...changedDays);
  for (const [today, state] of prevCache.closed) {
    if (earliestChange >= toDayNumber(today)) cache.closed.set(today, state); // no closed day changed
  }
  if (prevCache.total !== undefined) {
    let base = prevCache.total;
    for (const day of changedDays) base -= summaryIn(prev, prevCache, day).points;
    cache.totalSeed = { base, changedDays };
  }
  return cache;
}

/**
 * The days whose tallies a change of marks on `changedDays` can alter: those days, and with a
 * `timesPerWeek` task also the rest of their week (a mark there decides whether later days are due).
 */
function affectedDays(snapshot: Snapshot, changedDays: readonly number[]): readonly number[] {
  if (!snapshot.tasks.some((task) => task.schedule?.kind === 'timesPerWeek')) return changedDays;
  const days = new Set<number>();
  for (const day of changedDays) for (let n = day; n < day + 7; n += 1) days.add(n);
  return [...days];
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
