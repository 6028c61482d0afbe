// Everything a signed-in user's tab runs: the persisted replica, the outbox, the tab channel, and —
// in the one tab that leads — the sync manager.
//
//   tab A (leader)                           tab B (follower)
//   outbox ─► IndexedDB ◄─ outbox            mutation ─► IndexedDB, "enqueued" ─► A kicks a push
//   sync manager ─► "pulled"/"acked"/"rejected"/"status" ─► B applies them to its own signals
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import { createHlc, type Hlc } from '../../../core/hlc.ts';
import { createBrowserEnvironment } from '../env/browser-env.ts';
import { openClockOffset } from '../env/clock-offset-store.ts';
import { deviceIdFor } from '../env/device-id.ts';
import { sampleServerTime } from '../sync/clock-offset.ts';
import { openIdbStorage } from '../sync/idb-storage.ts';
import { electLeader } from '../sync/leader.ts';
import { createMemoryStorage } from '../sync/memory-storage.ts';
import type { ReplicaState, ReplicaStorage } from '../sync/storage.ts';
import {
  createSyncManager,
  type PokeSource,
  type Rejection,
  type SyncIntervals,
  type SyncManager,
  type SyncStatus,
} from '../sync/sync-manager.ts';
import { openTabChannel, type TabMessage } from '../sync/tab-channel.ts';
import { createFetchTransport, type SyncTransport } from '../sync/transport.ts';
import { createCoreRebase } from './core-rebase.ts';
import { createOutbox } from './outbox.ts';
import { createReplica, type Replica } from './replica.ts';

export interface UserSessionOptions {
  userId: string;
  transport?: SyncTransport;
  pokeSource?: PokeSource;
  intervals?: SyncIntervals;
  onRejected(rejections: Rejection[]): void;
  onUnauthorized(): void;
  onStoreError(error: unknown): void;
}

export interface UserSession {
  readonly userId: string;
  readonly deviceId: string;
  readonly replica: Replica;
  readonly status: ReadonlySignal<SyncStatus>;
  readonly isLeader: ReadonlySignal<boolean>;
  mutate(name: string, args: unknown): Promise<void>;
  syncNow(): Promise<void>;
  setIntervals(intervals: SyncIntervals): void;
  close(): void;
}

const LEADER_HEARTBEAT_MS = 4_000;
/** Several missed heartbeats: the leader is frozen, hibernated or throttled in a background tab. */
const LEADER_TIMEOUT_MS = 15_000;

const INITIAL_STATUS: SyncStatus = { phase: 'idle', failures: 0, lastSyncAt: null, lastError: null };

async function openStorage(userId: string): Promise<{ storage: ReplicaStorage; created: boolean }> {
  try {
    return await openIdbStorage(userId);
  } catch {
    // Private modes without IndexedDB still get a working (if forgetful) app.
    return { storage: createMemoryStorage(), created: true };
  }
}

function latestStamp(state: ReplicaState): Hlc | undefined {
  let latest: string | undefined;
  for (const list of Object.values(state.records)) {
    for (const r of list) if (r.hlc && (!latest || r.hlc > latest)) latest = r.hlc;
  }
  for (const e of state.outbox) if (!latest || e.hlc > latest) latest = e.hlc;
  return latest;
}

