// The sync loop. It runs in the leader tab only and owns the network:
//
//            ┌──────── poll timer (per collection, default 5 s; off while a poke source is connected)
//   trigger ─┼──────── poke · focus · online · visible · local mutation · Refresh
//            ▼
//   ┌─► a poke's records that continue where we stand      ─► merge into base, persist
//   │   push unacked outbox entries (batches, in id order) ─► ack / reject (rollback + toast)
//   │   pull since min(version of the due collections)      ─► merge into base, persist
//   │     (due: all after a push, a focus…, or when a version above ours was announced and no held
//   │      poke may still fill the gap)
//   │   (server says reset → forget base, pull from 0)
//   │
//   └── failure: wait backoffDelay(failures) (full jitter, 1 s … 60 s), then a full cycle again
//
// A poke's records are also applied the moment they arrive, beside a push in flight: they are the
// server's state as a pull would bring it, and pending changes are rebased over them the same way.
// A gap the pokes cannot fill is likewise pulled past during a push, not after it.
// Pulls and applied pokes never interleave (each takes the base in turn). Hidden pages do not poll
// (they still retry queued pushes), and one cycle runs at a time: a trigger during a cycle schedules
// exactly one more.
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { HlcClock } from '../../../core/hlc.ts';
import { COLLECTIONS, type CollectionName } from '../../../core/records.ts';
import type { Replica } from '../cache/replica.ts';
import { backoffDelay } from './backoff.ts';
import { createBaseUpdates } from './base-updates.ts';
import { pushOutbox } from './push-outbox.ts';
import { createReachabilityProbe } from './reachability-probe.ts';
import type { ReplicaStorage } from './storage.ts';
import { createStreamedPokes } from './streamed-pokes.ts';
import type { PokeSource, SyncEnvironment, SyncEvents, SyncIntervals, SyncStatus } from './sync-types.ts';
import { realTimers, type Timers } from './timers.ts';
import { type SyncTransport, TransportError } from './transport.ts';

export type {
  Poke,
  PokeSource,
  Rejection,
  SyncEnvironment,
  SyncEvents,
  SyncIntervals,
  SyncStatus,
} from './sync-types.ts';

export interface SyncManagerDeps {
  replica: Replica;
  storage: ReplicaStorage;
  transport: SyncTransport;
  deviceId: string;
  env: SyncEnvironment;
  timers?: Timers;
  random?: () => number;
  pokeSource?: PokeSource;
  intervals?: SyncIntervals;
  events?: SyncEvents;
  pushBatchSize?: number;
  /** The offset-corrected clock, to re-stamp changes the server refused as ClockAhead. */
  clock?: HlcClock;
}

export interface SyncManager {
  readonly status: ReadonlySignal<SyncStatus>;
  readonly isPokeConnected: ReadonlySignal<boolean>;
  start(): void;
  stop(): void;
  /** Push and pull everything now (also resets the backoff): the manual Refresh. */
  syncNow(): Promise<void>;
  /** Something was queued: push soon. */
  kick(): void;
  setIntervals(intervals: SyncIntervals): void;
}

export const DEFAULT_POLL_MS = 5_000;
/** While a pull stays below an announced version (one still committing), it is tried again this soon. */
export const BEHIND_RETRY_MS = 2_000;

