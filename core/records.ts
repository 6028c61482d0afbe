// The four collections, the record type each holds, and how records are keyed.
import type { LocalDate } from './dates.ts';
import type { Completion, Settings, Task, Tombstone, Weight } from './schemas/record-schemas.ts';

export const COLLECTIONS = ['tasks', 'completions', 'weights', 'settings'] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export function isCollectionName(value: unknown): value is CollectionName {
  return typeof value === 'string' && (COLLECTIONS as readonly string[]).includes(value);
}

/** The live record type of each collection. */
export interface LiveRecordMap {
  tasks: Task;
  completions: Completion;
  weights: Weight;
  settings: Settings;
}
export type LiveRecord<C extends CollectionName = CollectionName> = LiveRecordMap[C];

/** What a collection stores: a live record, or the tombstone of a deleted one. */
export type StoredRecord<C extends CollectionName = CollectionName> = LiveRecordMap[C] | Tombstone;

/** Every collection's stored records: what a replica persists and a pull may carry. */
export type RecordsByCollection = Record<CollectionName, StoredRecord[]>;
/** How far each collection has been pulled (server versions). */
export type CollectionVersions = Record<CollectionName, number>;

/** One value per collection, made for each in `COLLECTIONS` order. */
export function byCollection<T>(make: (collection: CollectionName) => T): Record<CollectionName, T> {
  return Object.fromEntries(COLLECTIONS.map((c) => [c, make(c)])) as Record<CollectionName, T>;
}

export function emptyRecords(): RecordsByCollection {
  return byCollection(() => []);
}

export function zeroVersions(): CollectionVersions {
  return byCollection(() => 0);
}

/** A record together with the collection it belongs to. */
export type Change = { [C in CollectionName]: { collection: C; record: StoredRecord<C> } }[CollectionName];

/** Points at one record. */
export interface RecordKey {
  collection: CollectionName;
  id: string;
}

export function completionId(taskId: string, date: LocalDate): string {
  return `${taskId}:${date}`;
}

export function parseCompletionId(id: string): { taskId: string; date: LocalDate } | undefined {
  const at = id.lastIndexOf(':');
  if (at <= 0) return undefined;
  return { taskId: id.slice(0, at), date: id.slice(at + 1) };
}

/** Weights are keyed by their local date: one weight per day. */
export function weightId(date: LocalDate): string {
  return date;
}

export { SETTINGS_ID } from './schemas/record-schemas.ts';
