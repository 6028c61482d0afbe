// ReplicaStorage over IndexedDB (idb). One database per user, so signing in as someone else on the
// same browser never shows the previous user's data. IndexedDB serialises readwrite transactions
// with overlapping scopes across tabs, which is what makes mutation-id allocation tab-safe.
import { type DBSchema, deleteDB, type IDBPDatabase, openDB } from 'idb';
import {
  COLLECTIONS,
  type CollectionName,
  type CollectionVersions,
  emptyRecords,
  type StoredRecord,
  zeroVersions,
} from '../../../core/records.ts';
import { freshBase, type OutboxEntry, type ReplicaStorage, sameVersions } from './storage.ts';

interface ReplicaDb extends DBSchema {
  records: { key: [string, string]; value: { c: CollectionName; id: string; r: StoredRecord } };
  meta: { key: string; value: unknown };
  outbox: { key: number; value: OutboxEntry };
}

const VERSIONS_KEY = 'versions';
const BASE_KEY = 'base';
const NEXT_ID_KEY = 'nextMutationId';

export function databaseName(userId: string): string {
  return `routine-sync:${userId}`;
}

export async function deleteReplicaDatabase(userId: string): Promise<void> {
  await deleteDB(databaseName(userId));
}

/** Opens (or creates) the user's replica; `created` tells whether it was new. */
export async function openIdbStorage(userId: string): Promise<{ storage: ReplicaStorage; created: boolean }> {
  let created = false;
  const db = await openDB<ReplicaDb>(databaseName(userId), 1, {
    upgrade(database) {
      created = true;
      database.createObjectStore('records', { keyPath: ['c', 'id'] });
      database.createObjectStore('meta');
      database.createObjectStore('outbox', { keyPath: 'id' });
    },
  });
  return { storage: idbStorage(db), created };
}

function idbStorage(db: IDBPDatabase<ReplicaDb>): ReplicaStorage {
  return {
    async load() {
      const tx = db.transaction(['records', 'meta', 'outbox'], 'readonly');
      const [stored, saved, outbox] = await Promise.all([
        tx.objectStore('meta').get(VERSIONS_KEY),
        tx.objectStore('meta').get(BASE_KEY),
        tx.objectStore('outbox').getAll(),
      ]);
      const versions = { ...zeroVersions(), ...(stored as CollectionVersions) };
      let records = freshBase(saved, versions);
      if (!records) {
        records = emptyRecords();
        for (const row of await tx.objectStore('records').getAll())
          if (COLLECTIONS.includes(row.c)) records[row.c].push(row.r);
      }
      return { records, versions, outbox };
    },
    async saveBase(records, versions) {
      const tx = db.transaction('meta', 'readwrite');
      const stored = { ...zeroVersions(), ...((await tx.store.get(VERSIONS_KEY)) as CollectionVersions) };
      if (sameVersions(stored, versions)) await tx.store.put({ versions, records }, BASE_KEY);
      await tx.done;
    },
    async applyPull(changes, pulled) {
      const tx = db.transaction(['records', 'meta'], 'readwrite');
      const store = tx.objectStore('records');
      for (const [c, list] of Object.entries(changes) as [CollectionName, StoredRecord[]][]) {
        for (const r of list) void store.put({ c, id: r.id, r });
      }
      const meta = tx.objectStore('meta');
      const current = ((await meta.get(VERSIONS_KEY)) as CollectionVersions | undefined) ?? zeroVersions();
      await meta.put({ ...current, ...pulled }, VERSIONS_KEY);
      await tx.done;
    },
    async enqueue(entry) {
      const tx = db.transaction(['meta', 'outbox'], 'readwrite');
      const id = ((await tx.objectStore('meta').get(NEXT_ID_KEY)) as number | undefined) ?? 1;
      const stored: OutboxEntry = { ...entry, id };
      await Promise.all([
        tx.objectStore('meta').put(id + 1, NEXT_ID_KEY),
        tx.objectStore('outbox').put(stored),
      ]);
      await tx.done;
      return stored;
    },
    async markAcked(ids, version) {
      const tx = db.transaction('outbox', 'readwrite');
      for (const id of ids) {
        const entry = await tx.store.get(id);
        if (entry) await tx.store.put({ ...entry, ackedAtVersion: version });
      }
      await tx.done;
    },
    async remove(ids) {
      const tx = db.transaction('outbox', 'readwrite');
      await Promise.all(ids.map((id) => tx.store.delete(id)));
      await tx.done;
    },
    async resetBase() {
      const tx = db.transaction(['records', 'meta'], 'readwrite');
      await Promise.all([
        tx.objectStore('records').clear(),
        tx.objectStore('meta').delete(VERSIONS_KEY),
        tx.objectStore('meta').delete(BASE_KEY),
      ]);
      await tx.done;
    },
    close() {
      db.close();
    },
  };
}