export function createSyncManager(deps: SyncManagerDeps): SyncManager {
  const timers = deps.timers ?? realTimers;
  const random = deps.random ?? Math.random;
  const batchSize = deps.pushBatchSize ?? 100;
  let intervals: SyncIntervals = deps.intervals ?? { defaultMs: DEFAULT_POLL_MS };
  const status = signal<SyncStatus>({ phase: 'idle', failures: 0, lastSyncAt: null, lastError: null });
  const pokeConnected = signal(false);
  let running = false;
  let pushing = false;
  let timer: unknown;
  let catchUpTimer: unknown;
  let inFlight: Promise<void> | undefined;
  let rerun: { full: boolean } | undefined;
  let cleanups: Array<() => void> = [];
  const streams = createStreamedPokes();
  const { pull, applyPokes, lastPulledAt, retryBehind } = createBaseUpdates({
    ...deps,
    timers,
    streams,
    active: () => running,
  });
  const health = deps.transport.health?.bind(deps.transport);
  // While unreachable, a 1 s health probe ends the backoff wait as soon as the server answers.
  const probe = health
    ? createReachabilityProbe({ timers, check: health, onBack: () => syncAfterReset() })
    : undefined;

  const setStatus = (patch: Partial<SyncStatus>) => {
    status.value = { ...status.value, ...patch };
    deps.events?.onStatus?.(status.value);
  };
  const intervalOf = (c: CollectionName) => intervals.perCollection?.[c] ?? intervals.defaultMs;
  const dueCollections = (now: number) =>
    COLLECTIONS.filter((c) => now - (lastPulledAt.get(c) ?? Number.NEGATIVE_INFINITY) >= intervalOf(c));

  /**
   * A poke while a push is on the way: its records apply at once, and a gap they cannot fill (once
   * held pokes stop waiting) is pulled past without waiting for the push. Otherwise the cycle decides.
   */
  async function catchUp(records: boolean): Promise<void> {
    if (records) await applyPokes().catch(() => undefined);
    const versions = deps.replica.versions.value;
    if (!pushing || !streams.isBehind(versions)) return;
    const wait = streams.gapWait(versions, timers.now());
    clearCatchUp();
    if (wait !== undefined) catchUpTimer = timers.setTimeout(() => void catchUp(false), wait);
    // A failure here is the cycle's to retry: it pulls after its push anyway.
    else await pull(COLLECTIONS).catch(() => undefined);
  }

  function clearCatchUp(): void {
    if (catchUpTimer !== undefined) timers.clearTimeout(catchUpTimer);
    catchUpTimer = undefined;
  }

  /** Our own acknowledged writes are versions to reach too (their pokes go to the other devices). */
  function announceAcked(): void {
    for (const entry of deps.replica.pending.value) {
      if (entry.ackedAtVersion !== undefined) streams.announce(entry.ackedAtVersion);
    }
  }

  async function cycle(full: boolean): Promise<void> {
    setStatus({ phase: 'syncing' });
    try {
      await applyPokes();
      pushing = true;
      const pushed = await pushOutbox(
        { ...deps, onStreamed: (version, stream) => streams.note({ version, stream }, timers.now()) },
        batchSize,
      ).finally(() => {
        pushing = false;
        clearCatchUp();
      });
      if (pushed) {
        announceAcked();
        // The push's answer may carry its commit's records: standing where they start, the device
        // is then at its own change and need not pull it back.
        await applyPokes();
      }
      const now = timers.now();
      const versions = deps.replica.versions.value;
      // Behind only by held pokes: the one they follow may still come (scheduleNext waits for it).
      const behind = streams.isBehind(versions) && streams.gapWait(versions, now) === undefined;
      // While pokes flow, nothing is pulled on a timer: a poke says when (with or without records).
      const timed = pokeConnected.value ? [] : dueCollections(now);
      // After a push, a pull only for what its answer did not bring (another device's version first).
      const due = full || behind || (pushed && streams.isBehind(versions)) ? COLLECTIONS : timed;
      if (due.length) await pull(due);
      await applyPokes();
      setStatus({ phase: 'idle', failures: 0, lastSyncAt: timers.now(), lastError: null });
      probe?.stop();
    } catch (error) {
      fail(error);
    }
  }

  function fail(error: unknown): void {
    const kind = error instanceof TransportError ? error.kind : 'transient';
    const message = error instanceof Error ? error.message : String(error);
    if (kind === 'unauthorized') {
      setStatus({ phase: 'signed-out', lastError: message });
      stop();
      deps.events?.onUnauthorized?.();
      return;
    }
    const phase = !deps.env.isOnline() ? 'offline' : kind === 'network' ? 'unreachable' : 'failing';
    setStatus({ phase, failures: status.value.failures + 1, lastError: message });
    if (phase === 'unreachable') probe?.start();
  }

  function run(full: boolean): Promise<void> {
    if (!running) return Promise.resolve();
    if (inFlight) {
      rerun = { full: full || (rerun?.full ?? false) };
      return inFlight;
    }
    clearTimer();
    inFlight = cycle(full).finally(() => {
      inFlight = undefined;
      const again = rerun;
      rerun = undefined;
      if (again) void run(again.full);
      else scheduleNext();
    });
    return inFlight;
  }

  function clearTimer(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  }

  function scheduleNext(): void {
    clearTimer();
    if (!running) return;
    const { failures } = status.value;
    if (failures > 0) {
      // A failed cycle means we may be behind even while pokes flow (the poke we answered said so),
      // so retry with backoff unless the page is hidden and has nothing to push.
      const hasWork = deps.replica.unacked().length > 0;
      if (!hasWork && !deps.env.isVisible()) return;
      timer = timers.setTimeout(() => void run(true), backoffDelay(failures - 1, random));
      return;
    }
    const gap = streams.gapWait(deps.replica.versions.value, timers.now());
    if (gap !== undefined) {
      timer = timers.setTimeout(() => void run(false), gap);
      return;
    }
    if (pokeConnected.value && retryBehind()) {
      timer = timers.setTimeout(() => void run(false), BEHIND_RETRY_MS);
      return;
    }
    if (!deps.env.isVisible() || pokeConnected.value) return;
    const now = timers.now();
    const waits = COLLECTIONS.map((c) => (lastPulledAt.get(c) ?? now) + intervalOf(c) - now);
    timer = timers.setTimeout(() => void run(false), Math.max(0, Math.min(...waits)));
  }

  function onEnvironment(event: 'visible' | 'hidden' | 'online' | 'offline' | 'focus'): void {
    if (event === 'hidden') {
      scheduleNext();
      return;
    }
    if (event === 'offline') {
      probe?.stop();
      setStatus({ phase: 'offline' });
      return;
    }
    // Coming back (focus, visible, online) is when stale data would show: pull at once.
    setStatus({ failures: 0 });
    void run(true);
  }

  function start(): void {
    if (running) return;
    running = true;
    cleanups.push(deps.env.subscribe(onEnvironment));
    if (deps.pokeSource) {
      cleanups.push(
        deps.pokeSource.start({
          onPoke: (poke) => {
            streams.note(poke, timers.now());
            // A poke that names no version says only "something changed": pull.
            const full = poke.version === undefined && !poke.stream;
            void catchUp(poke.stream !== undefined).then(() => run(full));
          },
          onConnectionChange: (connected) => {
            pokeConnected.value = connected;
            // Catch up on anything missed while the socket was down, then rely on pokes.
            if (connected) void run(true);
            else scheduleNext();
          },
        }),
      );
    }
    if (!deps.env.isOnline()) setStatus({ phase: 'offline' });
    void run(true);
  }

  function syncAfterReset(): Promise<void> {
    setStatus({ failures: 0 });
    return run(true);
  }

  function stop(): void {
    running = false;
    probe?.stop();
    clearTimer();
    clearCatchUp();
    for (const cleanup of cleanups) cleanup();
    cleanups = [];
  }

  return {
    status,
    isPokeConnected: computed(() => pokeConnected.value),
    start,
    stop,
    syncNow: syncAfterReset,
    kick() {
      void run(false);
    },
    setIntervals(next) {
      intervals = next;
      scheduleNext();
    },
  };
}
