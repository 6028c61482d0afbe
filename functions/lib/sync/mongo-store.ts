// The Mongo side of core's store port: load the records a mutation reads into a MemoryTx, and write
// back what it changed, stamped with the user's new version. Always inside the write transaction.
import type { AnyBulkWriteOperation, ClientSession, Db } from 'mongodb';
import type { Change, CollectionName, RecordKey } from '../../../core/records.ts';
import { recordsCollection, type StoredRecord } from './collections.ts';

function groupIds(keys: readonly RecordKey[]): Map<CollectionName, Set<string>> {
  const byCollection = new Map<CollectionName, Set<string>>();
  for (const { collection, id } of keys) {
    const ids = byCollection.get(collection) ?? new Set<string>();
    ids.add(id);
    byCollection.set(collection, ids);
  }
  return byCollection;
}

/** The stored records (tombstones included) behind `keys`, as core `Change`s. */
export async function loadRecords(
  db: Db,
  userId: string,
  keys: readonly RecordKey[],
  session: ClientSession,
): Promise<Change[]> {
  const loaded: Change[] = [];
  for (const [collection, ids] of groupIds(keys)) {
    const docs = await recordsCollection(db, collection)
      .find({ userId, id: { $in: [...ids] } }, { session, projection: { _id: 0, userId: 0, _v: 0 } })
      .toArray();
    for (const record of docs) loaded.push({ collection, record } as unknown as Change);
  }
  return loaded;
}

/** Upserts every changed record with `_v = version`; returns the collections it touched. */
export async function writeRecords(
  db: Db,
  userId: string,
  changes: readonly Change[],
  version: number,
  session: ClientSession,
): Promise<CollectionName[]> {
  const byCollection = new Map<CollectionName, AnyBulkWriteOperation<StoredRecord>[]>();
  for (const { collection, record } of changes) {
    const ops = byCollection.get(collection) ?? [];
    const id = record.id as string;
    const doc = { ...(record as object), userId, _v: version } as StoredRecord;
    ops.push({ replaceOne: { filter: { userId, id }, replacement: doc, upsert: true } });
    byCollection.set(collection, ops);
  }
  for (const [collection, ops] of byCollection) {
    await recordsCollection(db, collection).bulkWrite(ops, { session, ordered: true });
  }
  return [...byCollection.keys()];
}
