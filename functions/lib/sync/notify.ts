// Flags the user's other devices as needing an update, for the changed collections. Called inside
// the write transaction (so the flag commits with the change) and by the seed's notify-change.
import type { ClientSession, Db } from 'mongodb';
import { type SyncedCollection, syncStateCollection } from './collections.ts';

export async function markOtherDevices(
  db: Db,
  args: { userId: string; sourceDeviceId: string; version: number; collections: readonly SyncedCollection[] },
  session?: ClientSession,
): Promise<number> {
  const result = await syncStateCollection(db).updateMany(
    { userId: args.userId, deviceId: { $ne: args.sourceDeviceId } },
    {
      $set: { needsUpdate: true },
      $addToSet: { collections: { $each: [...args.collections] } },
      // mark-synced may only clear the flag for a version at or above this one.
      $max: { notifiedVersion: args.version },
    },
    session ? { session } : {},
  );
  return result.matchedCount;
}
