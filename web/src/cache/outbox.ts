// Queueing a local mutation. The optimistic change must show within the click's frame, but the
// mutation id comes from storage (atomic across tabs), so the entry enters `pending` at once under a
// provisional negative id and takes its real id when the store write completes.
import type { HlcClock } from '../../../core/hlc.ts';
import type { Mutate } from '../../../core/mutations/index.ts';
import type { OutboxEntry, ReplicaStorage } from '../sync/storage.ts';
import type { Replica } from './replica.ts';

export interface OutboxDeps {
  replica: Replica;
  storage: ReplicaStorage;
  clock: HlcClock;
  /** Called with the stored entry: tell other tabs, kick the sync loop. */
  onStored?(entry: OutboxEntry): void;
  /** The store refused the write (quota, private mode): the optimistic change is withdrawn. */
  onStoreError?(error: unknown, name: string): void;
}

export interface Outbox {
  /** Applies the mutation optimistically now; resolves once it is durably queued. */
  enqueue: Mutate<Promise<OutboxEntry | undefined>>;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  let provisional = 0;
  return {
    async enqueue(name, args) {
      const hlc = deps.clock.next();
      const temp: OutboxEntry = { id: -++provisional, name, args, hlc };
      deps.replica.addPending(temp);
      try {
        const stored = await deps.storage.enqueue({ name, args, hlc });
        deps.replica.addPending(stored, temp.id);
        deps.onStored?.(stored);
        return stored;
      } catch (error) {
        deps.replica.dropPending([temp.id]);
        deps.onStoreError?.(error, name);
        return undefined;
      }
    },
  };
}
