// The ports and messages around the sync loop: what it needs from the page (environment, poke
// source) and what it reports (events, status).
import type { CollectionName, RecordsByCollection } from '../../../core/records.ts';
import type { OutboxEntry } from './storage.ts';

export interface SyncEnvironment {
  /** Whether any tab of this app is visible (polling pauses when none is). */
  isVisible(): boolean;
  isOnline(): boolean;
  subscribe(listener: (event: 'visible' | 'hidden' | 'online' | 'offline' | 'focus') => void): () => void;
}

export interface Poke {
  version?: number;
  collections?: readonly CollectionName[];
  /** One commit's records, from `fromVersion` to `toVersion` (see streamed-pokes.ts). */
  stream?: {
    fromVersion: number;
    toVersion: number;
    changes: Partial<RecordsByCollection>;
  };
}

/** Seam for the real-time client: a poke triggers a pull; while connected, polling is suspended. */
export interface PokeSource {
  start(handlers: { onPoke(poke: Poke): void; onConnectionChange(connected: boolean): void }): () => void;
}

export interface SyncIntervals {
  defaultMs: number;
  perCollection?: Partial<Record<CollectionName, number>>;
}

export interface Rejection {
  entry: OutboxEntry;
  reason: string;
}

export interface SyncEvents {
  onPulled?(changes: Partial<RecordsByCollection>, versions: Partial<Record<CollectionName, number>>): void;
  onAcked?(ids: number[], version: number): void;
  onRejected?(rejections: Rejection[]): void;
  /** A change refused as ClockAhead was queued again as `to` (not a rejection: nothing rolls back). */
  onRestamped?(from: OutboxEntry, to: OutboxEntry): void;
  onReset?(): void;
  onUnauthorized?(): void;
  onStatus?(status: SyncStatus): void;
}

export interface SyncStatus {
  /** `unreachable`: the browser is online but the server does not answer at all. */
  phase: 'idle' | 'syncing' | 'offline' | 'unreachable' | 'failing' | 'signed-out';
  failures: number;
  lastSyncAt: number | null;
  lastError: string | null;
}
