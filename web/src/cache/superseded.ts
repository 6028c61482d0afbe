// Which pending changes just lost to another device: a pulled record carries a newer stamp from
// another device on what the change writes, so replaying the change over the new base writes nothing.
// The app says "Changed on another device" for them (the change itself is kept, and simply loses).
import { compareHlc, parseHlc } from '../../../core/hlc.ts';
import { applyMutation, parseMutation } from '../../../core/mutations/index.ts';
import type { Change } from '../../../core/records.ts';
import type { Snapshot } from '../../../core/snapshot.ts';
import { MemoryTx } from '../../../core/store.ts';
import type { OutboxEntry } from '../sync/storage.ts';

function keysOf(entry: OutboxEntry): Set<string> | undefined {
  try {
    return new Set(parseMutation(entry).reads.map((k) => `${k.collection}/${k.id}`));
  } catch {
    return undefined; // a mutation the domain refuses is reported as rejected, not here
  }
}

function stillWrites(base: Snapshot, entry: OutboxEntry, deviceId: string, nowMs: number): boolean {
  const tx = new MemoryTx(base);
  try {
    applyMutation(tx, entry, { deviceId, nowMs });
  } catch {
    return true; // refused: the rejection path tells the user
  }
  return tx.changes().length > 0;
}

export function supersededEntries(options: {
  base: Snapshot;
  pulled: readonly Change[];
  pending: readonly OutboxEntry[];
  deviceId: string;
  nowMs: number;
}): OutboxEntry[] {
  const { base, pulled, deviceId, nowMs } = options;
  const foreign = pulled.filter((c) => parseHlc(c.record.hlc).deviceId !== deviceId);
  if (foreign.length === 0) return [];
  return options.pending.filter((entry) => {
    const keys = keysOf(entry);
    if (!keys) return false;
    const newer = foreign.some(
      (c) => keys.has(`${c.collection}/${c.record.id}`) && compareHlc(c.record.hlc, entry.hlc) > 0,
    );
    return newer && !stillWrites(base, entry, deviceId, nowMs);
  });
}
