// The persistence port of the replica: base records per collection with their pulled version, and
// the outbox. IndexedDB implements it in the browser (idb-storage.ts); model tests use the in-memory
// one (memory-storage.ts). Mutation ids are allocated inside the same atomic step that stores the
// mutation, so two tabs of one device can never take the same id or leave a gap.
import type { CollectionVersions, RecordsByCollection } from '../../../core/records.ts';

export interface OutboxEntry {
  id: number;
  name: string;
  args: unknown;
  hlc: string;
  /** Set once the server has acknowledged it: the server version that includes its effect. */
  ackedAtVersion?: number;
}

export interface ReplicaState {
  records: RecordsByCollection;
  versions: CollectionVersions;
  outbox: OutboxEntry[];
}

export interface ReplicaStorage {
  load(): Promise<ReplicaState>;
  /** Writes pulled records (replacing by id) and advances the versions of the pulled collections. */
  applyPull(changes: Partial<RecordsByCollection>, versions: Partial<CollectionVersions>): Promise<void>;
  /** Allocates the next mutation id and stores the entry, atomically. */
  enqueue(entry: Omit<OutboxEntry, 'id'>): Promise<OutboxEntry>;
  markAcked(ids: readonly number[], version: number): Promise<void>;
  remove(ids: readonly number[]): Promise<void>;
  /** Forgets base and versions (the server asked for a reset); the outbox and id counter stay. */
  resetBase(): Promise<void>;
  close(): void;
}
