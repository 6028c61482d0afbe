// The words of the always-visible sync status. They start with "Synced", "Syncing", "Offline",
// "Can't reach the server" or "N pending", which is what people (and tests) look for. "Offline" is
// only said when the browser is offline: an online browser whose server does not answer is told so.
import type { SyncStatus } from '../sync/sync-manager.ts';

export const REFRESH_AFTER_FAILURES = 3;

export function syncStatusText(status: SyncStatus, unacked: number, online: boolean, hasData = true): string {
  const pending = `${unacked} pending`;
  if (!online || status.phase === 'offline') return unacked ? `Offline · ${pending}` : 'Offline';
  if (status.phase === 'unreachable')
    return unacked ? `${pending} · can't reach the server` : "Can't reach the server";
  if (status.phase === 'signed-out') return unacked ? `${pending} · signed out` : 'Offline · signed out';
  if (status.phase === 'syncing' && unacked)
    return `Syncing ${unacked} ${unacked === 1 ? 'change' : 'changes'}…`;
  if (status.phase === 'syncing' && !hasData) return 'Syncing…';
  if (unacked) return status.phase === 'failing' ? `${pending} · retrying` : pending;
  if (status.phase === 'failing') return "Can't reach the server";
  return 'Synced';
}

/** After repeated failures, a manual Refresh; not while the browser is offline, where it cannot help. */
export function showsRefresh(status: SyncStatus, online = true): boolean {
  return online && status.failures >= REFRESH_AFTER_FAILURES;
}
