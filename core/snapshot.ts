// An immutable, indexed view of one user's records: what the derived figures are computed from.
//
// Built once from all records (`buildSnapshot`), then advanced by the records a mutation or a pull
// changed (`snapshotWith`), reusing every index the change did not touch. That is what keeps "apply
// one mutation and recompute the Today screen" well inside a frame on ten years of history.
import type { LocalDate } from './dates.ts';
import { type Change, type CollectionName, parseCompletionId, type StoredRecord } from './records.ts';
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

export interface Snapshot extends ReadStore {
  /** Live tasks, archived ones included, by (order, id). */
  readonly tasks: readonly Task[];
  readonly taskById: ReadonlyMap<string, Task>;
  /** Live completions by local date, then by task id. */
  readonly completionsByDate: ReadonlyMap<LocalDate, DayMarks>;
  /** Live weights by date, oldest first. */
  readonly weights: readonly Weight[];
  readonly settings: EffectiveSettings;
  /** Per-snapshot memo for derived figures (see `DAY_MEMO_PREFIX`); never part of the state. */
  readonly memo: Map<string, unknown>;
}

type Layer = ReadonlyMap<string, StoredRecord>;
const MAX_LAYERS = 4;

function keyOf(collection: CollectionName, id: string): string {
  return `${collection}\u0000${id}`;
}

function byOrder(a: Task, b: Task): number {
  return a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

class IndexedSnapshot implements Snapshot {
  readonly memo = new Map<string, unknown>();
  constructor(
    private readonly layers: readonly Layer[],
    readonly tasks: readonly Task[],
    readonly taskById: ReadonlyMap<string, Task>,
    readonly completionsByDate: ReadonlyMap<LocalDate, DayMarks>,
    readonly weights: readonly Weight[],
    readonly settings: EffectiveSettings,
  ) {}

  get<C extends CollectionName>(collection: C, id: string): StoredRecord<C> | undefined {
    const key = keyOf(collection, id);
    for (const layer of this.layers) {
      const record = layer.get(key);
      if (record) return record as StoredRecord<C>;
    }
    return undefined;
  }

  /** Every stored record (tombstones included), e.g. to persist a base. */
  *records(): IterableIterator<Change> {
    const seen = new Set<string>();
    for (const layer of this.layers) {
      for (const [key, record] of layer) {
        if (seen.has(key)) continue;
        seen.add(key);
        const collection = key.slice(0, key.indexOf('\u0000')) as CollectionName;
        yield { collection, record } as Change;
      }
    }
  }

  /** The raw record layers, newest first (internal to `snapshotWith`). */
  layersForUpdate(): readonly Layer[] {
    return this.layers;
  }
}

function effectiveSettings(record: StoredRecord<'settings'> | undefined): EffectiveSettings {
  if (!record || isTombstone(record)) return DEFAULT_SETTINGS;
  return { id: SETTINGS_ID, unit: record.unit, weekStart: record.weekStart, timeZone: record.timeZone };
}

/** A snapshot of everything in `records` (later duplicates of the same record win). */
export function buildSnapshot(records: Iterable<Change>): Snapshot {
  const layer = new Map<string, StoredRecord>();
  for (const { collection, record } of records) layer.set(keyOf(collection, record.id), record);
  const taskById = new Map<string, Task>();
  const completionsByDate = new Map<LocalDate, Map<string, Completion>>();
  const weights: Weight[] = [];
  let settings: StoredRecord<'settings'> | undefined;
  for (const [key, record] of layer) {
    if (isTombstone(record)) continue;
    const collection = key.slice(0, key.indexOf('\u0000')) as CollectionName;
    if (collection === 'tasks') taskById.set(record.id, record as Task);
    else if (collection === 'weights') weights.push(record as Weight);
    else if (collection === 'settings') settings = record as Settings;
    else {
      const completion = record as Completion;
      let day = completionsByDate.get(completion.date);
      if (!day) {
        day = new Map();
        completionsByDate.set(completion.date, day);
      }
      day.set(completion.taskId, completion);
    }
  }
  weights.sort((a, b) => (a.date < b.date ? -1 : 1));
  const tasks = [...taskById.values()].sort(byOrder);
  return new IndexedSnapshot(
    [layer],
    tasks,
    taskById,
    completionsByDate,
    weights,
    effectiveSettings(settings),
  );
}

/** `prev` advanced by `changes`: equal to building from scratch, but only touched indexes are rebuilt. */
export function snapshotWith(prev: Snapshot, changes: Iterable<Change>): Snapshot {
  const list = [...changes];
  if (list.length === 0) return prev;
  if (!(prev instanceof IndexedSnapshot))
    throw new TypeError('snapshotWith needs a snapshot from buildSnapshot');
  const layer = new Map<string, StoredRecord>();
  for (const { collection, record } of list) layer.set(keyOf(collection, record.id), record);
  let layers: Layer[] = [layer, ...prev.layersForUpdate()];
  if (layers.length > MAX_LAYERS) layers = [flatten(layers)];

  const touched = (c: CollectionName) => list.some((change) => change.collection === c);
  const taskById = touched('tasks') ? updatedTasks(prev.taskById, list) : prev.taskById;
  const tasks = taskById === prev.taskById ? prev.tasks : [...taskById.values()].sort(byOrder);
  const completionsByDate = touched('completions') ? updatedCompletions(prev, list) : prev.completionsByDate;
  const weights = touched('weights') ? updatedWeights(prev, list) : prev.weights;
  const settingsChange = list.findLast((c) => c.collection === 'settings' && c.record.id === SETTINGS_ID);
  const settings = settingsChange
    ? effectiveSettings(settingsChange.record as StoredRecord<'settings'>)
    : prev.settings;
  const next = new IndexedSnapshot(layers, tasks, taskById, completionsByDate, weights, settings);
  carryMemo(prev, next, list);
  return next;
}

function flatten(layers: readonly Layer[]): Layer {
  const merged = new Map<string, StoredRecord>();
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    for (const [key, record] of layers[i] ?? []) merged.set(key, record);
  }
  return merged;
}

