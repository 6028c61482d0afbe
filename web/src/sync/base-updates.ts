// What moves base and versions: a pull's answer and a poke's records. They take the base in turn, so a
// poke applied while a pull is on the way can never be rolled back by that pull's (older) answer.
import {
  COLLECTIONS,
  type CollectionName,
  type CollectionVersions,
  type RecordsByCollection,
} from '../../../core/records.ts';
import type { Replica } from '../cache/replica.ts';
import type { ReplicaStorage } from './storage.ts';
import type { StreamedPokes } from './streamed-pokes.ts';
import type { SyncEvents } from './sync-types.ts';
import type { Timers } from './timers.ts';
import type { SyncTransport } from './transport.ts';

export interface BaseUpdateDeps {
  replica: Replica;
  storage: ReplicaStorage;
  transport: SyncTransport;
  deviceId: string;
  events?: SyncEvents | undefined;
  timers: Timers;
  streams: StreamedPokes;
  /**
   * False once the manager is stopped. An answer that comes back after that is dropped: another
   * manager (the tab that took the lead, the page after a reload) may own the storage by then, and
   * this one's versions are no longer where the storage stands.
   */
  active: () => boolean;
}

export interface BaseUpdates {
  pull(collections: readonly CollectionName[]): Promise<void>;
  /** Applies held poke records exactly as the pull of their versions would, while they continue the chain. */
  applyPokes(): Promise<void>;
  /** When each collection last reached the server's state (a pull or a poke). */
  readonly lastPulledAt: Map<CollectionName, number>;
  /** The last full pull stayed below an announced version: worth another try soon. */
  retryBehind(): boolean;
}

export function createBaseUpdates(deps: BaseUpdateDeps): BaseUpdates {
  const { replica, storage, streams, timers } = deps;
  const lastPulledAt = new Map<CollectionName, number>();
  let markedOnce = false;
  let retryBehind = false;
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const done = turn.then(work);
    turn = done.catch(() => undefined);
    return done;
  };
  const reached = (collections: readonly CollectionName[]) => {
    const now = timers.now();
    for (const c of collections) lastPulledAt.set(c, now);
  };

  /**
   * The server's records go on screen at once and into storage after: an IndexedDB commit is a few
   * milliseconds the screen need not wait for, and the next update waits for it (each takes its turn),
   * so storage is written in order. If storing fails, the versions go back to where storage stands:
   * the next pull brings these records again, and storage never claims a version whose records it
   * lacks. (A local change is the other way round: stored first, since it exists nowhere else.)
   */
  async function showThenStore(
    changes: Partial<RecordsByCollection>,
    versions: Partial<CollectionVersions>,
  ): Promise<void> {
    const before = replica.versions.peek();
    replica.mergePulled(changes, versions);
    try {
      await storage.applyPull(changes, versions);
    } catch (err) {
      replica.rewindVersions(before);
      throw err;
    }
  }

  async function pull(collections: readonly CollectionName[]): Promise<void> {
    const versions = replica.versions.value;
    const since = Math.min(...collections.map((c) => versions[c]));
    const all = collections.length === COLLECTIONS.length;
    const response = await deps.transport.pull(since, all ? undefined : collections);
    if (!deps.active()) return;
    if (response.reset) {
      // The server no longer knows our version: its answer is a snapshot (without tombstones), so
      // base is rebuilt from it rather than merged; a partial snapshot is not enough for that.
      streams.reset();
      await storage.resetBase();
      replica.clearBase();
      lastPulledAt.clear();
      deps.events?.onReset?.();
      if (!all) return pull(COLLECTIONS);
    }
    const pulled = Object.fromEntries(collections.map((c) => [c, response.version]));
    const changes = response.changes as Partial<RecordsByCollection>;
    await showThenStore(changes, pulled);
    if (all && (response.version !== since || !markedOnce)) {
      // Best effort: it keeps the server's view of this device (lastSync, needsUpdate) true, and a
      // failure must not fail the pull that already succeeded.
      markedOnce = true;
      void deps.transport.markSynced?.(deps.deviceId, response.version).catch(() => undefined);
    }
    reached(collections);
    if (all) retryBehind = streams.pulled(response.version);
    deps.events?.onPulled?.(changes, pulled);
  }

  async function applyPokes(): Promise<void> {
    for (;;) {
      if (!deps.active()) return;
      const stream = streams.next(replica.versions.value);
      if (!stream) return;
      const versions = Object.fromEntries(
        COLLECTIONS.map((c) => [c, stream.toVersion]),
      ) as CollectionVersions;
      await showThenStore(stream.changes, versions);
      reached(COLLECTIONS);
      deps.events?.onPulled?.(stream.changes, versions);
    }
  }

  return {
    pull: (collections) => inTurn(() => pull(collections)),
    applyPokes: () => inTurn(applyPokes),
    lastPulledAt,
    retryBehind: () => retryBehind,
  };
}
