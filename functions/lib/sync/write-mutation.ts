// The write path: a batch of one device's mutations, one MongoDB transaction, one version.
//
//   ┌ withTransaction ───────────────────────────────────────────────────────────────────────────┐
//   │ where the device stands (another user's → 403): ids ≤ last are replays, answered as the    │
//   │   first time; then last + 1, last + 2, … are applied; any other id ends the batch (a gap)  │
//   │ load every record the new mutations read, at once → apply each over the ones before it    │
//   │   (DomainError → rejected, recorded, its id spent)                                         │
//   │ anything new? v = allocateVersion beside those reads (its own atomic $inc, outside the     │
//   │   transaction: held by none); changes? write them with _v = v → commit marker v            │
//   │ lastMutationId last → the batch's last id                                                  │
//   └────────────────────────────────────────────────────────────────────────────────────────────┘
//   a version of an attempt that did not commit → sealed (see versions.ts)
//   committed → flag the other devices (SyncState) → afterCommit (the real-time fan-out)
//
// Two writes of one user share no document unless they change the same record: the version is taken
// outside the transaction, and the device's counter is its own document. Two sends of one batch (a
// retry) both move the same counter from the same value: one commits, the other conflicts, and the
// driver's retry reads the new value and answers duplicates. So a mutation applies exactly once.
import type { ClientSession, Db } from 'mongodb';
import { isDomainError } from '../../../core/errors.ts';
import { applyMutation, assertStampNotAhead, parseMutation } from '../../../core/mutations/index.ts';
import type { Change, RecordKey } from '../../../core/records.ts';
import {
  type Changes,
  type MutationEnvelope,
  type MutationStatus,
  STREAMED_POKE_MAX_BYTES,
  type StreamedChanges,
} from '../../../core/schemas.ts';
import { MemoryTx, storeOf } from '../../../core/store.ts';
import { afterCommit, type CommittedWrite } from './after-commit.ts';
import { type RejectedMutationDoc, rejectedCollection, type SyncedCollection } from './collections.ts';
import { isDuplicateKey } from './devices.ts';
import { loadRecords, writeRecords } from './mongo-store.ts';
import { advanceMutationId, type DeviceStand, mutationIdGap, readDeviceStand } from './mutation-ids.ts';
import { markOtherDevices } from './notify.ts';
import { allocateVersion, latestVersion, markCommitted, sealVersion } from './versions.ts';

export interface WireMutationError {
  code: string;
  message: string;
}

export interface MutationOutcome {
  id: number;
  status: MutationStatus;
  /** The batch's version (the user's version once a pull reaches it). */
  version: number;
  error?: WireMutationError;
  collections: SyncedCollection[];
  /** The device's lastMutationId once this mutation was handled. */
  lastMutationId: number;
}

export interface BatchResult {
  outcomes: MutationOutcome[];
  version: number;
  /** The records the transaction wrote (what a pull of exactly this version would bring). */
  changes: Change[];
  /** The batch stopped at an id that is not the next one: the id the device must send next. */
  expected?: number;
}

export interface WriteTarget {
  db: Db;
  userId: string;
  deviceId: string;
  /** The server's clock, only to bound dates (a year ahead); never a sync watermark. */
  nowMs?: number;
}

/** The outcome of a batch of one mutation (a per-mutation route); 409 on a gap. */
export function singleOutcome(result: BatchResult): MutationOutcome {
  if (result.expected !== undefined) throw mutationIdGap(result.expected);
  const outcome = result.outcomes[0];
  if (!outcome) throw new Error('A batch of one mutation answered nothing');
  return outcome;
}

/**
 * After the transactions of one request committed: flag the user's other devices (outside the
 * transactions, so that no write holds another device's document) and, at the same time, one call
 * of the hook.
 */
export async function notifyCommitted(target: WriteTarget, results: readonly BatchResult[]): Promise<void> {
  const changed = results.filter((r) => r.changes.length > 0);
  const last = changed.at(-1);
  if (!last) return;
  const write: CommittedWrite = {
    userId: target.userId,
    version: last.version,
    sourceDeviceId: target.deviceId,
    collections: [...new Set(changed.flatMap((r) => r.changes.map((c) => c.collection)))],
  };
  const stream = changed.length === 1 ? streamOf(last) : undefined;
  // Side by side: the poke need not wait for the polling devices' flag (afterCommit never throws).
  // The poke's read is sent first: the database answers in arrival order, and the poke is what
  // another device is waiting for.
  await Promise.all([afterCommit(stream ? { ...write, stream } : write), markOtherDevices(target.db, write)]);
}

