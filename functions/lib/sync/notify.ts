// Flags the user's other devices as needing an update, for the changed collections. Called after the
// write transaction commits (outside it, so that no write of one device holds another's document)
// and by the compatibility endpoint notify-change.
import type { ClientSession, Db, UpdateFilter } from 'mongodb';
import { type SyncedCollection, type SyncStateDoc, syncStateCollection } from './collections.ts';

export interface ChangeNotice {
  userId: string;
  sourceDeviceId: string;
  version: number;
  collections: readonly SyncedCollection[];
}

/** The filter and update that flag every device of the user but the source. */
export function otherDevicesFlag(args: ChangeNotice): {
  filter: { userId: string; deviceId: { $ne: string } };
  update: UpdateFilter<SyncStateDoc>;
} {
  return {
    filter: { userId: args.userId, deviceId: { $ne: args.sourceDeviceId } },
    update: {
      $set: { needsUpdate: true },
      $addToSet: { collections: { $each: [...args.collections] } },
      // mark-synced may only clear the flag for a version at or above this one.
      $max: { notifiedVersion: args.version },
    },
  };
}

export async function markOtherDevices(db: Db, args: ChangeNotice, session?: ClientSession): Promise<number> {
  const { filter, update } = otherDevicesFlag(args);
  const result = await syncStateCollection(db).updateMany(filter, update, session ? { session } : {});
  return result.matchedCount;
}
