// Pushing the outbox: batches in id order, then settling each answer. Entries at or below the
// server's lastMutationId are done: rejected ones leave the outbox (the rollback), the others are
// marked acknowledged at the answer's version and stay pending until a pull brings that version.
import type { PushResponse } from '../../../core/schemas/sync-schemas.ts';
import type { Replica } from '../cache/replica.ts';
import type { OutboxEntry, ReplicaStorage } from './storage.ts';
import type { Rejection, SyncEvents } from './sync-types.ts';
import { type SyncTransport, TransportError } from './transport.ts';

export interface PushDeps {
  replica: Replica;
  storage: ReplicaStorage;
  transport: SyncTransport;
  deviceId: string;
  events?: SyncEvents;
}

/** Pushes until nothing is unacknowledged; true when anything was pushed. */
export async function pushOutbox(deps: PushDeps, batchSize: number): Promise<boolean> {
  let pushed = false;
  for (let batch = deps.replica.unacked().slice(0, batchSize); batch.length; ) {
    const response = await deps.transport.push(
      deps.deviceId,
      batch.map(({ id, name, args, hlc }) => ({ id, name, args, hlc })),
    );
    // An answer that settles nothing would loop forever: treat it as a transient failure.
    if (!(await settle(deps, batch, response))) {
      throw new TransportError('transient', 'The server did not accept the queued changes');
    }
    pushed = true;
    batch = deps.replica.unacked().slice(0, batchSize);
  }
  return pushed;
}

async function settle(deps: PushDeps, batch: OutboxEntry[], response: PushResponse): Promise<boolean> {
  const results = new Map(response.results.map((r) => [r.id, r]));
  const done = batch.filter((e) => e.id <= response.lastMutationId);
  const rejections: Rejection[] = [];
  const acked: number[] = [];
  for (const entry of done) {
    const result = results.get(entry.id);
    if (result?.status === 'rejected')
      rejections.push({ entry, reason: result.error?.message ?? 'the server refused it' });
    else acked.push(entry.id);
  }
  if (rejections.length) {
    const ids = rejections.map((r) => r.entry.id);
    await deps.storage.remove(ids);
    deps.replica.dropPending(ids);
    deps.events?.onRejected?.(rejections);
  }
  if (acked.length) {
    await deps.storage.markAcked(acked, response.version);
    deps.replica.markAcked(acked, response.version);
    deps.events?.onAcked?.(acked, response.version);
  }
  return done.length > 0;
}