// A push hands one commit's records both to its poke and to its answer: built and measured once.
const streams = new WeakMap<BatchResult, StreamedChanges | undefined>();

/**
 * One commit's records as the pull of exactly its version would bring them (a version is one
 * transaction's), when the poke carrying them stays within its bound.
 */
export function streamOf(result: BatchResult): StreamedChanges | undefined {
  if (streams.has(result)) return streams.get(result);
  const stream = buildStream(result);
  streams.set(result, stream);
  return stream;
}

function buildStream(result: BatchResult): StreamedChanges | undefined {
  const changes: Record<string, unknown[]> = {};
  for (const { collection, record } of result.changes) {
    const list = changes[collection] ?? [];
    list.push(record);
    changes[collection] = list;
  }
  const stream = { fromVersion: result.version - 1, toVersion: result.version, changes: changes as Changes };
  // Measured as the whole poke would be: the envelope is a few dozen bytes besides the records.
  const bytes = new TextEncoder().encode(JSON.stringify(stream)).length + 256;
  return bytes <= STREAMED_POKE_MAX_BYTES ? stream : undefined;
}

/** A sealed version, or two first writes of a new device racing: again, with a fresh version. */
const MAX_ATTEMPTS = 3;

/** Commits the batch in one transaction with one version; mutations after a gap are left out. */
export async function commitBatch(
  target: WriteTarget,
  mutations: readonly MutationEnvelope[],
): Promise<BatchResult> {
  for (let attempt = 1; ; attempt += 1) {
    // Versions handed out to attempts the driver retried (or that failed): each must be closed.
    const allocated: number[] = [];
    let result: BatchResult | undefined;
    try {
      result = await target.db.client.withSession((session) =>
        session.withTransaction(() => applyBatch(target, mutations, allocated, session)),
      );
      return result;
    } catch (err) {
      if (!isDuplicateKey(err) || attempt === MAX_ATTEMPTS) throw err;
    } finally {
      // Only a result that wrote records used its version; one that changed nothing answers the
      // latest version handed out, which may be this call's own abandoned one.
      const used = result && result.changes.length > 0 ? result.version : undefined;
      const unused = allocated.filter((v) => v !== used);
      // Best effort: an open version holds back the user's pulls until a reader seals it late.
      await Promise.all(unused.map((v) => sealVersion(target.db, target.userId, v).catch(() => undefined)));
    }
  }
}

async function applyBatch(
  target: WriteTarget,
  mutations: readonly MutationEnvelope[],
  allocated: number[],
  session: ClientSession,
): Promise<BatchResult> {
  const { db, userId, deviceId } = target;
  const stand = await readDeviceStand(db, userId, deviceId, session);
  const split = splitBatch(mutations, stand.lastMutationId);
  // A batch with anything new takes its version beside its reads (one atomic write outside the
  // transaction, on a connection of its own), not after them: one round trip less on every write.
  // One that then changes nothing (all rejected) leaves it to be sealed, as a failed attempt does.
  const version =
    split.fresh.length > 0
      ? allocateVersion(db, userId).then((v) => {
          allocated.push(v);
          return v;
        })
      : undefined;
  // Handled from the start: a failed allocation must not be an unhandled rejection while the reads run.
  const settled = version?.catch(() => undefined);
  try {
    return await writeBatch(target, split, stand, version, session);
  } finally {
    // Settled before the attempt ends, so that commitBatch knows every version it must close.
    await settled;
  }
}

