// The delta pull: every record of the user changed after version `since`, tombstones included.
//
// The user's committed version V is read first and the delta is bounded to (since, V]: every version
// ≤ V was committed or sealed when V was read (see versions.ts), and anything newer is left for the
// next pull. So consecutive pulls never miss a change and never deliver one twice, with watermarks
// that come from the server only.
import type { Db } from 'mongodb';
import { recordsCollection, SYNCED_COLLECTIONS, type SyncedCollection } from './collections.ts';
import { readVersion } from './versions.ts';

export type WireRecord = { id: string; hlc: string; deleted?: boolean } & Record<string, unknown>;

export interface PullResult {
  version: number;
  changes: Partial<Record<SyncedCollection, WireRecord[]>>;
  /** The device asked for changes after a version the server never reached: start again from this. */
  reset?: true;
}

const WIRE_PROJECTION = { _id: 0, userId: 0, _v: 0 } as const;

export async function pull(
  db: Db,
  userId: string,
  since: number,
  collections: readonly SyncedCollection[] = SYNCED_COLLECTIONS,
): Promise<PullResult> {
  const version = await readVersion(db, userId);
  const reset = since > version;
  const from = reset ? 0 : since;
  const result: PullResult = { version, changes: {} };
  if (reset) result.reset = true;
  if (from === version) {
    for (const name of collections) result.changes[name] = [];
    return result;
  }
  const lists = await Promise.all(collections.map((name) => readChanges(db, userId, name, from, version)));
  collections.forEach((name, i) => {
    result.changes[name] = lists[i] ?? [];
  });
  return result;
}

async function readChanges(
  db: Db,
  userId: string,
  name: SyncedCollection,
  from: number,
  to: number,
): Promise<WireRecord[]> {
  // One span of the (userId, _v) index. A full snapshot has nothing to delete on the device, so it
  // leaves tombstones out.
  const filter =
    from === 0
      ? { userId, _v: { $lte: to }, deleted: { $ne: true } }
      : { userId, _v: { $gt: from, $lte: to } };
  const docs = await recordsCollection(db, name).find(filter, { projection: WIRE_PROJECTION }).toArray();
  return docs as unknown as WireRecord[];
}
