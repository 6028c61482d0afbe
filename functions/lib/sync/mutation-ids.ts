// A device's mutation ids, inside the write transaction: `lastMutationId` moves from id − 1 to id and
// nowhere else. The common case (a known device sending its next mutation) finds that out with no
// read of its own: the advance rides on the transaction's last write, and a miss aborts it.
import type { AnyBulkWriteOperation, ClientSession, Db } from 'mongodb';
import { HttpError } from '../errors.ts';
import { type SyncStateDoc, syncStateCollection } from './collections.ts';
import { type ChangeNotice, otherDevicesFlag } from './notify.ts';

/** Not the device's next mutation (a replay, a gap, a new or foreign device): take the slow path. */
export class NotNextMutationError extends Error {
  readonly code = 'NotNextMutation';
  constructor() {
    super('The mutation is not the next one of a known device');
    this.name = 'NotNextMutationError';
  }
}

export function mutationIdGap(expected: number): HttpError {
  return new HttpError('MutationIdGap', `Expected mutation ${expected} next`, { body: { expected } });
}

export interface NextMutation {
  db: Db;
  userId: string;
  deviceId: string;
  mutationId: number;
}

function advanceFilter(next: NextMutation) {
  return { deviceId: next.deviceId, userId: next.userId, lastMutationId: next.mutationId - 1 };
}

/** lastMutationId: id − 1 → id, or NotNextMutationError. */
export async function advanceMutationId(next: NextMutation, session: ClientSession): Promise<void> {
  const advanced = await syncStateCollection(next.db).updateOne(
    advanceFilter(next),
    { $set: { lastMutationId: next.mutationId, lastSeen: new Date() } },
    { session },
  );
  if (advanced.matchedCount === 0) throw new NotNextMutationError();
}

/**
 * One command for both SyncState writes of a change: advance the source device and flag the others.
 * The advance is an upsert so that a miss shows in the one answer: no document with lastMutationId
 * id − 1 means an insert, which either collides with the device's existing document (duplicate key on
 * `deviceId`) or creates one (a device never seen). Either way the transaction aborts and rolls back.
 */
export async function advanceAndFlagOthers(
  next: NextMutation,
  notice: ChangeNotice,
  session: ClientSession,
): Promise<void> {
  const others = otherDevicesFlag(notice);
  const ops: AnyBulkWriteOperation<SyncStateDoc>[] = [
    {
      updateOne: {
        filter: advanceFilter(next),
        update: { $set: { lastMutationId: next.mutationId, lastSeen: new Date() } },
        upsert: true,
      },
    },
    { updateMany: { filter: others.filter, update: others.update } },
  ];
  const result = await syncStateCollection(next.db).bulkWrite(ops, { session, ordered: true });
  if (result.upsertedCount > 0) throw new NotNextMutationError();
}

/** The first write of a device never seen: its SyncState at lastMutationId 0. */
export async function registerDevice(
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
