// How a tab applies what the other tabs of the device tell it. IndexedDB already holds every change
// the message describes; the message only brings this tab's signals (and its clock) up to date.
import type { Signal } from '@preact/signals';
import type { HlcClock } from '../../../core/hlc.ts';
import type { RecordsByCollection } from '../../../core/records.ts';
import type { Replica } from '../cache/replica.ts';
import type { OutboxEntry } from '../sync/storage.ts';
import type { Rejection, SyncManager, SyncStatus } from '../sync/sync-manager.ts';
import type { TabMessage } from '../sync/tab-channel.ts';

export interface TabApplierDeps {
  replica: Replica;
  clock: HlcClock;
  /** The follower's copy of the leader's status. */
  status: Signal<SyncStatus>;
  /** This tab's sync manager while it leads. */
  manager(): SyncManager | undefined;
  onRejected(rejections: Rejection[]): void;
  onSuperseded?(entries: OutboxEntry[]): void;
  onUnauthorized(): void;
}

/** Every stamp a pull brought: this device's next stamps must sort after them. */
export function observePulled(clock: HlcClock, changes: Partial<RecordsByCollection>): void {
  for (const list of Object.values(changes)) for (const r of list ?? []) if (r.hlc) clock.observe(r.hlc);
}

export function createTabApplier(deps: TabApplierDeps): (message: TabMessage) => void {
  const { replica } = deps;
  return (message) => {
    switch (message.type) {
      case 'enqueued':
        deps.clock.observe(message.entry.hlc);
        replica.addPending(message.entry);
        deps.manager()?.kick();
        break;
      case 'pulled':
        observePulled(deps.clock, message.changes);
        replica.mergePulled(message.changes, message.versions);
        break;
      case 'acked':
        replica.markAcked(message.ids, message.version);
        break;
      case 'rejected':
        replica.dropPending(message.rejections.map((r) => r.entry.id));
        deps.onRejected(message.rejections);
        break;
      case 'superseded':
        deps.onSuperseded?.(message.entries);
        break;
      case 'restamped':
        replica.dropPending([message.from.id]);
        replica.addPending(message.to);
        break;
      case 'reset':
        replica.clearBase();
        break;
      case 'status':
        if (!deps.manager()) deps.status.value = message.status;
        break;
      case 'sync-request':
        void deps.manager()?.syncNow();
        break;
      case 'signed-out':
        deps.onUnauthorized();
        break;
    }
  };
}
