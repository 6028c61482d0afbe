// The per-user composition root: everything a signed-in user's tab runs. The persisted replica, the
// outbox and the tab channel in every tab; the sync manager in the one tab that leads.
//
//   tab A (leader)                           tab B (follower)
//   outbox ─► IndexedDB ◄─ outbox            mutation ─► IndexedDB, "enqueued" ─► A kicks a push
//   sync manager ─► "pulled"/"acked"/"rejected"/"status" ─► B applies them to its own signals
//
// Leadership (which tab leads, taking over from a hung one) is leadership.ts; what a tab does with
// the others' messages is tab-applier.ts; what the leader runs is sync-leader.ts.
import { computed, effect, type ReadonlySignal, signal } from '@preact/signals';
import { addDays, utcDateOf } from '../../../core/dates.ts';
import { createHlc, type Hlc } from '../../../core/hlc.ts';
import type { Mutate } from '../../../core/mutations/index.ts';
import { emptyRecords, type RecordsByCollection, type StoredRecord } from '../../../core/records.ts';
import { buildSnapshot, type Snapshot } from '../../../core/snapshot.ts';
import { createCoreRebase } from '../cache/core-rebase.ts';
import { createOutbox } from '../cache/outbox.ts';
import { createReplica, type Replica, toChanges } from '../cache/replica.ts';
import { createClockOffset, sampleServerTime } from '../sync/clock-offset.ts';
import type { OutboxEntry, ReplicaState } from '../sync/storage.ts';
import type { PokeSource, Rejection, SyncIntervals, SyncManager, SyncStatus } from '../sync/sync-manager.ts';
import type { TimerHandle } from '../sync/timers.ts';
import type { SyncTransport } from '../sync/transport.ts';
import { browserPlatform, type SessionPlatform } from './browser-platform.ts';
import { startLeadership } from './leadership.ts';
import { startSyncLeader } from './sync-leader.ts';
import { createTabApplier } from './tab-applier.ts';
import { warmHistory } from './warm-history.ts';

export interface UserSessionOptions {
  userId: string;
  transport?: SyncTransport;
  pokeSource?: PokeSource;
  intervals?: SyncIntervals;
  onRejected(rejections: Rejection[]): void;
  /** Pending changes that lost to a newer edit from another device. */
  onSuperseded?(entries: OutboxEntry[]): void;
  onUnauthorized(): void;
  onStoreError(error: unknown): void;
}

export interface UserSession {
  readonly userId: string;
  readonly deviceId: string;
  readonly replica: Replica;
  readonly status: ReadonlySignal<SyncStatus>;
  readonly isLeader: ReadonlySignal<boolean>;
  mutate: Mutate<Promise<void>>;
  syncNow(): Promise<void>;
  setIntervals(intervals: SyncIntervals): void;
  close(): void;
}

/** How long the leader waits after the last pull before saving the base (storage.ts `saveBase`). */
export const BASE_SAVE_DELAY_MS = 5_000;

const INITIAL_STATUS: SyncStatus = { phase: 'idle', failures: 0, lastSyncAt: null, lastError: null };

function recordsOf(base: Snapshot): RecordsByCollection {
  const records = emptyRecords();
  for (const change of base.records()) (records[change.collection] as StoredRecord[]).push(change.record);
  return records;
}

/** The newest stamp this device has seen, re-owned by `deviceId`: the clock restarts after it. */
function restartStamp(state: ReplicaState, deviceId: string): Hlc | undefined {
  let latest: string | undefined;
  for (const list of Object.values(state.records))
    for (const r of list) if (r.hlc && (!latest || r.hlc > latest)) latest = r.hlc;
  for (const e of state.outbox) if (!latest || e.hlc > latest) latest = e.hlc;
  return latest?.replace(/[^:]+$/, deviceId);
}

