// What tabs of one device tell each other over BroadcastChannel. The leader does the network work and
// broadcasts its results; every tab applies them to its own signals (IndexedDB already holds them).
import type { CollectionName, RecordsByCollection } from '../../../core/records.ts';
import type { OutboxEntry } from './storage.ts';
import type { Rejection, SyncStatus } from './sync-manager.ts';

export type TabMessage =
  | { type: 'enqueued'; entry: OutboxEntry }
  | {
      type: 'pulled';
      changes: Partial<RecordsByCollection>;
      versions: Partial<Record<CollectionName, number>>;
    }
  | { type: 'acked'; ids: number[]; version: number }
  | { type: 'rejected'; rejections: Rejection[] }
  /** Pending changes that lost to a newer edit from another device: every tab says so. */
  | { type: 'superseded'; entries: OutboxEntry[] }
  | { type: 'restamped'; from: OutboxEntry; to: OutboxEntry }
  | { type: 'reset' }
  | { type: 'status'; status: SyncStatus }
  | { type: 'visibility'; tabId: string; visible: boolean }
  | { type: 'hello'; tabId: string }
  | { type: 'sync-request' }
  | { type: 'leader-alive' }
  | { type: 'signed-out' };

export interface TabChannel {
  post(message: TabMessage): void;
  subscribe(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

export function openTabChannel(name: string): TabChannel {
  if (typeof BroadcastChannel === 'undefined') return loneTab();
  const channel = new BroadcastChannel(name);
  const listeners = new Set<(message: TabMessage) => void>();
  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    for (const listener of listeners) listener(event.data);
  };
  return {
    post: (message) => channel.postMessage(message),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => channel.close(),
  };
}

/** Without BroadcastChannel every tab is on its own (and leads itself). */
export function loneTab(): TabChannel {
  return { post() {}, subscribe: () => () => {}, close() {} };
}
