// Pushing the outbox: batches in id order, then settling each answer. Entries at or below the
// server's lastMutationId are done: rejected ones leave the outbox (the rollback), the others are
// marked acknowledged at the answer's version and stay pending until a pull brings that version, or
// the answer's own records do (`stream`, when the push was one commit: applied as a poke's are).
// One refusal is not the user's mistake: ClockAhead (stamped beyond the server's drift bound, by a
// clock that had not learned its offset yet). Such a change is queued again under a new id with a
// stamp from the corrected clock, so it is sent again instead of being rolled back.
import { DOMAIN_ERROR_CODES } from '../../../core/errors.ts';
import type { HlcClock } from '../../../core/hlc.ts';
import type { PushResponse } from '../../../core/schemas/sync-schemas.ts';
import type { Replica } from '../cache/replica.ts';
import type { OutboxEntry, ReplicaStorage } from './storage.ts';
import type { StreamedRecords } from './streamed-pokes.ts';
import type { Rejection, SyncEvents } from './sync-types.ts';
import { type SyncTransport, TransportError } from './transport.ts';

export interface PushDeps {
  replica: Replica;
  storage: ReplicaStorage;
  transport: SyncTransport;
  deviceId: string;
  events?: SyncEvents;
  /** The offset-corrected clock that re-stamps changes refused as ClockAhead (without it they roll back). */
  clock?: HlcClock;
  /** An answer that carries its commit's records (`stream`), handed on as a poke would be. */
  onStreamed?(version: number, stream: StreamedRecords): void;
}

/** Pushes until nothing is unacknowledged; true when anything was pushed. */
export async function pushOutbox(deps: PushDeps, batchSize: number): Promise<boolean> {
  let pushed = false;
  const restamped = new Set<number>();
  for (let batch = deps.replica.unacked().slice(0, batchSize); batch.length; ) {
    const response = await deps.transport.push(
      deps.deviceId,
      batch.map(({ id, name, args, hlc }) => ({ id, name, args, hlc })),
    );
    // An answer that settles nothing would loop forever: treat it as a transient failure.
    if (!(await settle(deps, batch, response, restamped))) {
      throw new TransportError('transient', 'The server did not accept the queued changes');
    }
    pushed = true;
    batch = deps.replica.unacked().slice(0, batchSize);
  }
  return pushed;
}

async function settle(
  deps: PushDeps,
  batch: OutboxEntry[],
  response: PushResponse,
  restamped: Set<number>,
): Promise<boolean> {
  const results = new Map(response.results.map((r) => [r.id, r]));
  const done = batch.filter((e) => e.id <= response.lastMutationId);
  const rejections: Rejection[] = [];
  const restamps: OutboxEntry[] = [];
  const acked: number[] = [];
  for (const entry of done) {
    const result = results.get(entry.id);
    if (result?.status === 'rejected') {
      if (deps.clock && result.error?.code === DOMAIN_ERROR_CODES.ClockAhead) restamps.push(entry);
      else rejections.push({ entry, reason: result.error?.message ?? 'the server refused it' });
    } else acked.push(entry.id);
  }
  // Refused again right after a re-stamp: the clock is still off (no server time to learn from yet);
  // retrying at once would only spend ids, so back off like any transient failure.
  if (restamps.some((e) => restamped.has(e.id))) {
    throw new TransportError('transient', "This device's clock is too far ahead of the server's");
  }
  for (const entry of await restamp(deps, restamps)) restamped.add(entry.id);
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
  if (response.stream) deps.onStreamed?.(response.version, response.stream);
  return done.length > 0;
}

/**
 * Queues each refused change again, in order, stamped by the corrected clock. The new entry is stored
 * before the old one is removed: a crash in between sends the change twice (last writer wins, same
 * values) rather than losing it.
 */
async function restamp(deps: PushDeps, entries: readonly OutboxEntry[]): Promise<OutboxEntry[]> {
  const queued: OutboxEntry[] = [];
  for (const entry of entries) {
    if (!deps.clock) break;
    const stored = await deps.storage.enqueue({ name: entry.name, args: entry.args, hlc: deps.clock.next() });
    await deps.storage.remove([entry.id]);
    deps.replica.dropPending([entry.id]);
    deps.replica.addPending(stored);
    deps.events?.onRestamped?.(entry, stored);
    queued.push(stored);
  }
  return queued;
}
