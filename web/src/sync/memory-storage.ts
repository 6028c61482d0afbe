// An in-memory ReplicaStorage with the same atomicity as the IndexedDB one (every operation is one
// step), for model tests and for browsers where IndexedDB is unavailable (private modes).
import {
  type CollectionName,
  type CollectionVersions,
  emptyRecords,
  type StoredRecord,
  zeroVersions,
} from '../../../core/records.ts';
import { freshBase, type OutboxEntry, type ReplicaStorage, sameVersions } from './storage.ts';

export function createMemoryStorage(): ReplicaStorage {
  const records = new Map<CollectionName, Map<string, StoredRecord>>();
  let versions: CollectionVersions = zeroVersions();
  const outbox = new Map<number, OutboxEntry>();
  let nextId = 1;
  let savedBase: unknown;
  const tableOf = (c: CollectionName) => {
    let table = records.get(c);
    if (!table) {
      table = new Map();
      records.set(c, table);
    }
    return table;
  };
  return {
    async load() {
      const saved = freshBase(savedBase, versions);
      const out = saved ? structuredClone(saved) : emptyRecords();
      if (!saved) for (const [c, table] of records) out[c] = [...table.values()];
      const entries = [...outbox.values()].sort((a, b) => a.id - b.id);
      return { records: out, versions: { ...versions }, outbox: structuredClone(entries) };
    },
    async applyPull(changes, pulled) {
      for (const [c, list] of Object.entries(changes) as [CollectionName, StoredRecord[]][]) {
        for (const record of list) tableOf(c).set(record.id, record);
      }
      versions = { ...versions, ...pulled };
    },
    async enqueue(entry) {
      const stored: OutboxEntry = { ...structuredClone(entry), id: nextId++ };
      outbox.set(stored.id, stored);
      return structuredClone(stored);
    },
    async markAcked(ids, version) {
      for (const id of ids) {
        const entry = outbox.get(id);
        if (entry) entry.ackedAtVersion = version;
      }
    },
    async remove(ids) {
      for (const id of ids) outbox.delete(id);
    },
    async saveBase(base, at) {
      if (sameVersions(at, versions)) savedBase = structuredClone({ versions: at, records: base });
    },
    async resetBase() {
      records.clear();
      versions = zeroVersions();
      savedBase = undefined;
    },
    close() {},
  };
}
