// A device's mutation ids, inside the write transaction: read where the device stands, then move
// `lastMutationId` from exactly that value to the batch's last id. The counter has a document of its
// own (`syncMutationIds`), apart from the SyncState that other devices' writes flag, so that the
// only document two writes of one user both write is a record they both change.
import type { ClientSession, Db } from 'mongodb';
import { HttpError } from '../errors.ts';
import { mutationIdsCollection, syncStateCollection } from './collections.ts';
import { deviceForbidden } from './devices.ts';

export function mutationIdGap(expected: number): HttpError {
  return new HttpError('MutationIdGap', `Expected mutation ${expected} next`, { body: { expected } });
}

export interface DeviceStand {
  lastMutationId: number;
  /** Whether the counter document exists (else the advance inserts it). */
  counted: boolean;
  /** Whether the device has a SyncState (else the advance registers it). */
  registered: boolean;
}

/** Where the device stands; 403 when it belongs to another user. */
export async function readDeviceStand(
  db: Db,
  userId: string,
  deviceId: string,
  session: ClientSession,
): Promise<DeviceStand> {
  const counter = await mutationIdsCollection(db).findOne({ _id: deviceId }, { session });
  // The counter is only ever created for the device's owner, in the transaction that registers it.
  if (counter?.userId === userId) {
    return { lastMutationId: counter.lastMutationId, counted: true, registered: true };
  }
  if (counter) throw deviceForbidden();
  const device = await syncStateCollection(db).findOne({ deviceId }, { session });
  if (device && device.userId !== userId) throw deviceForbidden();
  // A device from before the counter moved out of SyncState starts from SyncState's value.
  return { lastMutationId: device?.lastMutationId ?? 0, counted: false, registered: device !== null };
}

/**
 * lastMutationId: stand.lastMutationId → last. Another transaction that moved it since this one read
 * it makes this write conflict (the driver retries, and the retry reads the new value).
 */
export async function advanceMutationId(
  db: Db,
  userId: string,
  deviceId: string,
  stand: DeviceStand,
  last: number,
  session: ClientSession,
): Promise<void> {
  if (!stand.registered) await registerDevice(db, userId, deviceId, session);
  const counters = mutationIdsCollection(db);
  if (!stand.counted) {
    await counters.insertOne({ _id: deviceId, userId, lastMutationId: last }, { session });
    return;
  }
  const moved = await counters.updateOne(
    { _id: deviceId, lastMutationId: stand.lastMutationId },
    { $set: { lastMutationId: last } },
    { session },
  );
  if (moved.matchedCount === 0) throw new Error('lastMutationId moved inside the transaction');
}

/** The current lastMutationId outside a transaction (an empty push). */
export async function lastMutationIdOf(db: Db, deviceId: string, fallback: number): Promise<number> {
  const counter = await mutationIdsCollection(db).findOne({ _id: deviceId });
  return counter?.lastMutationId ?? fallback;
}

/** The first write of a device never seen: its SyncState (first user wins, by the unique index). */
async function registerDevice(
  db: Db,
  userId: string,
  deviceId: string,
  session: ClientSession,
): Promise<void> {
  const now = new Date();
  await syncStateCollection(db).updateOne(
    { userId, deviceId },
    {
      $set: { lastSeen: now },
      $setOnInsert: {
        lastMutationId: 0,
        needsUpdate: true, // it has written, but pulled nothing yet
        collections: [],
        lastSync: null,
        syncedVersion: 0,
        notifiedVersion: 0,
        checkedVersion: 0,
        createdAt: now,
      },
    },
    { upsert: true, session },
  );
}
