// The store port the shared mutations run on, and the in-memory transaction both sides use.
//
//   server:  reads(args) → load those docs → new MemoryTx(loaded) → apply → write tx.changes()
//   client:  view = pending.reduce((tx, m) => (applyMutation(tx, m, ctx), tx), new MemoryTx(base))
//
// The port is synchronous on purpose: the client replays pending mutations inside a signals
// `computed`, which cannot await.
import { compareHlcAt } from './hlc.ts';
import type { Change, CollectionName, StoredRecord } from './records.ts';

/** Read access to records, tombstones included. */
export interface ReadStore {
  get<C extends CollectionName>(collection: C, id: string): StoredRecord<C> | undefined;
}

/** A transaction: reads see this transaction's own earlier writes. `put` overwrites unconditionally. */
export interface Tx extends ReadStore {
  put<C extends CollectionName>(collection: C, record: StoredRecord<C>): void;
}

const EMPTY_STORE: ReadStore = { get: () => undefined };

function keyOf(collection: CollectionName, id: string): string {
  return `${collection}\u0000${id}`;
}

/**
 * A copy-on-write transaction over `base`: writes go to an overlay and the base is never touched, so
 * the same base can back any number of transactions (the client's view, the server's preloaded docs).
 */
export class MemoryTx implements Tx {
  readonly #base: ReadStore;
  readonly #overlay = new Map<string, Change>();

  constructor(base: ReadStore | Iterable<Change> = EMPTY_STORE) {
    this.#base = isReadStore(base) ? base : storeOf(base);
  }

  get<C extends CollectionName>(collection: C, id: string): StoredRecord<C> | undefined {
    const written = this.#overlay.get(keyOf(collection, id));
    if (written) return written.record as StoredRecord<C>;
    return this.#base.get(collection, id);
  }

  put<C extends CollectionName>(collection: C, record: StoredRecord<C>): void {
    this.#overlay.set(keyOf(collection, record.id), { collection, record } as Change);
  }

  /** Every record written, once each (the last write), in first-write order. */
  changes(): Change[] {
    return [...this.#overlay.values()];
  }

  hasChanges(): boolean {
    return this.#overlay.size > 0;
  }
}

function isReadStore(value: ReadStore | Iterable<Change>): value is ReadStore {
  return typeof (value as Partial<ReadStore>).get === 'function' && !(Symbol.iterator in value);
}

/** A read-only store over a list of records (the server's preloaded documents, a test fixture). */
export function storeOf(records: Iterable<Change>): ReadStore {
  const map = new Map<string, StoredRecord>();
  for (const { collection, record } of records) map.set(keyOf(collection, record.id), record);
  return {
    get: <C extends CollectionName>(collection: C, id: string) =>
      map.get(keyOf(collection, id)) as StoredRecord<C> | undefined,
  };
}

/**
 * Last writer wins: store `record` unless the stored version (live or tombstone) carries a stamp at
 * least as new. Stamps never tie between devices (they end in the device id), and replaying the same
 * mutation reuses its stamp, so a replay is a no-op. Stamps are ordered as judged at `nowMs` (see
 * compareHlcAt: one from a clock beyond the drift bound never wins). Returns whether it wrote.
 */
export function putIfNewer<C extends CollectionName>(
  tx: Tx,
  collection: C,
  record: StoredRecord<C>,
  nowMs: number,
): boolean {
  const current = tx.get(collection, record.id);
  if (current && compareHlcAt(record.hlc, current.hlc, nowMs) <= 0) return false;
  tx.put(collection, record);
  return true;
}
