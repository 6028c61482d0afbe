// The batched push: the device's queued mutations, in order, in chunks of PUSH_CHUNK, each chunk one
// transaction with one version (see write-mutation.ts). The after-commit hook (the real-time
// fan-out) fires once, after the last chunk, for everything the push committed.
//
// - rejected for good (invalid, unknown task, …): recorded and acknowledged; the batch goes on.
// - a gap in mutation ids: 409 {expected}; everything before it is committed.
// - anything transient (a driver error): the push stops, answering what the chunks before committed;
//   with nothing committed the error itself is the answer (503 when the database is unreachable).
import type { Db } from 'mongodb';
import type { MutationEnvelope, MutationResult, PushResponse } from '../../../core/schemas.ts';
import { isHttpError } from '../errors.ts';
import { touchDevice } from './devices.ts';
import { lastMutationIdOf, mutationIdGap } from './mutation-ids.ts';
import { readVersion } from './versions.ts';
import {
  type BatchResult,
  commitBatch,
  notifyCommitted,
  streamOf,
  type WriteTarget,
} from './write-mutation.ts';

/**
 * Mutations per transaction. A transaction's cost on the embedded database grows with the square of
 * the documents it writes (its unique-index check walks the transaction's own writes), so the schema's
 * largest push is ten small transactions rather than one large one; the client sends batches of this
 * size anyway.
 */
export const PUSH_CHUNK = 100;

export interface PushInput {
  db: Db;
  userId: string;
  deviceId: string;
  mutations: readonly MutationEnvelope[];
  nowMs?: number;
}

/** What a push committed (a gap stops it: the last result names it), and an error after its first chunk. */
export interface CommittedPush {
  target: WriteTarget;
  committed: BatchResult[];
  /** An empty push: where the device stands. */
  state?: { lastMutationId: number; version: number };
  /** A known answer (403) that came after chunks had committed: given once they are notified. */
  stop?: unknown;
}

export async function push(input: PushInput): Promise<PushResponse> {
  const pushed = await commitPush(input);
  await notifyPush(pushed);
  return answerPush(pushed);
}

/**
 * Commits the push's chunks. Throws only when nothing committed; once something has, it answers it
 * (the fan-out and the answer must follow, whatever ended the push).
 */
export async function commitPush(input: PushInput): Promise<CommittedPush> {
  const { db, userId, deviceId, nowMs } = input;
  const target = { db, userId, deviceId, nowMs };
  if (input.mutations.length === 0) {
    return { target, committed: [], state: await currentState(db, userId, deviceId) };
  }
  const committed: BatchResult[] = [];
  try {
    await commitChunks(target, input.mutations, committed);
  } catch (err) {
    if (committed.length === 0) throw err;
    return { target, committed, stop: err };
  }
  return { target, committed };
}

/** The fan-out of everything the push committed (nothing for an empty push). */
export function notifyPush(pushed: CommittedPush): Promise<void> {
  return notifyCommitted(pushed.target, pushed.committed);
}

export function answerPush(pushed: CommittedPush): PushResponse {
  if (pushed.state) return { ...pushed.state, results: [] };
  if (pushed.stop !== undefined) throw pushed.stop;
  const { committed } = pushed;
  const outcomes = committed.flatMap((r) => r.outcomes);
  const expected = committed.at(-1)?.expected;
  if (expected !== undefined) throw mutationIdGap(expected);
  const results: MutationResult[] = outcomes.map(({ id, status, error }) =>
    error ? { id, status, error } : { id, status },
  );
  const lastMutationId = Math.max(...outcomes.map((o) => o.lastMutationId));
  const version = Math.max(...committed.map((r) => r.version));
  // One commit (one version) that wrote something: its records, as its poke carries them, so the
  // pushing device need not pull its own change back.
  const only = committed.length === 1 ? committed[0] : undefined;
  const stream = only && only.changes.length > 0 ? streamOf(only) : undefined;
  return { lastMutationId, version, results, ...(stream ? { stream } : {}) };
}

async function commitChunks(
  target: WriteTarget,
  mutations: readonly MutationEnvelope[],
  committed: BatchResult[],
): Promise<void> {
  for (let start = 0; start < mutations.length; start += PUSH_CHUNK) {
    let result: BatchResult;
    try {
      result = await commitBatch(target, mutations.slice(start, start + PUSH_CHUNK));
    } catch (err) {
      // Known answers (403 for another user's device) and a failure before anything committed go out.
      if (committed.length === 0 || isHttpError(err)) throw err;
      logStopped(err, target, mutations[start]?.id);
      return;
    }
    committed.push(result);
    if (result.expected !== undefined) return;
  }
}

/** An empty push: where the device stands (registering it, and so checking who owns it). */
async function currentState(
  db: Db,
  userId: string,
  deviceId: string,
): Promise<{ lastMutationId: number; version: number }> {
  const device = await touchDevice(db, userId, deviceId);
  const lastMutationId = await lastMutationIdOf(db, deviceId, device.lastMutationId);
  return { lastMutationId, version: await readVersion(db, userId) };
}

function logStopped(err: unknown, target: WriteTarget, mutationId: number | undefined): void {
  console.error(
    JSON.stringify({
      level: 'warn',
      msg: 'push stopped on a transient failure',
      userId: target.userId,
      deviceId: target.deviceId,
      mutationId,
      error: err instanceof Error ? { name: err.name, message: err.message } : String(err),
    }),
  );
}
