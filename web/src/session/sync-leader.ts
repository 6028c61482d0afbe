// What the leading tab runs: the sync manager, with every result it gets told to the other tabs.
import type { Signal } from '@preact/signals';
import type { HlcClock } from '../../../core/hlc.ts';
import { type Replica, toChanges } from '../cache/replica.ts';
import { supersededEntries } from '../cache/superseded.ts';
import type { BrowserEnvironment } from '../env/browser-env.ts';
import { type OutboxEntry, type ReplicaState, type ReplicaStorage, sameVersions } from '../sync/storage.ts';
import {
  createSyncManager,
  type PokeSource,
  type Rejection,
  type SyncIntervals,
  type SyncManager,
  type SyncStatus,
} from '../sync/sync-manager.ts';
import type { TabChannel } from '../sync/tab-channel.ts';
import type { Timers } from '../sync/timers.ts';
import type { SyncTransport } from '../sync/transport.ts';
import { observePulled } from './tab-applier.ts';

export interface SyncLeaderDeps {
  replica: Replica;
  storage: ReplicaStorage;
  transport: SyncTransport;
  deviceId: string;
  env: Pick<BrowserEnvironment, 'isVisible' | 'isOnline' | 'subscribe' | 'announce'>;
  channel: TabChannel;
  clock: HlcClock;
  status: Signal<SyncStatus>;
  timers: Timers;
  pokeSource?: PokeSource | undefined;
  intervals?: SyncIntervals | undefined;
  onRejected(rejections: Rejection[]): void;
  /** Pending changes that lost to a newer edit from another device (see cache/superseded.ts). */
  onSuperseded?(entries: OutboxEntry[]): void;
  onUnauthorized(): void;
}

export function startSyncLeader(deps: SyncLeaderDeps): { manager: SyncManager; stop(): void } {
  const { channel } = deps;
  const superseded = watchSuperseded(deps);
  const manager = createSyncManager({
    replica: deps.replica,
    storage: deps.storage,
    transport: deps.transport,
    deviceId: deps.deviceId,
    env: deps.env,
    timers: deps.timers,
    clock: deps.clock,
    ...(deps.pokeSource ? { pokeSource: deps.pokeSource } : {}),
    ...(deps.intervals ? { intervals: deps.intervals } : {}),
    events: {
      onPulled(changes, versions) {
        observePulled(deps.clock, changes);
        channel.post({ type: 'pulled', changes, versions });
        superseded.pulled(changes);
      },
      onAcked(ids, version) {
        superseded.acked(ids);
        channel.post({ type: 'acked', ids, version });
      },
      onRestamped: (from, to) => channel.post({ type: 'restamped', from, to }),
      onRejected(rejections) {
        channel.post({ type: 'rejected', rejections });
        deps.onRejected(rejections);
      },
      onReset: () => channel.post({ type: 'reset' }),
      onUnauthorized() {
        channel.post({ type: 'signed-out' });
        deps.onUnauthorized();
      },
      onStatus(next) {
        deps.status.value = next;
        channel.post({ type: 'status', status: next });
      },
    },
  });
  let stopped = false;
  deps.env.announce();
  // Another tab led until now: storage is the truth for what it did meanwhile. Usually nothing
  // happened since this tab loaded it (it has just opened): then every figure stays as computed.
  void deps.storage.load().then((fresh) => {
    if (!holds(deps.replica, fresh)) deps.replica.replaceAll(fresh, false);
    if (!stopped) manager.start();
  });
  return {
    manager,
    stop() {
      stopped = true;
      manager.stop();
    },
  };
}

/** Whether the replica already holds `state`: the same versions (so the same base) and outbox. */
function holds(replica: Replica, state: ReplicaState): boolean {
  if (!sameVersions(replica.versions.peek(), state.versions)) return false;
  const key = (e: OutboxEntry) => `${e.id}:${e.ackedAtVersion ?? ''}:${e.hlc}`;
  const floor = Math.min(...Object.values(state.versions));
  const stored = state.outbox.filter((e) => e.ackedAtVersion === undefined || e.ackedAtVersion > floor);
  const held = replica.pending.peek().filter((e) => e.id > 0);
  return stored.map(key).join() === held.map(key).join();
}

/**
 * Remembers the entries acknowledged since the last pull (the pull that follows may already drop them
 * from the outbox) and, after each pull, reports once each pending or just-acknowledged entry that a
 * newer edit from another device superseded, in this tab and the others.
 */
function watchSuperseded(deps: SyncLeaderDeps) {
  let acked: OutboxEntry[] = [];
  const reported = new Set<number>();
  return {
    acked(ids: readonly number[]) {
      const set = new Set(ids);
      acked = [...acked, ...deps.replica.pending.peek().filter((e) => set.has(e.id))];
    },
    pulled(changes: Parameters<typeof toChanges>[0]) {
      const candidates = new Map([...acked, ...deps.replica.pending.peek()].map((e) => [e.id, e]));
      acked = [];
      const lost = supersededEntries({
        base: deps.replica.base.peek(),
        pulled: toChanges(changes),
        pending: [...candidates.values()].filter((e) => !reported.has(e.id)),
        deviceId: deps.deviceId,
        nowMs: deps.timers.now(),
      });
      for (const entry of lost) reported.add(entry.id);
      if (lost.length === 0) return;
      deps.channel.post({ type: 'superseded', entries: lost });
      deps.onSuperseded?.(lost);
    },
  };
}