export async function openUserSession(options: UserSessionOptions): Promise<UserSession> {
  const { storage, created } = await openStorage(options.userId);
  const deviceId = deviceIdFor(options.userId, created);
  const offset = openClockOffset();
  const replica = createReplica(createCoreRebase(deviceId, offset.now));
  const state = await storage.load();
  replica.replaceAll(state, false);
  const last = latestStamp(state);
  // The clock restarts from the newest stamp it can see, with this device's id, on the server's time.
  const clock = createHlc(deviceId, offset.now, last ? last.replace(/[^:]+$/, deviceId) : undefined);
  const channel = openTabChannel(`routine-sync:${options.userId}`);
  const tabId = Math.random().toString(36).slice(2);
  const env = createBrowserEnvironment(channel, tabId);
  const status = signal<SyncStatus>(INITIAL_STATUS);
  const isLeader = signal(false);
  let manager: SyncManager | undefined;
  let intervals = options.intervals;
  const transport = sampleServerTime(options.transport ?? createFetchTransport(), offset);

  const outbox = createOutbox({
    replica,
    storage,
    clock,
    onStored(entry) {
      channel.post({ type: 'enqueued', entry });
      if (manager) manager.kick();
    },
    onStoreError: options.onStoreError,
  });

  // Followers watch for the leader's heartbeat; a visible follower that stops hearing it (the leader
  // tab was frozen or hibernated with the lock) takes over.
  let lastLeaderSeen = Date.now();
  const onMessage = (message: TabMessage) => {
    if (message.type === 'leader-alive' || message.type === 'status' || message.type === 'pulled') {
      lastLeaderSeen = Date.now();
    }
    switch (message.type) {
      case 'enqueued':
        clock.observe(message.entry.hlc);
        replica.addPending(message.entry);
        manager?.kick();
        break;
      case 'pulled':
        for (const list of Object.values(message.changes))
          for (const r of list ?? []) if (r.hlc) clock.observe(r.hlc);
        replica.mergePulled(message.changes, message.versions);
        break;
      case 'acked':
        replica.markAcked(message.ids, message.version);
        break;
      case 'rejected':
        replica.dropPending(message.rejections.map((r) => r.entry.id));
        options.onRejected(message.rejections);
        break;
      case 'restamped':
        replica.dropPending([message.from.id]);
        replica.addPending(message.to);
        break;
      case 'reset':
        replica.clearBase();
        break;
      case 'status':
        if (!manager) status.value = message.status;
        break;
      case 'sync-request':
        void manager?.syncNow();
        break;
      case 'signed-out':
        options.onUnauthorized();
        break;
    }
  };
  const unsubscribe = channel.subscribe(onMessage);
  // A follower that comes back into view asks the leader for fresh data at once.
  const unsubscribeEnv = env.subscribe((event) => {
    if (!manager && (event === 'focus' || event === 'online' || event === 'visible')) {
      channel.post({ type: 'sync-request' });
    }
  });

  const lead = () => {
    const m = createSyncManager({
      replica,
      storage,
      transport,
      deviceId,
      env,
      clock,
      ...(options.pokeSource ? { pokeSource: options.pokeSource } : {}),
      ...(intervals ? { intervals } : {}),
      events: {
        onPulled(changes, versions) {
          for (const list of Object.values(changes))
            for (const r of list ?? []) if (r.hlc) clock.observe(r.hlc);
          channel.post({ type: 'pulled', changes, versions });
        },
        onAcked: (ids, version) => channel.post({ type: 'acked', ids, version }),
        onRestamped: (from, to) => channel.post({ type: 'restamped', from, to }),
        onRejected(rejections) {
          channel.post({ type: 'rejected', rejections });
          options.onRejected(rejections);
        },
        onReset: () => channel.post({ type: 'reset' }),
        onUnauthorized() {
          channel.post({ type: 'signed-out' });
          options.onUnauthorized();
        },
        onStatus(next) {
          status.value = next;
          channel.post({ type: 'status', status: next });
        },
      },
    });
    manager = m;
    isLeader.value = true;
    env.announce();
    const heartbeat = setInterval(() => channel.post({ type: 'leader-alive' }), LEADER_HEARTBEAT_MS);
    // Another tab led until now: storage is the truth for what it did meanwhile.
    void storage.load().then((fresh) => {
      replica.replaceAll(fresh, false);
      if (manager === m) m.start();
    });
    return () => {
      clearInterval(heartbeat);
      lastLeaderSeen = Date.now();
      m.stop();
      if (manager === m) manager = undefined;
      isLeader.value = false;
    };
  };
  const leadership = electLeader(`routine-sync:leader:${options.userId}`, lead);
  const watchdog = setInterval(() => {
    const silent = Date.now() - lastLeaderSeen > LEADER_TIMEOUT_MS;
    if (!manager && silent && document.visibilityState === 'visible') leadership.steal();
  }, LEADER_HEARTBEAT_MS);

  return {
    userId: options.userId,
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
      clearInterval(watchdog);
      leadership.release();
      unsubscribe();
      unsubscribeEnv();
      env.dispose();
      channel.close();
      storage.close();
    },
  };
}
