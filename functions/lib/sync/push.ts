// The batched push: the device's queued mutations, in order, each in its own transaction (see
// write-mutation.ts), so that what committed stays committed when a later one fails. The
// after-commit hook (the real-time fan-out) fires once per push, after the batch, for everything
// it committed: the highest version and the union of the changed collections.
//
// - rejected for good (invalid, unknown task, …): recorded and acknowledged; the batch goes on.
// - a gap in mutation ids: 409 {expected}; everything before it is committed and acknowledged.
// - anything transient (a driver error): the batch stops, answering what was applied so far; with
//   nothing applied the error itself is the answer (503 when the database is unreachable).
import type { Db } from 'mongodb';
import type { MutationEnvelope, MutationResult, PushResponse } from '../../../core/schemas.ts';
import { isHttpError } from '../errors.ts';
import { afterCommit } from './after-commit.ts';
import { touchDevice } from './devices.ts';
import { readVersion } from './versions.ts';
import { commitMutation, committedWrite, type MutationOutcome } from './write-mutation.ts';

export interface PushInput {
  db: Db;
  userId: string;
  deviceId: string;
  mutations: readonly MutationEnvelope[];
  nowMs?: number;
}

export async function push(input: PushInput): Promise<PushResponse> {
  const target = { db: input.db, userId: input.userId, deviceId: input.deviceId, nowMs: input.nowMs };
  const outcomes: MutationOutcome[] = [];
  try {
    await commitInOrder(input, outcomes);
  } finally {
    // Also when a gap or a transient failure ended the batch: what committed before it is durable.
    const write = committedWrite(target, outcomes);
    if (write) await afterCommit(write);
  }
  const results: MutationResult[] = outcomes.map(({ id, status, error }) =>
    error ? { id, status, error } : { id, status },
  );
  const last = outcomes.at(-1);
  const acknowledged = last && { lastMutationId: last.lastMutationId, version: last.version };
  return { ...(acknowledged ?? (await currentState(input.db, input.userId, input.deviceId))), results };
}

/** Commits the batch in order into `outcomes`; stops at a transient failure once something committed. */
async function commitInOrder(input: PushInput, outcomes: MutationOutcome[]): Promise<void> {
  const { db, userId, deviceId } = input;
  for (const mutation of input.mutations) {
    try {
      outcomes.push(await commitMutation({ db, userId, deviceId, nowMs: input.nowMs }, mutation));
    } catch (err) {
      // Known answers (gap, forbidden) and a failure before anything committed go out as errors.
      if (isHttpError(err) || outcomes.length === 0) throw err;
      logStopped(err, userId, deviceId, mutation.id);
      return;
    }
  }
}

/** An empty push: where the device stands (registering it, and so checking who owns it). */
async function currentState(
  db: Db,
  userId: string,
  deviceId: string,
): Promise<{ lastMutationId: number; version: number }> {
  const { lastMutationId } = await touchDevice(db, userId, deviceId);
  return { lastMutationId, version: await readVersion(db, userId) };
}

function logStopped(err: unknown, userId: string, deviceId: string, mutationId: number): void {
  console.error(
    JSON.stringify({
      level: 'warn',
      msg: 'push stopped on a transient failure',
      userId,
      deviceId,
      mutationId,
      error: err instanceof Error ? { name: err.name, message: err.message } : String(err),
    }),
  );
}
