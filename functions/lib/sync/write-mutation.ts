// The write path: one mutation, one MongoDB transaction.
//
//   ┌ withTransaction ───────────────────────────────────────────────────────────────────────┐
//   │ lastMutationId: id − 1 → id on the user's device (else: another user's device → 403,   │
//   │   id ≤ lastMutationId → duplicate, answered as the first time; a gap → 409)             │
//   │ load reads(args) → MemoryTx → applyMutation ── DomainError → record the rejection       │
//   │ version = $inc user version; write tx.changes() with _v = version                       │
//   │ flag the user's other devices (needsUpdate, collections, notifiedVersion)               │
//   └─────────────────────────────────────────────────────────────────────────────────────────┘
//   committed → afterCommit({userId, version, sourceDeviceId, collections})
//
// The version `$inc` makes concurrent writes of one user conflict; the driver retries the loser
// (TransientTransactionError), which then re-reads lastMutationId, so a mutation applies exactly once.
import type { ClientSession, Db } from 'mongodb';
import { isDomainError } from '../../../core/errors.ts';
import { applyMutation, parseMutation } from '../../../core/mutations/index.ts';
import type { MutationEnvelope, MutationStatus } from '../../../core/schemas.ts';
import { MemoryTx, storeOf } from '../../../core/store.ts';
import { HttpError } from '../errors.ts';
import { afterCommit } from './after-commit.ts';
import { rejectedCollection, type SyncedCollection, syncStateCollection } from './collections.ts';
import { deviceForbidden, isDuplicateKey } from './devices.ts';
import { loadRecords, writeRecords } from './mongo-store.ts';
import { markOtherDevices } from './notify.ts';
import { bumpVersion, readVersion } from './versions.ts';

export interface WireMutationError {
  code: string;
  message: string;
}

export interface MutationOutcome {
  id: number;
  status: MutationStatus;
  /** The user's version after this mutation (the current one when nothing changed). */
  version: number;
  error?: WireMutationError;
  collections: SyncedCollection[];
  /** The device's lastMutationId once this mutation was handled. */
  lastMutationId: number;
}

export interface WriteTarget {
  db: Db;
  userId: string;
  deviceId: string;
  /** The server's clock, only to bound dates (a year ahead); never a sync watermark. */
  nowMs?: number;
}

export function mutationIdGap(expected: number): HttpError {
  return new HttpError('MutationIdGap', `Expected mutation ${expected} next`, { body: { expected } });
}

/** Applies one mutation exactly once; throws 409 on a gap, 403 for another user's device. */
export async function writeMutation(
  target: WriteTarget,
  mutation: MutationEnvelope,
): Promise<MutationOutcome> {
  const client = target.db.client;
  let outcome: MutationOutcome;
  try {
    outcome = await client.withSession((session) =>
      session.withTransaction(() => inTransaction(target, mutation, session)),
    );
  } catch (err) {
    // Two first writes of one new device raced to insert its SyncState: run again, it exists now.
    if (!isDuplicateKey(err)) throw err;
    outcome = await client.withSession((session) =>
      session.withTransaction(() => inTransaction(target, mutation, session)),
    );
  }
  if (outcome.status === 'applied' && outcome.collections.length > 0) {
    const { userId, deviceId } = target;
    await afterCommit({
      userId,
      version: outcome.version,
      sourceDeviceId: deviceId,
      collections: outcome.collections,
    });
  }
  return outcome;
}

async function inTransaction(
  target: WriteTarget,
  mutation: MutationEnvelope,
  session: ClientSession,
): Promise<MutationOutcome> {
  const { db, userId, deviceId } = target;
  // Fast path, one command: the device exists, is the user's, and this is its next mutation.
  const advanced = await syncStateCollection(db).updateOne(
    { deviceId, userId, lastMutationId: mutation.id - 1 },
    { $set: { lastMutationId: mutation.id, lastSeen: new Date() } },
    { session },
  );
  if (advanced.matchedCount === 0) {
    const device = await syncStateCollection(db).findOne({ deviceId }, { session });
    if (device && device.userId !== userId) throw deviceForbidden();
    const last = device?.lastMutationId ?? 0;
    if (mutation.id <= last) return replayed(target, mutation.id, last, session);
    if (mutation.id > last + 1) throw mutationIdGap(last + 1);
    await registerDevice(target, mutation.id, session); // first write of a device never seen
  }
  return applyInTransaction(target, mutation, session);
}

async function applyInTransaction(
  target: WriteTarget,
  mutation: MutationEnvelope,
  session: ClientSession,
): Promise<MutationOutcome> {
  const { db, userId, deviceId } = target;
  let tx: MemoryTx;
  try {
    const { reads } = parseMutation(mutation);
    tx = new MemoryTx(storeOf(await loadRecords(db, userId, reads, session)));
    applyMutation(tx, mutation, { deviceId, nowMs: target.nowMs ?? Date.now() });
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return reject(target, mutation, { code: err.code, message: err.message }, session);
  }
  if (!tx.hasChanges()) {
    // An older edit that lost to a newer stamp: acknowledged, nothing to store, no new version.
    const version = await readVersion(db, userId, session);
    return { id: mutation.id, status: 'applied', version, collections: [], lastMutationId: mutation.id };
  }
  const version = await bumpVersion(db, userId, session);
  const collections = await writeRecords(db, userId, tx.changes(), version, session);
  await markOtherDevices(db, { userId, sourceDeviceId: deviceId, version, collections }, session);
  return { id: mutation.id, status: 'applied', version, collections, lastMutationId: mutation.id };
}

async function reject(
  target: WriteTarget,
  mutation: MutationEnvelope,
  error: WireMutationError,
  session: ClientSession,
): Promise<MutationOutcome> {
  const { db, userId, deviceId } = target;
  await rejectedCollection(db).insertOne(
    { userId, deviceId, mutationId: mutation.id, name: mutation.name, error, at: new Date() },
    { session },
  );
  const version = await readVersion(db, userId, session);
  return {
    id: mutation.id,
    status: 'rejected',
    version,
    error,
    collections: [],
    lastMutationId: mutation.id,
  };
}

/** A mutation at or below lastMutationId: answer what it got the first time, change nothing. */
async function replayed(
  target: WriteTarget,
  id: number,
  lastMutationId: number,
  session: ClientSession,
): Promise<MutationOutcome> {
  const { db, userId, deviceId } = target;
  const version = await readVersion(db, userId, session);
  const rejection = await rejectedCollection(db).findOne({ userId, deviceId, mutationId: id }, { session });
  const base = { id, version, lastMutationId, collections: [] };
  if (rejection) return { ...base, status: 'rejected', error: rejection.error };
  return { ...base, status: 'duplicate' };
}

async function registerDevice(
  target: WriteTarget,
  mutationId: number,
  session: ClientSession,
): Promise<void> {
  const { db, userId, deviceId } = target;
  const now = new Date();
  await syncStateCollection(db).updateOne(
    { userId, deviceId },
    {
      $set: { lastMutationId: mutationId, lastSeen: now },
      $setOnInsert: {
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
