// SyncState: one document per device. A device id is bound to the first user that uses it; the unique
// index on `deviceId` makes that binding race-free (a second user's upsert fails with a duplicate key).
import type { ClientSession, Db, MongoServerError } from 'mongodb';
import { HttpError } from '../errors.ts';
import { type SyncStateDoc, syncStateCollection } from './collections.ts';

export type DeviceFields = Partial<Omit<SyncStateDoc, 'userId' | 'deviceId' | 'createdAt'>>;

export interface DeviceUpdate {
  set?: DeviceFields;
  /** `$max`: counters that only move forward. */
  max?: Partial<Pick<SyncStateDoc, 'syncedVersion' | 'notifiedVersion' | 'checkedVersion'>>;
  /** Values for a device seen for the first time (over the defaults). */
  insert?: DeviceFields;
}

function defaults(now: Date): Omit<SyncStateDoc, 'userId' | 'deviceId'> {
  return {
    needsUpdate: false,
    collections: [],
    lastSync: null,
    syncedVersion: 0,
    notifiedVersion: 0,
    checkedVersion: 0,
    lastMutationId: 0,
    lastSeen: now,
    createdAt: now,
  };
}

/** `$setOnInsert` for what the update itself does not set (one path cannot be in two operators). */
function insertDefaults(update: DeviceUpdate, now: Date): Record<string, unknown> {
  const taken = new Set([...Object.keys(update.set ?? {}), ...Object.keys(update.max ?? {})]);
  const initial = { ...defaults(now), ...update.insert };
  return Object.fromEntries(Object.entries(initial).filter(([key]) => !taken.has(key)));
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as MongoServerError | undefined)?.code === 11000;
}

export function deviceForbidden(): HttpError {
  return new HttpError('Forbidden', 'This device id belongs to another account');
}

/** Throws 403 when the device id is bound to someone else. */
export async function assertDeviceOwner(db: Db, userId: string, deviceId: string): Promise<void> {
  const owner = await syncStateCollection(db).findOne({ deviceId }, { projection: { userId: 1 } });
  if (owner && owner.userId !== userId) throw deviceForbidden();
}

/** Upserts the device's SyncState (registering it on first use) and returns it after the update. */
export async function touchDevice(
  db: Db,
  userId: string,
  deviceId: string,
  update: DeviceUpdate = {},
  session?: ClientSession,
): Promise<SyncStateDoc> {
  const now = new Date();
  const run = () =>
    syncStateCollection(db).findOneAndUpdate(
      { userId, deviceId },
      {
        $set: { lastSeen: now, ...update.set },
        ...(update.max ? { $max: update.max } : {}),
        $setOnInsert: insertDefaults({ ...update, set: { lastSeen: now, ...update.set } }, now),
      },
      { upsert: true, returnDocument: 'after', ...(session ? { session } : {}) },
    );
  let doc: SyncStateDoc | null;
  try {
    doc = await run();
  } catch (err) {
    // Inside a transaction the error has aborted it; the caller's retry handles that case.
    if (!isDuplicateKey(err) || session) throw err;
    await assertDeviceOwner(db, userId, deviceId);
    doc = await run(); // lost a first-use race with the same user: the document exists now
  }
  if (!doc) throw new Error('Device upsert returned no document');
  return doc;
}

export async function findDevice(
  db: Db,
  deviceId: string,
  session?: ClientSession,
): Promise<SyncStateDoc | null> {
  return syncStateCollection(db).findOne({ deviceId }, session ? { session } : {});
}
