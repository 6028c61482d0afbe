// The compatibility endpoints (docs/rules.md), made race-free by versions.
//
//   check-update ──► {needsUpdate, version}      (remembers the version it told the device)
//   pull / refetch
//   mark-synced {version?} ──► clears needsUpdate only if no change newer than `version` flagged it
//
// A write that commits between the device's pull and its mark-synced raises `notifiedVersion` above
// the version the device pulled, and the conditional update below then leaves `needsUpdate` true.
import type { Db } from 'mongodb';
import { afterCommit } from './after-commit.ts';
import { SYNCED_COLLECTIONS, type SyncedCollection, syncStateCollection } from './collections.ts';
import { deviceForbidden, findDevice, touchDevice } from './devices.ts';
import { markOtherDevices } from './notify.ts';
import { readVersion } from './versions.ts';

export interface CheckUpdateResult {
  needsUpdate: boolean;
  lastSync: string | null;
  version: number;
  collections: SyncedCollection[];
}

/** lastSeen is kept to this resolution, so a device polling every few seconds mostly only reads. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Runs a write; the handlers pass the account guard (a write must not outlive a deleted account). */
export type GuardWrite = <T>(write: () => Promise<T>) => Promise<T>;

/** Only its write (registering the device, moving lastSeen) is guarded: most polls only read. */
export async function checkUpdate(
  db: Db,
  userId: string,
  deviceId: string,
  guard: GuardWrite,
): Promise<CheckUpdateResult> {
  const [version, device] = await Promise.all([readVersion(db, userId), findDevice(db, deviceId)]);
  if (device && device.userId !== userId) throw deviceForbidden();
  const current =
    device &&
    device.checkedVersion === version &&
    Date.now() - device.lastSeen.getTime() < LAST_SEEN_RESOLUTION_MS;
  // A device seen for the first time has nothing yet: it needs every collection if there is data.
  const fresh = { needsUpdate: version > 0, collections: version > 0 ? [...SYNCED_COLLECTIONS] : [] };
  const doc = current
    ? device
    : await guard(() =>
        touchDevice(db, userId, deviceId, { set: { checkedVersion: version }, insert: fresh }),
      );
  return {
    needsUpdate: doc.needsUpdate,
    lastSync: doc.lastSync?.toISOString() ?? null,
    version,
    collections: doc.collections,
  };
}

export async function markUpdate(db: Db, userId: string, deviceId: string): Promise<void> {
  const version = await readVersion(db, userId);
  await touchDevice(db, userId, deviceId, {
    set: { needsUpdate: true },
    max: { notifiedVersion: version },
  });
}

export interface MarkSyncedResult {
  lastSync: string;
  needsUpdate: boolean;
  version: number;
}

export async function markSynced(
  db: Db,
  userId: string,
  deviceId: string,
  claimed: number | undefined,
): Promise<MarkSyncedResult> {
  const now = new Date();
  const current = await readVersion(db, userId);
  // Without a version (a client of the original polling design), the device has what check-update last told it.
  const known = claimed ?? (await touchDevice(db, userId, deviceId)).checkedVersion;
  const synced = Math.min(known, current); // a device never gets credit for versions the server lacks
  const cleared = synced < current ? null : await clearIfCurrent(db, userId, deviceId, synced, now);
  const doc =
    cleared ??
    (await touchDevice(db, userId, deviceId, { set: { lastSync: now }, max: { syncedVersion: synced } }));
  return { lastSync: now.toISOString(), needsUpdate: doc.needsUpdate, version: current };
}

/** Atomic on the device document: matches only if no write newer than `synced` flagged the device. */
function clearIfCurrent(db: Db, userId: string, deviceId: string, synced: number, now: Date) {
  return syncStateCollection(db).findOneAndUpdate(
    { userId, deviceId, notifiedVersion: { $lte: synced } },
    {
      $set: { needsUpdate: false, collections: [], lastSync: now, lastSeen: now },
      $max: { syncedVersion: synced },
    },
    { returnDocument: 'after' },
  );
}

export interface NotifyChangeResult {
  version: number;
  notified: number;
}

export async function notifyChange(
  db: Db,
  userId: string,
  sourceDeviceId: string,
  collections: readonly SyncedCollection[] = SYNCED_COLLECTIONS,
): Promise<NotifyChangeResult> {
  await touchDevice(db, userId, sourceDeviceId);
  const version = await readVersion(db, userId);
  const notified = await markOtherDevices(db, { userId, sourceDeviceId, version, collections });
  await afterCommit({ userId, version, sourceDeviceId, collections: [...collections] });
  return { version, notified };
}