async function writeBatch(
  target: WriteTarget,
  { replays, fresh, expected }: ReturnType<typeof splitBatch>,
  stand: DeviceStand,
  allocation: Promise<number> | undefined,
  session: ClientSession,
): Promise<BatchResult> {
  const { db, userId, deviceId } = target;
  const outcomes = await replayed(target, replays, stand.lastMutationId, session);
  const applied = await applyFresh(target, fresh, session);
  const changed = applied.changes.length > 0 && allocation !== undefined;
  const version = changed ? await allocation : await latestVersion(db, userId, session);
  if (changed) {
    await writeRecords(db, userId, applied.changes, version, session);
    await markCommitted(db, userId, version, session);
  }
  const rejections = applied.outcomes.filter((o) => o.status === 'rejected');
  if (rejections.length > 0) {
    await rejectedCollection(db).insertMany(
      rejections.map((o) => rejectionDoc(target, o, fresh)),
      { session },
    );
  }
  const last = fresh.at(-1)?.id;
  if (last !== undefined) await advanceMutationId(db, userId, deviceId, stand, last, session);
  return {
    outcomes: [...outcomes, ...applied.outcomes].map((o) => ({ ...o, version })),
    version,
    changes: applied.changes,
    ...(expected === undefined ? {} : { expected }),
  };
}

/** Replays (at or below last), then the consecutive run after last; `expected` where a gap stops it. */
function splitBatch(mutations: readonly MutationEnvelope[], last: number) {
  const replays: MutationEnvelope[] = [];
  const fresh: MutationEnvelope[] = [];
  let next = last + 1;
  for (const mutation of mutations) {
    if (mutation.id === next) {
      fresh.push(mutation);
      next += 1;
    } else if (mutation.id <= last) replays.push(mutation);
    else return { replays, fresh, expected: next };
  }
  return { replays, fresh, expected: undefined };
}

/** Mutations at or below lastMutationId: what they got the first time, and nothing written. */
async function replayed(
  target: WriteTarget,
  replays: readonly MutationEnvelope[],
  lastMutationId: number,
  session: ClientSession,
): Promise<MutationOutcome[]> {
  if (replays.length === 0) return [];
  const { db, userId, deviceId } = target;
  const ids = replays.map((m) => m.id);
  const rejections = await rejectedCollection(db)
    .find({ userId, deviceId, mutationId: { $in: ids } }, { session })
    .toArray();
  const errors = new Map(rejections.map((r) => [r.mutationId, r.error]));
  return ids.map((id) => {
    const base = { id, version: 0, lastMutationId, collections: [] };
    const error = errors.get(id);
    return error
      ? { ...base, status: 'rejected' as const, error }
      : { ...base, status: 'duplicate' as const };
  });
}

/** Applies the new mutations in order over one store, each over the ones before it, then writes once. */
async function applyFresh(
  target: WriteTarget,
  fresh: readonly MutationEnvelope[],
  session: ClientSession,
): Promise<{ outcomes: MutationOutcome[]; changes: Change[] }> {
  if (fresh.length === 0) return { outcomes: [], changes: [] };
  const { db, userId, deviceId } = target;
  const keys: RecordKey[] = [];
  for (const mutation of fresh) keys.push(...readsOf(mutation));
  const batch = new MemoryTx(storeOf(await loadRecords(db, userId, keys, session)));
  const nowMs = target.nowMs ?? Date.now();
  const outcomes = fresh.map((mutation): MutationOutcome => {
    const base = { id: mutation.id, version: 0, lastMutationId: mutation.id };
    const one = new MemoryTx(batch);
    try {
      assertStampNotAhead(mutation.hlc, nowMs);
      applyMutation(one, mutation, { deviceId, nowMs });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return {
        ...base,
        status: 'rejected',
        error: { code: err.code, message: err.message },
        collections: [],
      };
    }
    const changes = one.changes();
    for (const { collection, record } of changes) batch.put(collection, record);
    return { ...base, status: 'applied', collections: [...new Set(changes.map((c) => c.collection))] };
  });
  return { outcomes, changes: batch.changes() };
}

/** The records a mutation reads; none for one that fails to parse (it is rejected when applied). */
function readsOf(mutation: MutationEnvelope): readonly RecordKey[] {
  try {
    return parseMutation(mutation).reads;
  } catch (err) {
    if (isDomainError(err)) return [];
    throw err;
  }
}

function rejectionDoc(
  target: WriteTarget,
  outcome: MutationOutcome,
  fresh: readonly MutationEnvelope[],
): RejectedMutationDoc {
  const name = fresh.find((m) => m.id === outcome.id)?.name ?? '';
  const error = outcome.error ?? { code: 'Rejected', message: 'Rejected' };
  return {
    userId: target.userId,
    deviceId: target.deviceId,
    mutationId: outcome.id,
    name,
    error,
    at: new Date(),
  };
}
