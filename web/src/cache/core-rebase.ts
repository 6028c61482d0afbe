// The rebase with the shared core mutations: the very functions the server runs, replayed over base.
// The view is base advanced by what the pending mutations wrote, so only the touched indexes of the
// snapshot are rebuilt on each tap.
import { applyMutation } from '../../../core/mutations/index.ts';
import { snapshotWith } from '../../../core/snapshot.ts';
import { MemoryTx } from '../../../core/store.ts';
import type { Rebase, RebaseFailure } from './replica.ts';

export function createCoreRebase(deviceId: string, now: () => number = Date.now): Rebase {
  return (base, pending) => {
    if (pending.length === 0) return { view: base, failures: [] };
    const tx = new MemoryTx(base);
    const failures: RebaseFailure[] = [];
    const ctx = { deviceId, nowMs: now() };
    for (const entry of pending) {
      // Each mutation writes into its own child first, so one that throws leaves nothing behind.
      const child = new MemoryTx(tx);
      try {
        applyMutation(child, entry, ctx);
        for (const change of child.changes()) tx.put(change.collection, change.record);
      } catch (error) {
        failures.push({ entry, error });
      }
    }
    return { view: snapshotWith(base, tx.changes()), failures };
  };
}