function updatedTasks(prev: ReadonlyMap<string, Task>, changes: readonly Change[]): Map<string, Task> {
  const next = new Map(prev);
  for (const { collection, record } of changes) {
    if (collection !== 'tasks') continue;
    if (isTombstone(record)) next.delete(record.id);
    else next.set(record.id, record);
  }
  return next;
}

function updatedCompletions(prev: Snapshot, changes: readonly Change[]): Map<LocalDate, DayMarks> {
  const next = new Map(prev.completionsByDate);
  const copies = new Map<LocalDate, Map<string, Completion>>();
  for (const { collection, record } of changes) {
    if (collection !== 'completions') continue;
    const key = parseCompletionId(record.id);
    if (!key) continue;
    let day = copies.get(key.date);
    if (!day) {
      day = new Map(prev.completionsByDate.get(key.date));
      copies.set(key.date, day);
    }
    if (isTombstone(record)) day.delete(key.taskId);
    else day.set(record.taskId, record);
  }
  for (const [date, day] of copies) {
    if (day.size === 0) next.delete(date);
    else next.set(date, day);
  }
  return next;
}

function updatedWeights(prev: Snapshot, changes: readonly Change[]): Weight[] {
  const byDate = new Map(prev.weights.map((w) => [w.date, w]));
  for (const { collection, record } of changes) {
    if (collection !== 'weights') continue;
    if (isTombstone(record)) byDate.delete(record.id);
    else byDate.set(record.date, record);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/**
 * Memo entries keyed `day:<date>` depend only on the tasks and that date's completions (the stats
 * keep per-day summaries there), so they survive any change that touches neither.
 */
export const DAY_MEMO_PREFIX = 'day:';

function carryMemo(prev: Snapshot, next: Snapshot, changes: readonly Change[]): void {
  if (changes.some((c) => c.collection === 'tasks')) return;
  const changedDates = new Set<string>();
  for (const { collection, record } of changes) {
    if (collection === 'completions') changedDates.add(parseCompletionId(record.id)?.date ?? '');
  }
  for (const [key, value] of prev.memo) {
    if (key.startsWith(DAY_MEMO_PREFIX) && !changedDates.has(key.slice(DAY_MEMO_PREFIX.length))) {
      next.memo.set(key, value);
    }
  }
}
