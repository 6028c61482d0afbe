// Watches one chaos device's streamed pokes from outside its sync code, so the suite can tell that the
// poke path is really used and used in order:
//
//   delivered  a poke's records reached the device (after the network's faults)
//   answered   a push's answer carried its commit's records
//   pulled     the transport answered a pull up to some version
//   stored     the device wrote records to storage, moving its versions from `before` to `pulled`
//
// Every write must be explained: by a pull answered up to exactly those versions, or else by a
// delivered poke or a push answer whose records continue exactly where every collection stood
// (applied). Anything else is a
// poke applied out of order ("order:"). Devices that were handed many pokes' records and applied
// none ignore pokes ("pokes:").
import { COLLECTIONS, type CollectionVersions } from '../../../core/records.ts';

/**
 * Pokes with records the devices of a run must have been handed before applying none of them is
 * suspect. Counted over all devices: one that writes all the time can rightly apply none (a cycle
 * that pushes pulls afterwards instead), but they all run the same code.
 */
export const POKES_BEFORE_SUSPICION = 10;

/** "pokes:" when the devices were handed many pokes' records and applied none of them. */
export function unusedPokes(audits: readonly PokeAudit[]): string[] {
  const delivered = audits.reduce((n, a) => n + a.counts.delivered, 0);
  const applied = audits.reduce((n, a) => n + a.counts.applied, 0);
  if (delivered < POKES_BEFORE_SUSPICION || applied > 0) return [];
  return [`pokes: the devices were handed ${delivered} pokes' records and applied none`];
}

export interface PokeAudit {
  delivered(stream: { fromVersion: number; toVersion: number }): void;
  answered(stream: { fromVersion: number; toVersion: number }): void;
  pulled(version: number): void;
  stored(before: CollectionVersions, pulled: Partial<CollectionVersions>): void;
  /** `applied`: pokes' records stored; `answersApplied`: push answers' records stored. */
  readonly counts: { delivered: number; applied: number; answersApplied: number; pulls: number };
  violations(deviceId: string): string[];
}

export function createPokeAudit(): PokeAudit {
  // Records that reached the device, by their span, and whether a poke brought them (else an answer).
  const streams = new Map<string, 'poke' | 'answer'>();
  const pullAnswers = new Map<number, number>();
  const counts = { delivered: 0, applied: 0, answersApplied: 0, pulls: 0 };
  const outOfOrder: string[] = [];
  const take = (version: number) => {
    const n = pullAnswers.get(version) ?? 0;
    if (n === 0) return false;
    pullAnswers.set(version, n - 1);
    return true;
  };
  return {
    counts,
    delivered(stream) {
      counts.delivered += 1;
      streams.set(`${stream.fromVersion}>${stream.toVersion}`, 'poke');
    },
    answered(stream) {
      const span = `${stream.fromVersion}>${stream.toVersion}`;
      if (!streams.has(span)) streams.set(span, 'answer');
    },
    pulled(version) {
      counts.pulls += 1;
      pullAnswers.set(version, (pullAnswers.get(version) ?? 0) + 1);
    },
    stored(before, pulled) {
      const to = Object.values(pulled);
      const everyCollection = COLLECTIONS.every((c) => pulled[c] !== undefined && pulled[c] === to[0]);
      const from = before[COLLECTIONS[0]];
      const source = streams.get(`${from}>${to[0]}`);
      const continues = everyCollection && COLLECTIONS.every((c) => before[c] === from) && source;
      // A pull's answer is stored right after it arrives, so an answer up to exactly these versions
      // explains the write first (it may also look like a poke continuing from here).
      if (take(to[0] ?? -1)) return;
      if (continues === 'poke') counts.applied += 1;
      else if (continues === 'answer') counts.answersApplied += 1;
      else outOfOrder.push(`stored versions ${JSON.stringify(pulled)} standing at ${JSON.stringify(before)}`);
    },
    violations(deviceId) {
      const found = outOfOrder
        .slice(0, 3)
        .map((what) => `order: ${deviceId} applied a poke out of order (${what})`);
      if (outOfOrder.length > 3) found.push(`order: ${deviceId} … ${outOfOrder.length - 3} more`);
      return found;
    },
  };
}
