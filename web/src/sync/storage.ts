// The persistence port of the replica: base records per collection with their pulled version, and
// the outbox. IndexedDB implements it in the browser (idb-storage.ts); model tests use the in-memory
// one (memory-storage.ts). Mutation ids are allocated inside the same atomic step that stores the
// mutation, so two tabs of one device can never take the same id or leave a gap.
import {
  COLLECTIONS,
  type CollectionVersions,
  type RecordsByCollection,
  zeroVersions,
} from '../../../core/records.ts';

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
  /**
   * Keeps the whole base as one stored value, which load() reads instead of one value per record
   * while `versions` are still the stored versions (IndexedDB reads one large value an order of
   * magnitude faster than thousands of small ones). Skipped when the stored versions moved on.
   */
  saveBase?(records: RecordsByCollection, versions: CollectionVersions): Promise<void>;
  /** Forgets base and versions (the server asked for a reset); the outbox and id counter stay. */
  resetBase(): Promise<void>;
  close(): void;
}

export function sameVersions(a: CollectionVersions, b: CollectionVersions): boolean {
  return COLLECTIONS.every((c) => a[c] === b[c]);
}

/** The saved base's records, if it was taken at exactly the stored versions (else it is stale). */
export function freshBase(saved: unknown, stored: CollectionVersions): RecordsByCollection | undefined {
  if (!saved || typeof saved !== 'object' || !('versions' in saved) || !('records' in saved))
    return undefined;
  const { versions, records } = saved as { versions: CollectionVersions; records: RecordsByCollection };
  if (!versions || !records || !sameVersions({ ...zeroVersions(), ...versions }, stored)) return undefined;
  return COLLECTIONS.every((c) => Array.isArray(records[c])) ? records : undefined;
}
