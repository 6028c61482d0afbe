// The write path: one mutation, one MongoDB transaction.
//
//   ┌ withTransaction (fast: a known device's next mutation) ─────────────────────────────────┐
//   │ load reads(args) → MemoryTx → applyMutation ── DomainError → record the rejection       │
//   │ version = $inc user version; write tx.changes() with _v = version                       │
//   │ one SyncState command: lastMutationId id − 1 → id on the device, flag the user's other  │
//   │   devices (needsUpdate, collections, notifiedVersion); not id − 1 → abort, slow path    │
//   └─────────────────────────────────────────────────────────────────────────────────────────┘
//   ┌ withTransaction (slow) ─────────────────────────────────────────────────────────────────┐
//   │ read the device: another user's → 403; id ≤ lastMutationId → duplicate, answered as the │
//   │ first time; a gap → 409; never seen → register it; then the fast path's steps           │
//   └─────────────────────────────────────────────────────────────────────────────────────────┘
//   committed → the caller fires afterCommit({userId, version, sourceDeviceId, collections})
//
// The version `$inc` makes concurrent writes of one user conflict; the driver retries the loser
// (TransientTransactionError), which then re-reads lastMutationId, so a mutation applies exactly once.
// Five round trips for a change on the fast path: find, $inc, records, SyncState, commit.
import type { ClientSession, Db } from 'mongodb';
import { isDomainError } from '../../../core/errors.ts';
import { applyMutation, assertStampNotAhead, parseMutation } from '../../../core/mutations/index.ts';
import type { MutationEnvelope, MutationStatus } from '../../../core/schemas.ts';
import { MemoryTx, storeOf } from '../../../core/store.ts';
import { afterCommit, type CommittedWrite } from './after-commit.ts';
import { rejectedCollection, type SyncedCollection, syncStateCollection } from './collections.ts';
import { deviceForbidden, isDuplicateKey } from './devices.ts';
import { loadRecords, writeRecords } from './mongo-store.ts';
import {
  advanceAndFlagOthers,
  advanceMutationId,
  mutationIdGap,
  NotNextMutationError,
  registerDevice,
} from './mutation-ids.ts';
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
  /** The server's clock, only to bound dates and stamps (see MAX_CLOCK_DRIFT_MS); never a sync watermark. */
  nowMs?: number;
}

/** One mutation, then the after-commit hook if it changed something (a per-mutation request). */
export async function writeMutation(
  target: WriteTarget,
  mutation: MutationEnvelope,
): Promise<MutationOutcome> {
  const outcome = await commitMutation(target, mutation);
  const write = committedWrite(target, [outcome]);
  if (write) await afterCommit(write);
  return outcome;
}

/** What a run of committed mutations changed, for one after-commit call; none when nothing did. */
export function committedWrite(
  target: WriteTarget,
  outcomes: readonly MutationOutcome[],
): CommittedWrite | undefined {
  const changed = outcomes.filter((o) => o.status === 'applied' && o.collections.length > 0);
  if (changed.length === 0) return undefined;
  return {
    userId: target.userId,
    version: Math.max(...changed.map((o) => o.version)),
    sourceDeviceId: target.deviceId,
    collections: [...new Set(changed.flatMap((o) => o.collections))],
  };
}

/** Applies one mutation exactly once, without the hook; throws 409 on a gap, 403 for another user's device. */
export async function commitMutation(
  target: WriteTarget,
  mutation: MutationEnvelope,
): Promise<MutationOutcome> {
  const inTransaction = (work: (session: ClientSession) => Promise<MutationOutcome>) =>
    target.db.client.withSession((session) => session.withTransaction(() => work(session)));
  try {
    return await inTransaction((session) => applyNext(target, mutation, session));
  } catch (err) {
    // The upsert that advances lastMutationId collides with the device's document on a miss.
    if (!(err instanceof NotNextMutationError) && !isDuplicateKey(err)) throw err;
  }
  try {
    return await inTransaction((session) => applyInOrder(target, mutation, session));
  } catch (err) {
    // Two first writes of one new device raced to insert its SyncState: run again, it exists now.
    if (!isDuplicateKey(err)) throw err;
    return inTransaction((session) => applyInOrder(target, mutation, session));
  }
}

/** The slow path: where the device stands, then (if this is its next mutation) the fast path's steps. */
async function applyInOrder(
  target: WriteTarget,
  mutation: MutationEnvelope,
  session: ClientSession,
): Promise<MutationOutcome> {
  const { db, userId, deviceId } = target;
  const device = await syncStateCollection(db).findOne({ deviceId }, { session });
  if (device && device.userId !== userId) throw deviceForbidden();
  const last = device?.lastMutationId ?? 0;
  if (mutation.id <= last) return replayed(target, mutation.id, last, session);
  if (mutation.id > last + 1) throw mutationIdGap(last + 1);
  if (!device) await registerDevice(db, userId, deviceId, session);
  return applyNext(target, mutation, session);
}

/** Applies the device's next mutation; NotNextMutationError (rolling everything back) if it is not. */
async function applyNext(
  target: WriteTarget,
  mutation: MutationEnvelope,
  session: ClientSession,
): Promise<MutationOutcome> {
  const { db, userId, deviceId } = target;
  const next = { db, userId, deviceId, mutationId: mutation.id };
  let tx: MemoryTx;
  const nowMs = target.nowMs ?? Date.now();
  try {
    assertStampNotAhead(mutation.hlc, nowMs);
    const { reads } = parseMutation(mutation);
    tx = new MemoryTx(storeOf(await loadRecords(db, userId, reads, session)));
    applyMutation(tx, mutation, { deviceId, nowMs });
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return reject(target, mutation, { code: err.code, message: err.message }, session);
  }
  const base = { id: mutation.id, status: 'applied' as const, lastMutationId: mutation.id };
  if (!tx.hasChanges()) {
    // An older edit that lost to a newer stamp: acknowledged, nothing to store, no new version.
    await advanceMutationId(next, session);
    return { ...base, version: await readVersion(db, userId, session), collections: [] };
  }
  const version = await bumpVersion(db, userId, session);
  const collections = await writeRecords(db, userId, tx.changes(), version, session);
  await advanceAndFlagOthers(next, { userId, sourceDeviceId: deviceId, version, collections }, session);
  return { ...base, version, collections };
}

async function reject(
  target: WriteTarget,
  mutation: MutationEnvelope,
  error: WireMutationError,
  session: ClientSession,
): Promise<MutationOutcome> {
  const { db, userId, deviceId } = target;
  await advanceMutationId({ db, userId, deviceId, mutationId: mutation.id }, session);
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