export async function openUserSession(
  options: UserSessionOptions,
  platform: SessionPlatform = browserPlatform,
): Promise<UserSession> {
  const { userId, onRejected, onUnauthorized } = options;
  const { storage, created } = await platform.openStorage(userId);
  const deviceId = platform.deviceIdFor(userId, created);
  // Stamps, and the date bounds of the optimistic replay, use the clock corrected to the server's.
  const offset = platform.clockOffset?.() ?? createClockOffset({ now: platform.timers.now });
  const replica = createReplica(createCoreRebase(deviceId, offset.now));
  const state = await storage.load();
  const base = buildSnapshot(toChanges(state.records));
  // Through tomorrow in UTC: today in any time zone.
  const last = addDays(utcDateOf(platform.timers.now()), 1);
  if (platform.pause) await warmHistory(base, last, { now: platform.timers.now, pause: platform.pause });
  replica.replaceAll(state, false, base);
  const clock = createHlc(deviceId, offset.now, restartStamp(state, deviceId));
  const channel = platform.openChannel(`routine-sync:${userId}`);
  const env = platform.environment(channel, platform.newTabId());
  const status = signal<SyncStatus>(INITIAL_STATUS);
  const isLeader = signal(false);
  const transport = sampleServerTime(options.transport ?? platform.transport(), offset, platform.timers.now);
  let manager: SyncManager | undefined;
  let intervals = options.intervals;

  const outbox = createOutbox({
    replica,
    storage,
    clock,
    onStored(entry) {
      channel.post({ type: 'enqueued', entry });
      manager?.kick();
    },
    onStoreError: options.onStoreError,
  });
  const unsubscribe = channel.subscribe(
    createTabApplier({
      replica,
      clock,
      status,
      manager: () => manager,
      onRejected,
      onUnauthorized,
      ...(options.onSuperseded ? { onSuperseded: options.onSuperseded } : {}),
    }),
  );
  // The base saved as one value makes the next start quick (storage.ts), by the leader only: it loaded
  // storage when it took the lead and applied every pull since, whereas a follower that missed a tab
  // message would save a base its versions misdescribe. Once its pulls have settled (a reload or a
  // closed tab has no time to save), and when it goes out of sight.
  const saveBase = () => {
    void storage.saveBase?.(recordsOf(replica.base.peek()), replica.versions.peek()).catch(() => undefined);
  };
  let saveTimer: TimerHandle | undefined;
  const stopSaving = effect(() => {
    void replica.versions.value;
    if (saveTimer !== undefined) platform.timers.clearTimeout(saveTimer);
    saveTimer = platform.timers.setTimeout(() => {
      saveTimer = undefined;
      if (manager) saveBase();
    }, BASE_SAVE_DELAY_MS);
  });
  const unsubscribeLeave = platform.onPageLeave?.(() => manager && saveBase()) ?? (() => {});
  // A follower that comes back into view asks the leader for fresh data at once.
  const unsubscribeEnv = env.subscribe((event) => {
    if (!manager && (event === 'focus' || event === 'online' || event === 'visible'))
      channel.post({ type: 'sync-request' });
  });
  const leadership = startLeadership({
    lockName: `routine-sync:leader:${userId}`,
    channel,
    timers: platform.timers,
    isPageVisible: platform.isPageVisible,
    elect: platform.elect,
    lead() {
      const { pokeSource } = options;
      const { timers } = platform;
      const leader = startSyncLeader({
        replica,
        storage,
        transport,
        deviceId,
        env,
        channel,
        clock,
        status,
        timers,
        pokeSource,
        intervals,
        onRejected,
        ...(options.onSuperseded ? { onSuperseded: options.onSuperseded } : {}),
        onUnauthorized,
      });
      manager = leader.manager;
      isLeader.value = true;
      return () => {
        leader.stop();
        if (manager === leader.manager) manager = undefined;
        isLeader.value = false;
      };
    },
  });

  return {
    userId,
    deviceId,
    replica,
    status: computed(() => status.value),
    isLeader,
    async mutate(name, args) {
      await outbox.enqueue(name, args);
    },
    async syncNow() {
      if (manager) await manager.syncNow();
      else channel.post({ type: 'sync-request' });
    },
    setIntervals(next) {
      intervals = next;
      manager?.setIntervals(next);
    },
    close() {
      leadership.release();
      unsubscribe();
      unsubscribeEnv();
      unsubscribeLeave();
      stopSaving();
      if (saveTimer !== undefined) platform.timers.clearTimeout(saveTimer);
      env.dispose();
      channel.close();
      storage.close();
    },
  };
}
