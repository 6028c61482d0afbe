// The batched push: the device's queued mutations, in order, each in its own transaction (see
// write-mutation.ts), so that what committed stays committed when a later one fails.
//
// - rejected for good (invalid, unknown task, …): recorded and acknowledged; the batch goes on.
// - a gap in mutation ids: 409 {expected}; everything before it is committed and acknowledged.
// - anything transient (a driver error): the batch stops, answering what was applied so far; with
//   nothing applied the error itself is the answer (503 when the database is unreachable).
import type { Db } from 'mongodb';
import type { MutationEnvelope, MutationResult, PushResponse } from '../../../core/schemas.ts';
import { isHttpError } from '../errors.ts';
import { touchDevice } from './devices.ts';
import { readVersion } from './versions.ts';
import { writeMutation } from './write-mutation.ts';

export interface PushInput {
  db: Db;
  userId: string;
  deviceId: string;
  mutations: readonly MutationEnvelope[];
  nowMs?: number;
}

export async function push(input: PushInput): Promise<PushResponse> {
  const { db, userId, deviceId } = input;
  const results: MutationResult[] = [];
  let acknowledged: { lastMutationId: number; version: number } | undefined;
  for (const mutation of input.mutations) {
    try {
      const outcome = await writeMutation({ db, userId, deviceId, nowMs: input.nowMs }, mutation);
      const { id, status, error } = outcome;
      results.push(error ? { id, status, error } : { id, status });
      acknowledged = { lastMutationId: outcome.lastMutationId, version: outcome.version };
    } catch (err) {
      // Known answers (gap, forbidden) and a failure before anything committed go out as errors.
      if (isHttpError(err) || results.length === 0) throw err;
      logStopped(err, userId, deviceId, mutation.id);
      break;
    }
  }
  return { ...(acknowledged ?? (await currentState(db, userId, deviceId))), results };
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
