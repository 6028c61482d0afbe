// A simulated device running the web app's own sync code in Node: replica (base + pending rebased
// with core's mutations), outbox, sync manager and fetch transport, over the in-memory storage
// adapter (standing in for IndexedDB, so it survives a "reload"), and, given `realtime`, the app's
// realtime client on a WebSocket whose pokes arrive through faults (sim-pokes.ts). The network can be
// switched off, and the sync loop's clock runs 10× fast so backoff and 5 s polling fit in a short run.
import { createHlc, type Hlc, type HlcClock } from '../../../core/hlc.ts';
import { newDeviceId } from '../../../core/ids.ts';
import { COLLECTIONS, zeroVersions } from '../../../core/records.ts';
import { createCoreRebase } from '../../../web/src/cache/core-rebase.ts';
import { createOutbox, type Outbox } from '../../../web/src/cache/outbox.ts';
import { createReplica, type Replica } from '../../../web/src/cache/replica.ts';
import { createClockOffset, sampleServerTime } from '../../../web/src/sync/clock-offset.ts';
import { createMemoryStorage } from '../../../web/src/sync/memory-storage.ts';
import type { ReplicaStorage } from '../../../web/src/sync/storage.ts';
import {
  createSyncManager,
  type SyncEnvironment,
  type SyncManager,
} from '../../../web/src/sync/sync-manager.ts';
import type { Timers } from '../../../web/src/sync/timers.ts';
import { createFetchTransport, type SyncTransport } from '../../../web/src/sync/transport.ts';
import { createPokeAudit, type PokeAudit } from './poke-audit.ts';
import { type BrokenPokes, createSimPokes, type PokeFaults, type SimPokes } from './sim-pokes.ts';

type UncheckedEnqueue = (name: string, args: unknown) => ReturnType<Outbox['enqueue']>;

const TIME_SCALE = 10;

export interface QueuedMutation {
  deviceId: string;
  id: number;
  name: string;
  args: unknown;
  hlc: Hlc;
}

export interface SimDevice {
  readonly deviceId: string;
  readonly queued: QueuedMutation[];
  readonly acked: Set<number>;
  readonly rejected: Array<{ id: number; reason: string }>;
  /** Changes the server refused as ClockAhead and the device re-stamped (each spent one more id). */
  readonly restamped: number;
  mutate(name: string, args: unknown): Promise<void>;
  setOnline(online: boolean): void;
  /** Stops the sync loop and starts a fresh one from storage, as a page reload does. */
  reload(): Promise<void>;
  syncNow(): Promise<void>;
  /** Whether its socket is open (pokes reach it). */
  pokeConnected(): boolean;
  replica(): Replica;
  storage: ReplicaStorage;
  /** What happened to the pokes' records this device was handed (poke-audit.ts). */
  readonly pokes: PokeAudit;
  stop(): void;
}

export interface SimRealtime {
  socketUrl: string;
  faults: PokeFaults;
  broken?: BrokenPokes;
}

