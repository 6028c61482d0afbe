// The browser's side of a user session: IndexedDB (or memory when the browser refuses it), the
// device id, BroadcastChannel, Web Locks, page visibility and real timers. Tests pass their own.
import { type BrowserEnvironment, createBrowserEnvironment } from '../env/browser-env.ts';
import { openClockOffset } from '../env/clock-offset-store.ts';
import { deviceIdFor } from '../env/device-id.ts';
import type { ClockOffset } from '../sync/clock-offset.ts';
import { openIdbStorage } from '../sync/idb-storage.ts';
import { electLeader } from '../sync/leader.ts';
import { createMemoryStorage } from '../sync/memory-storage.ts';
import type { ReplicaStorage } from '../sync/storage.ts';
import { openTabChannel, type TabChannel } from '../sync/tab-channel.ts';
import { realTimers, type Timers } from '../sync/timers.ts';
import { createFetchTransport, type SyncTransport } from '../sync/transport.ts';
import type { ElectLeader } from './leadership.ts';
import { yieldToBrowser } from './warm-history.ts';

export interface SessionPlatform {
  openStorage(userId: string): Promise<{ storage: ReplicaStorage; created: boolean }>;
  deviceIdFor(userId: string, created: boolean): string;
  openChannel(name: string): TabChannel;
  environment(channel: TabChannel, tabId: string): BrowserEnvironment;
  elect: ElectLeader;
  isPageVisible(): boolean;
  timers: Timers;
  transport(): SyncTransport;
  newTabId(): string;
  /** The clock offset estimate, persisted where the platform can (default: in memory, on `timers`). */
  clockOffset?(): ClockOffset;
  /** Calls `listener` when this tab goes out of sight or is left; returns the unsubscribe. */
  onPageLeave?(listener: () => void): () => void;
  /**
   * Yields to the browser between slices of the start's work (warm-history.ts); without it, that
   * work runs in one go.
   */
  pause?(): Promise<void>;
}

function onPageLeave(listener: () => void): () => void {
  const onHidden = () => {
    if (document.visibilityState === 'hidden') listener();
  };
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', listener);
  return () => {
    document.removeEventListener('visibilitychange', onHidden);
    window.removeEventListener('pagehide', listener);
  };
}

async function openStorage(userId: string): Promise<{ storage: ReplicaStorage; created: boolean }> {
  try {
    return await openIdbStorage(userId);
  } catch {
    // Private modes without IndexedDB still get a working (if forgetful) app.
    return { storage: createMemoryStorage(), created: true };
  }
}

export const browserPlatform: SessionPlatform = {
  openStorage,
  deviceIdFor,
  openChannel: openTabChannel,
  environment: createBrowserEnvironment,
  elect: electLeader,
  isPageVisible: () => document.visibilityState === 'visible',
  timers: realTimers,
  transport: () => createFetchTransport(),
  newTabId: () => Math.random().toString(36).slice(2),
  clockOffset: () => openClockOffset(),
  onPageLeave,
  pause: yieldToBrowser,
};
