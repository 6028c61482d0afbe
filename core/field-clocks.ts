// Last writer wins per field group, for records edited a few fields at a time (tasks, settings).
//
// With one stamp per record, "device A renames a task" and "device B changes its points" would
// race: whichever arrived last would carry the other's stale value and erase its change. With one
// stamp per field group both edits survive, and the result is the same in every arrival order.
import { compareHlcAt, type Hlc } from './hlc.ts';

interface Clocked<G extends string> {
  hlc: Hlc;
  clocks: { [K in G]?: Hlc };
}

/**
 * Apply each group of `changes` whose stamp is older than `hlc`; groups already written at or after
 * `hlc` keep their value (as judged at `nowMs`, see compareHlcAt). Returns the new record, or
 * undefined when nothing changed (a replay).
 */
export function mergeFieldGroups<G extends string, R extends Clocked<G>>(
  record: R,
  changes: { [K in G]?: Partial<Omit<R, 'hlc' | 'clocks'>> },
  hlc: Hlc,
  nowMs: number,
): R | undefined {
  let next: R | undefined;
  for (const group of Object.keys(changes) as G[]) {
    const fields = changes[group];
    if (fields === undefined) continue;
    const stamp = record.clocks[group];
    if (stamp !== undefined && compareHlcAt(hlc, stamp, nowMs) <= 0) continue;
    next ??= { ...record, clocks: { ...record.clocks } };
    Object.assign(next, fields);
    next.clocks[group] = hlc;
  }
  if (next && compareHlcAt(hlc, next.hlc, nowMs) > 0) next.hlc = hlc;
  return next;
}