function scaledTimers(): Timers {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * TIME_SCALE,
    setTimeout: (fn, ms) => setTimeout(fn, ms / TIME_SCALE),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

/**
 * `clockSkewMs` offsets the device's wall clock (phones are minutes off, some years): like the app,
 * the device estimates its offset to the server from answers (kept across reloads, as the browser
 * keeps it) and stamps with the corrected clock; a change the server refuses as ClockAhead is
 * re-stamped under a new id, which `queued` follows.
 */
export async function createSimDevice(
  baseUrl: string,
  cookie: string,
  seq: number,
  clockSkewMs = 0,
  realtime?: SimRealtime,
): Promise<SimDevice> {
  const deviceId = newDeviceId(Date.now() + seq);
  const wallClock = () => Date.now() + clockSkewMs;
  const audit = createPokeAudit();
  const storage = auditedStorage(createMemoryStorage(), audit);
  const listeners = new Set<(e: 'online' | 'offline') => void>();
  let online = true;
  const env: SyncEnvironment = {
    isVisible: () => true,
    isOnline: () => online,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const fetchFn = ((path: string, init: RequestInit) => {
    if (!online) return Promise.reject(new TypeError('fetch failed (device offline)'));
    const headers = { ...(init.headers as Record<string, string>), cookie };
    return fetch(`${baseUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(30_000) });
  }) as typeof fetch;
  const offset = createClockOffset({ now: wallClock });
  const transport = auditedPulls(sampleServerTime(createFetchTransport(fetchFn), offset, wallClock), audit);
  const timers = scaledTimers();
  const queued: QueuedMutation[] = [];
  const acked = new Set<number>();
  const rejected: Array<{ id: number; reason: string }> = [];
  const counts = { restamped: 0 };
  let lastHlc: Hlc | undefined;
  let clock: HlcClock;
  let replica: Replica;
  let outbox: Outbox;
  let manager: SyncManager;
  let pokes: SimPokes | undefined;
  const standing = () => Math.min(...COLLECTIONS.map((c) => replica.versions.value[c]));

  const boot = async () => {
    clock = createHlc(deviceId, offset.now, lastHlc);
    replica = createReplica(createCoreRebase(deviceId, offset.now));
    replica.replaceAll(await storage.load(), false);
    outbox = createOutbox({ replica, storage, clock, onStored: () => manager.kick() });
    pokes = realtime
      ? createSimPokes({
          ...realtime,
          deviceId,
          fetchFn,
          audit,
          timers,
          knownVersion: standing,
          isOnline: () => online,
          onOnline: (listener) => env.subscribe((e) => e === 'online' && listener()),
          storeDirectly(stream) {
            const versions = Object.fromEntries(COLLECTIONS.map((c) => [c, stream.toVersion]));
            void storage.applyPull(stream.changes, versions);
            replica.mergePulled(stream.changes, versions);
          },
        })
      : undefined;
    manager = createSyncManager({
      replica,
      storage,
      transport,
      deviceId,
      env,
      timers,
      clock,
      ...(pokes ? { pokeSource: pokes.source } : {}),
      events: {
        onPulled(changes) {
          for (const list of Object.values(changes))
            for (const r of list ?? []) if (r.hlc) clock.observe(r.hlc);
        },
        onAcked: (ids) => {
          for (const id of ids) acked.add(id);
        },
        onRejected: (list) => {
          for (const r of list) rejected.push({ id: r.entry.id, reason: r.reason });
        },
        onRestamped: (from, to) => {
          counts.restamped += 1;
          const entry = queued.find((m) => m.id === from.id);
          if (entry) Object.assign(entry, { id: to.id, hlc: to.hlc });
        },
      },
    });
    manager.start();
  };
  await boot();

  return {
    deviceId,
    queued,
    acked,
    rejected,
    get restamped() {
      return counts.restamped;
    },
    storage,
    async mutate(name, args) {
      // Schedules are generated data; core checks name and args when the mutation is applied.
      const entry = await (outbox.enqueue as UncheckedEnqueue)(name, args);
      if (!entry) throw new Error(`storage refused ${name}`);
      lastHlc = clock.latest();
      queued.push({ deviceId, id: entry.id, name, args, hlc: entry.hlc });
    },
    pokes: audit,
    setOnline(next) {
      online = next;
      if (!next) pokes?.disconnect();
      for (const l of listeners) l(next ? 'online' : 'offline');
    },
    async reload() {
      manager.stop();
      lastHlc = clock.latest();
      await boot();
    },
    syncNow: () => manager.syncNow(),
    pokeConnected: () => manager.isPokeConnected.value,
    replica: () => replica,
    stop: () => manager.stop(),
  };
}

/** Reports to the audit every write of pulled or poked records, with the versions it stood at. */
function auditedStorage(storage: ReplicaStorage, audit: PokeAudit): ReplicaStorage {
  let versions = zeroVersions();
  return {
    ...storage,
    async applyPull(changes, pulled) {
      audit.stored(versions, pulled);
      versions = { ...versions, ...pulled };
      await storage.applyPull(changes, pulled);
    },
    async resetBase() {
      versions = zeroVersions();
      await storage.resetBase();
    },
  };
}

function auditedPulls(transport: SyncTransport, audit: PokeAudit): SyncTransport {
  return {
    ...transport,
    async pull(since, collections) {
      const answer = await transport.pull(since, collections);
      audit.pulled(answer.version);
      return answer;
    },
    async push(deviceId, mutations) {
      const answer = await transport.push(deviceId, mutations);
      if (answer.stream) audit.answered(answer.stream);
      return answer;
    },
  };
}
