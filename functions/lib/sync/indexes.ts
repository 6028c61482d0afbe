// The sync backend's indexes, ensured idempotently (createIndex with the same spec is a no-op).
import type { Db } from 'mongodb';
import {
  commitsCollection,
  recordsCollection,
  rejectedCollection,
  SYNCED_COLLECTIONS,
  syncStateCollection,
} from './collections.ts';

/** Rejections are only kept to answer replays; a replay months later is acknowledged as a duplicate. */
const REJECTED_TTL_SECONDS = 90 * 24 * 60 * 60;
/**
 * A commit marker is read only until the user's `stable` version passes it. One that expires first
 * (nobody pulled for a day) reads as a hole old enough to seal: its records, committed long ago, are
 * then delivered all the same.
 */
const COMMIT_TTL_SECONDS = 24 * 60 * 60;

export async function ensureSyncIndexes(db: Db): Promise<void> {
  for (const name of SYNCED_COLLECTIONS) {
    const records = recordsCollection(db, name);
    await records.createIndex({ userId: 1, id: 1 }, { unique: true, name: 'user_id' });
    // The delta pull (one user's records in a span of versions) and, through its prefix, a user's
    // whole set.
    await records.createIndex({ userId: 1, _v: 1 }, { name: 'user_version' });
  }
  const syncState = syncStateCollection(db);
  await syncState.createIndex({ userId: 1, deviceId: 1 }, { unique: true, name: 'user_device' });
  // A device id belongs to one user: the first to use it.
  await syncState.createIndex({ deviceId: 1 }, { unique: true, name: 'device' });
  const commits = commitsCollection(db);
  await commits.createIndex({ userId: 1, v: 1 }, { name: 'user_version' });
  await commits.createIndex({ at: 1 }, { expireAfterSeconds: COMMIT_TTL_SECONDS, name: 'ttl' });
  const rejected = rejectedCollection(db);
  await rejected.createIndex(
    { userId: 1, deviceId: 1, mutationId: 1 },
    { unique: true, name: 'user_device_mutation' },
  );
  await rejected.createIndex({ at: 1 }, { expireAfterSeconds: REJECTED_TTL_SECONDS, name: 'ttl' });
}
