// The browser side of SyncEnvironment: visibility, focus and connectivity events. Polling pauses only
// when no tab of the app is visible, so the visibility of every tab is shared over the tab channel
// (the leader may well be a hidden tab while another one is on screen).

import type { SyncEnvironment } from '../sync/sync-manager.ts';
import type { TabChannel } from '../sync/tab-channel.ts';

type EnvEvent = Parameters<Parameters<SyncEnvironment['subscribe']>[0]>[0];

export interface BrowserEnvironment extends SyncEnvironment {
  /** Ask the other tabs to report whether they are visible (a new leader does). */
  announce(): void;
  dispose(): void;
}

export function createBrowserEnvironment(channel: TabChannel, tabId: string): BrowserEnvironment {
  const listeners = new Set<(event: EnvEvent) => void>();
  const visibleTabs = new Set<string>();
  const selfVisible = () => document.visibilityState === 'visible';
  const anyVisible = () => selfVisible() || visibleTabs.size > 0;
  const emit = (event: EnvEvent) => {
    for (const listener of listeners) listener(event);
  };
  const report = () => channel.post({ type: 'visibility', tabId, visible: selfVisible() });

  // Track the aggregate so listeners hear 'visible'/'hidden' only when it flips.
  let wasVisible = anyVisible();
  const recompute = () => {
    const now = anyVisible();
    if (now !== wasVisible) emit(now ? 'visible' : 'hidden');
    wasVisible = now;
  };
  const onVisibility = () => {
    report();
    recompute();
  };
  const onFocus = () => emit('focus');
  const onOnline = () => emit('online');
  const onOffline = () => emit('offline');
  const onPageHide = () => channel.post({ type: 'visibility', tabId, visible: false });
  const unsubscribe = channel.subscribe((message) => {
    if (message.type === 'hello') report();
    if (message.type !== 'visibility' || message.tabId === tabId) return;
    if (message.visible) visibleTabs.add(message.tabId);
    else visibleTabs.delete(message.tabId);
    recompute();
  });
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('focus', onFocus);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  window.addEventListener('pagehide', onPageHide);
  report();

  return {
    isVisible: anyVisible,
    isOnline: () => navigator.onLine,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    announce: () => channel.post({ type: 'hello', tabId }),
    dispose() {
      unsubscribe();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('pagehide', onPageHide);
    },
  };
}
