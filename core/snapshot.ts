// An immutable, indexed view of one user's records: what the derived figures are computed from.
//
// Built once from all records (`buildSnapshot`), then advanced by the records a mutation or a pull
// changed (`snapshotWith`), reusing every index the change did not touch. A snapshot made by
// `snapshotWith` remembers (weakly) the one it came from and what changed, so the stats can reuse
// their per-day work too. That is what keeps "apply one mutation and recompute the Today screen"
// well inside a frame on ten years of history.
import { type LocalDate, toDayNumber } from './dates.ts';
import { OverlayMap } from './overlay-map.ts';
import {
  type Change,
  COLLECTIONS,
  type CollectionName,
  parseCompletionId,
  type StoredRecord,
} from './records.ts';
import {
  type Completion,
  DEFAULT_SETTINGS,
  isTombstone,
  SETTINGS_ID,
  type Settings,
  type Task,
  type Weight,
} from './schemas/record-schemas.ts';
import type { ReadStore } from './store.ts';

/** Settings as the figures see them: the stored ones, or the defaults before any change. */
export type EffectiveSettings = Omit<Settings, 'hlc' | 'clocks'>;

type DayMarks = ReadonlyMap<string, Completion>;

/** How a snapshot differs from the one it was advanced from. */
export interface Lineage {
  readonly previous: WeakRef<Snapshot>;
  readonly changed: ReadonlySet<CollectionName>;
  /** Day numbers (see `toDayNumber`) whose completions changed. */
  readonly changedDays: readonly number[];
}

export interface Snapshot extends ReadStore {
  /** Live tasks, archived ones included, by (order, id). */
  readonly tasks: readonly Task[];
  readonly taskById: ReadonlyMap<string, Task>;
  /** Live completions by local date, then by task id. */
  readonly completionsByDate: ReadonlyMap<LocalDate, DayMarks>;
  /** Live weights by date, oldest first. */
  readonly weights: readonly Weight[];
  readonly settings: EffectiveSettings;
  /** Set by `snapshotWith`; lets derived-figure caches carry over (never needed for correctness). */
  readonly lineage: Lineage | undefined;
  /** Every stored record, tombstones included (e.g. to persist a base). */
  records(): IterableIterator<Change>;
}

type Layer = { readonly [C in CollectionName]: ReadonlyMap<string, StoredRecord<C>> };
const MAX_LAYERS = 4;

function byOrder(a: Task, b: Task): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function emptyLayer(): { [C in CollectionName]: Map<string, StoredRecord<C>> } {
  return { tasks: new Map(), completions: new Map(), weights: new Map(), settings: new Map() };
}

function layerOf(changes: Iterable<Change>): Layer {
  const layer = emptyLayer();
  for (const change of changes)
    (layer[change.collection] as Map<string, StoredRecord>).set(change.record.id, change.record);
  return layer;
}

class IndexedSnapshot implements Snapshot {
  constructor(
    readonly layers: readonly Layer[],
    readonly tasks: readonly Task[],
    readonly taskById: ReadonlyMap<string, Task>,
    readonly completionsByDate: ReadonlyMap<LocalDate, DayMarks>,
    readonly weights: readonly Weight[],
    readonly settings: EffectiveSettings,
    readonly lineage: Lineage | undefined,
  ) {}

  get<C extends CollectionName>(collection: C, id: string): StoredRecord<C> | undefined {
    for (const layer of this.layers) {
      const record = layer[collection].get(id);
      if (record) return record as StoredRecord<C>;
    }
    return undefined;
  }

  *records(): IterableIterator<Change> {
    for (const collection of COLLECTIONS) {
      const seen = new Set<string>();
      for (const layer of this.layers) {
        for (const [id, record] of layer[collection]) {
          if (seen.has(id)) continue;
          seen.add(id);
          yield { collection, record } as Change;
        }
      }
    }
  }
}

function effectiveSettings(record: StoredRecord<'settings'> | undefined): EffectiveSettings {
  if (!record || isTombstone(record)) return DEFAULT_SETTINGS;
  return { id: SETTINGS_ID, unit: record.unit, weekStart: record.weekStart, timeZone: record.timeZone };
}

const byDate = (a: Weight, b: Weight) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

function live<C extends CollectionName>(
  map: ReadonlyMap<string, StoredRecord<C>>,
): Array<Exclude<StoredRecord<C>, { deleted: true }>> {
  const result: Array<Exclude<StoredRecord<C>, { deleted: true }>> = [];
  for (const record of map.values())
    if (!isTombstone(record)) result.push(record as Exclude<StoredRecord<C>, { deleted: true }>);
  return result;
}

