// Small builders for core tests: a device that stamps and applies mutations on a MemoryTx.
import { createHlc, type HlcClock } from '../../core/hlc.ts';
import { applyMutation, type MutationArgs, type MutationName } from '../../core/mutations/index.ts';
import type { Change } from '../../core/records.ts';
import { buildSnapshot, type Snapshot } from '../../core/snapshot.ts';
import type { MemoryTx } from '../../core/store.ts';

/** 2026-06-15T12:00:00Z: "now" for the date-range checks. */
export const NOW_MS = Date.UTC(2026, 5, 15, 12);

export interface Device {
  id: string;
  clock: HlcClock;
  /** Stamp and apply a mutation on `tx`, returning the stamped call. */
  apply<N extends MutationName>(tx: MemoryTx, name: N, args: MutationArgs<N>): StampedCall;
  /** Stamp a mutation without applying it. */
  stamp<N extends MutationName>(name: N, args: MutationArgs<N>): StampedCall;
}

export interface StampedCall {
  name: MutationName;
  args: unknown;
  hlc: string;
  deviceId: string;
}

export function device(suffix: string, wallMs = NOW_MS): Device {
  const id = `device_1700000000000_${suffix}`;
  let wall = wallMs;
  const clock = createHlc(id, () => wall++);
  const stamp = (name: MutationName, args: unknown): StampedCall => ({
    name,
    args,
    hlc: clock.next(),
    deviceId: id,
  });
  return {
    id,
    clock,
    stamp,
    apply(tx, name, args) {
      const call = stamp(name, args);
      applyMutation(tx, call, { deviceId: id, nowMs: NOW_MS });
      return call;
    },
  };
}

export function applyCall(tx: MemoryTx, call: StampedCall): void {
  applyMutation(tx, call, { deviceId: call.deviceId, nowMs: NOW_MS });
}

/** Task ids that are valid UUIDs and easy to read in failures. */
export function taskId(n: number): string {
  return `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

/** Canonical JSON of a store's records (sorted), for equality across orders. */
export function canonical(changes: readonly Change[]): string {
  const sorted = [...changes].sort((a, b) =>
    `${a.collection}/${a.record.id}` < `${b.collection}/${b.record.id}` ? -1 : 1,
  );
  return JSON.stringify(sorted);
}

export function snapshotOf(tx: MemoryTx): Snapshot {
  return buildSnapshot(tx.changes());
}
