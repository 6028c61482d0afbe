// The replica model: the signals every screen reads.
//
//   base     server state at the pulled versions (persisted)      ─┐
//   pending  the outbox: local mutations not yet included in base ─┴─► view = rebase(base, pending)
//
// Because the view is always recomputed from both, a poll that lands while a mutation is still
// pending cannot make the optimistic change flicker: the mutation is replayed on top of the new base
// until a pull proves the base already contains it (version ≥ the version the push returned).
// A rejected mutation simply leaves `pending`, which is the whole rollback.
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals';
import type { Change } from '../../../core/records.ts';
import {
  COLLECTIONS,
  type CollectionName,
  type CollectionVersions,
  type RecordsByCollection,
  type StoredRecord,
  zeroVersions,
} from '../../../core/records.ts';
import { buildSnapshot, type Snapshot, snapshotWith } from '../../../core/snapshot.ts';
import type { OutboxEntry, ReplicaState } from '../sync/storage.ts';

export interface RebaseFailure {
  entry: OutboxEntry;
  error: unknown;
}

/** Replays pending mutations over base; a mutation that throws is reported and skipped. */
export type Rebase = (
  base: Snapshot,
  pending: readonly OutboxEntry[],
) => {
  view: Snapshot;
  failures: RebaseFailure[];
};

export interface Replica {
  readonly base: ReadonlySignal<Snapshot>;
  readonly versions: ReadonlySignal<CollectionVersions>;
  readonly pending: ReadonlySignal<readonly OutboxEntry[]>;
  readonly view: ReadonlySignal<Snapshot>;
  readonly failures: ReadonlySignal<readonly RebaseFailure[]>;
  /** True once base came from storage or from a first pull. */
  readonly hasData: ReadonlySignal<boolean>;
  /** Entries the server has not acknowledged yet: what the next push sends. */
  unacked(): OutboxEntry[];
  /** `base`: the snapshot of `state.records` when the caller has built it already. */
  replaceAll(state: ReplicaState, fromServer: boolean, base?: Snapshot): void;
  mergePulled(changes: Partial<RecordsByCollection>, versions: Partial<CollectionVersions>): void;
  /**
   * Back to these versions after pulled records could not be stored: the next pull brings them again
   * (merging the same records twice changes nothing), and stores them.
   */
  rewindVersions(versions: CollectionVersions): void;
  addPending(entry: OutboxEntry, replacesId?: number): void;
  markAcked(ids: readonly number[], version: number): void;
  dropPending(ids: readonly number[]): void;
  clearBase(): void;
}

/** Records of the wire/storage shape as core changes (the shapes are validated at the edges). */
export function toChanges(records: Partial<Record<CollectionName, readonly StoredRecord[]>>): Change[] {
  const changes: Change[] = [];
  for (const c of COLLECTIONS)
    for (const record of records[c] ?? []) changes.push({ collection: c, record } as Change);
  return changes;
}

function minVersion(versions: CollectionVersions): number {
  return Math.min(...COLLECTIONS.map((c) => versions[c]));
}

export function createReplica(rebase: Rebase): Replica {
  const base = signal<Snapshot>(buildSnapshot([]));
  const versions = signal<CollectionVersions>(zeroVersions());
  const outbox = signal<readonly OutboxEntry[]>([]);
  const loaded = signal(false);
  // Local changes are data too: a device that has never synced still shows what it created offline.
  const hasData = computed(() => loaded.value || outbox.value.length > 0);

  // Acknowledged entries stay pending until base provably contains them: no flicker between the
  // push answer and the pull that brings the server's copy.
  const pending = computed(() => {
    const floor = minVersion(versions.value);
    return outbox.value.filter((e) => e.ackedAtVersion === undefined || e.ackedAtVersion > floor);
  });
  const rebased = computed(() => rebase(base.value, pending.value));

  return {
    base,
    versions,
    pending,
    view: computed(() => rebased.value.view),
    failures: computed(() => rebased.value.failures),
    hasData,
    unacked: () => outbox.value.filter((e) => e.ackedAtVersion === undefined && e.id > 0),
    replaceAll(state, fromServer, built) {
      batch(() => {
        base.value = built ?? buildSnapshot(toChanges(state.records));
        versions.value = state.versions;
        // Entries still being written (provisional ids) are not in storage yet: keep them.
        outbox.value = [...state.outbox, ...outbox.value.filter((e) => e.id < 0)];
        // Never back to "no data": a tab reloading storage after the first pull still has it.
        loaded.value =
          loaded.value || fromServer || minVersion(state.versions) > 0 || state.outbox.length > 0;
      });
    },
    mergePulled(changes, pulled) {
      const records = toChanges(changes);
      const nextVersions = { ...versions.value, ...pulled };
      batch(() => {
        // A pull that brought nothing (most polls) keeps the snapshot and the versions as they are:
        // the screens have nothing to recompute or re-render.
        if (records.length > 0) base.value = snapshotWith(base.value, records);
        if (COLLECTIONS.some((c) => nextVersions[c] !== versions.value[c])) versions.value = nextVersions;
        // Entries now included in base are gone for good; forget them so the outbox stays small.
        const floor = minVersion(versions.value);
        const kept = outbox.value.filter((e) => e.ackedAtVersion === undefined || e.ackedAtVersion > floor);
        if (kept.length !== outbox.value.length) outbox.value = kept;
        loaded.value = true;
      });
    },
    rewindVersions(previous) {
      versions.value = previous;
    },
    addPending(entry, replacesId) {
      const rest = outbox.value.filter((e) => e.id !== entry.id && e.id !== replacesId);
      outbox.value = [...rest, entry].sort(byId);
    },
    markAcked(ids, version) {
      const acked = new Set(ids);
      outbox.value = outbox.value.map((e) => (acked.has(e.id) ? { ...e, ackedAtVersion: version } : e));
    },
    dropPending(ids) {
      const gone = new Set(ids);
      outbox.value = outbox.value.filter((e) => !gone.has(e.id));
    },
    clearBase() {
      batch(() => {
        base.value = buildSnapshot([]);
        versions.value = zeroVersions();
      });
    },
  };
}

// Provisional entries (ids -1, -2, … while their store write is in flight) sort after stored ones,
// in the order they were made: they are the newest.
const PROVISIONAL_OFFSET = 2 ** 50;
function sortKey(e: OutboxEntry): number {
  return e.id > 0 ? e.id : PROVISIONAL_OFFSET - e.id;
}
function byId(a: OutboxEntry, b: OutboxEntry): number {
  return sortKey(a) - sortKey(b);
}