/** A snapshot of everything in `records` (later duplicates of the same record win). */
export function buildSnapshot(records: Iterable<Change>): Snapshot {
  const layer = layerOf(records);
  const taskById = new Map(live(layer.tasks).map((task) => [task.id, task]));
  const completionsByDate = new Map<LocalDate, Map<string, Completion>>();
  for (const completion of live(layer.completions)) {
    let day = completionsByDate.get(completion.date);
    if (!day) {
      day = new Map();
      completionsByDate.set(completion.date, day);
    }
    day.set(completion.taskId, completion);
  }
  const weights = live(layer.weights).sort(byDate);
  const tasks = [...taskById.values()].sort(byOrder);
  const settings = effectiveSettings(layer.settings.get(SETTINGS_ID));
  return new IndexedSnapshot([layer], tasks, taskById, completionsByDate, weights, settings, undefined);
}

/** `prev` advanced by `changes`: equal to building from scratch, but only touched indexes are rebuilt. */
export function snapshotWith(prev: Snapshot, changes: Iterable<Change>): Snapshot {
  if (!(prev instanceof IndexedSnapshot))
    throw new TypeError('snapshotWith needs a snapshot from buildSnapshot');
  const layer = layerOf(changes);
  const changed = new Set(COLLECTIONS.filter((c) => layer[c].size > 0));
  if (changed.size === 0) return prev;
  let layers: Layer[] = [layer, ...prev.layers];
  if (layers.length > MAX_LAYERS) layers = [flatten(layers)];

  const taskById = changed.has('tasks') ? updatedTasks(prev.taskById, layer) : prev.taskById;
  const tasks = taskById === prev.taskById ? prev.tasks : [...taskById.values()].sort(byOrder);
  const changedDays: number[] = [];
  const completionsByDate = changed.has('completions')
    ? updatedCompletions(prev.completionsByDate, layer, changedDays)
    : prev.completionsByDate;
  const weights = changed.has('weights') ? updatedWeights(prev.weights, layer) : prev.weights;
  const settingsRecord = layer.settings.get(SETTINGS_ID);
  const settings = settingsRecord ? effectiveSettings(settingsRecord) : prev.settings;
  const lineage: Lineage = { previous: new WeakRef(prev), changed, changedDays };
  return new IndexedSnapshot(layers, tasks, taskById, completionsByDate, weights, settings, lineage);
}

function flatten(layers: readonly Layer[]): Layer {
  const merged = emptyLayer();
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    const layer = layers[i];
    if (!layer) continue;
    for (const collection of COLLECTIONS) {
      const target = merged[collection] as Map<string, StoredRecord>;
      for (const [id, record] of layer[collection]) target.set(id, record);
    }
  }
  return merged;
}

function updatedTasks(prev: ReadonlyMap<string, Task>, layer: Layer): Map<string, Task> {
  const next = new Map(prev);
  for (const record of layer.tasks.values()) {
    if (isTombstone(record)) next.delete(record.id);
    else next.set(record.id, record);
  }
  return next;
}

function updatedCompletions(
  prev: ReadonlyMap<LocalDate, DayMarks>,
  layer: Layer,
  changedDays: number[],
): ReadonlyMap<LocalDate, DayMarks> {
  const copies = new Map<LocalDate, Map<string, Completion>>();
  for (const record of layer.completions.values()) {
    const key = parseCompletionId(record.id);
    if (!key) continue;
    let day = copies.get(key.date);
    if (!day) {
      day = new Map(prev.get(key.date));
      copies.set(key.date, day);
    }
    if (isTombstone(record)) day.delete(key.taskId);
    else day.set(record.taskId, record);
  }
  const changes = new Map<LocalDate, DayMarks | undefined>();
  for (const [date, day] of copies) {
    changedDays.push(toDayNumber(date));
    changes.set(date, day.size === 0 ? undefined : day);
  }
  return OverlayMap.over(prev, changes);
}

/** Each changed weight is placed by binary search: no re-sort of ten years of entries. */
function updatedWeights(prev: readonly Weight[], layer: Layer): Weight[] {
  const next = [...prev];
  for (const record of layer.weights.values()) {
    const date = record.id;
    let lo = 0;
    let hi = next.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((next[mid]?.date ?? '') < date) lo = mid + 1;
      else hi = mid;
    }
    const found = next[lo]?.date === date;
    if (isTombstone(record)) {
      if (found) next.splice(lo, 1);
    } else next.splice(lo, found ? 1 : 0, record);
  }
  return next;
}
