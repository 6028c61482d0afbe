// The invariants checked after every chaos run, each violation one readable line:
//
//   lost        every queued mutation was acknowledged, and the server's lastMutationId of each
//               device counts exactly the mutations it queued
//   twice       the server answered `applied` at most once per (device, mutation id), counting the
//               answers the proxy cut off before the client saw them
//   rejected    nothing was rejected (the workload never makes an invalid mutation)
//   converged   every device shows the server's state
//   reference   the server's state equals all mutations applied in HLC order by core on a MemoryTx
//   order       every poke's records a device applied continued exactly where it stood (poke-audit.ts)
//   pokes       devices handed many pokes' records applied some (the poke path is really used)
import { compareHlc } from '../../../core/hlc.ts';
import { applyMutation } from '../../../core/mutations/index.ts';
import type { Change } from '../../../core/records.ts';
import { MemoryTx } from '../../../core/store.ts';
import { unusedPokes } from './poke-audit.ts';
import type { QueuedMutation, SimDevice } from './sim-device.ts';

/** `collection/id` → canonical JSON of the live record. */
export type LiveState = Map<string, string>;

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function liveState(changes: Iterable<{ collection: string; record: unknown }>): LiveState {
  const state: LiveState = new Map();
  for (const { collection, record } of changes) {
    const r = record as { id: string; deleted?: boolean };
    if (!r.deleted) state.set(`${collection}/${r.id}`, canonical(r));
  }
  return state;
}

export function referenceState(queued: readonly QueuedMutation[]): LiveState {
  const tx = new MemoryTx();
  const ordered = [...queued].sort((a, b) => compareHlc(a.hlc, b.hlc));
  for (const m of ordered) applyMutation(tx, m, { deviceId: m.deviceId, nowMs: Date.now() });
  return liveState(tx.changes() as Change[]);
}

export function diffStates(label: string, actual: LiveState, expected: LiveState): string[] {
  const keys = new Set([...actual.keys(), ...expected.keys()]);
  const diffs: string[] = [];
  for (const key of [...keys].sort()) {
    const a = actual.get(key);
    const e = expected.get(key);
    if (a !== e) diffs.push(`${label}: ${key} is ${a ?? '(absent)'}, expected ${e ?? '(absent)'}`);
  }
  return diffs.length > 5
    ? [...diffs.slice(0, 5), `${label}: … ${diffs.length - 5} more differences`]
    : diffs;
}

export interface ServerFacts {
  state: LiveState;
  lastMutationIds: Map<string, number>;
  rejectedCount: number;
  appliedAnswers: Map<string, number>;
}

export function checkInvariants(devices: readonly SimDevice[], server: ServerFacts): string[] {
  const violations: string[] = [];
  for (const d of devices) {
    const unacked = d.queued.filter((m) => !d.acked.has(m.id) && !d.rejected.some((r) => r.id === m.id));
    if (unacked.length)
      violations.push(`lost: ${d.deviceId} never got an answer for ${unacked.map((m) => m.id)}`);
    const last = server.lastMutationIds.get(d.deviceId) ?? 0;
    if (d.queued.length && last !== d.queued.length + d.restamped)
      violations.push(
        `lost: ${d.deviceId} queued ${d.queued.length} mutations (${d.restamped} re-stamped), server's lastMutationId is ${last}`,
      );
    for (const r of d.rejected) violations.push(`rejected: ${d.deviceId} #${r.id}: ${r.reason}`);
    violations.push(...d.pokes.violations(d.deviceId));
    violations.push(
      ...diffStates(`converged ${d.deviceId}`, liveState(d.replica().view.value.records()), server.state),
    );
  }
  violations.push(...unusedPokes(devices.map((d) => d.pokes)));
  // The only rejections allowed are the ClockAhead ones the devices re-stamped.
  const restamped = devices.reduce((n, d) => n + d.restamped, 0);
  if (server.rejectedCount !== restamped)
    violations.push(
      `rejected: the server recorded ${server.rejectedCount} rejections (${restamped} re-stamped)`,
    );
  for (const [key, count] of server.appliedAnswers)
    if (count > 1) violations.push(`twice: mutation ${key} was answered "applied" ${count} times`);
  try {
    violations.push(
      ...diffStates('reference', server.state, referenceState(devices.flatMap((d) => d.queued))),
    );
  } catch (err) {
    violations.push(`reference: the model refused a mutation: ${String(err)}`);
  }
  return violations;
}

/** Counts `applied` answers per `deviceId#id` from push request/answer pairs seen by the proxy. */
export function countApplied(
  into: Map<string, number>,
  requestBody: Buffer,
  status: number,
  answer: Buffer,
): void {
  if (status !== 200) return;
  try {
    const { deviceId } = JSON.parse(requestBody.toString()) as { deviceId: string };
    const { results } = JSON.parse(answer.toString()) as { results?: Array<{ id: number; status: string }> };
    for (const r of results ?? []) {
      if (r.status !== 'applied') continue;
      const key = `${deviceId}#${r.id}`;
      into.set(key, (into.get(key) ?? 0) + 1);
    }
  } catch {
    // A malformed exchange carries no answer to count; the other invariants still judge the run.
  }
}
