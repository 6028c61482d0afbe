// The seed's public names (seed/realtime-sync.md, "Usage Examples"), kept working on top of the
// replica. The seed cached fetched screen data in localStorage and patched it optimistically; here
// the screen data of a known key is *derived* from the rebased view, so it is always consistent with
// the outbox, survives reloads (IndexedDB) and updates on every pull without a refetch. A key the app
// does not derive falls back to the seed's behaviour: fetch, keep in memory, refetch on sync.
import { computed, type ReadonlySignal, signal, useComputed, useSignalEffect } from '@preact/signals';
import { useMemo } from 'preact/hooks';
import { dashboard, healthData, homeData } from '../../../core/stats/index.ts';
import type { AppModel } from '../app/app-model.ts';
import type { SyncIntervals } from '../sync/sync-manager.ts';
import { completeTaskArgs } from './task-actions.ts';

export const CACHE_KEYS = {
  HOME_DATA: 'home-data',
  HEALTH_DATA: 'health-data',
  DASHBOARD: 'dashboard',
} as const;
export type CacheKey = (typeof CACHE_KEYS)[keyof typeof CACHE_KEYS] | (string & {});

let app: AppModel | undefined;

/** The composition root binds the running app once. */
export function bindReactiveCache(model: AppModel): void {
  app = model;
}

function requireApp(): AppModel {
  if (!app) throw new Error('bindReactiveCache(app) must run before the reactive cache is used');
  return app;
}

const derivations: Record<string, (a: AppModel) => unknown> = {
  [CACHE_KEYS.HOME_DATA]: (a) => homeData(a.view.value, a.today.value),
  [CACHE_KEYS.HEALTH_DATA]: (a) => healthData(a.view.value, a.today.value),
  [CACHE_KEYS.DASHBOARD]: (a) => dashboard(a.view.value, a.today.value),
};

/** A signal of a cache key's data, for models and tests (the hook wraps it for components). */
export function reactiveCache<T>(key: CacheKey, fetcher?: () => Promise<T>) {
  const a = requireApp();
  const derive = derivations[key];
  if (derive) {
    const data = computed(() => derive(a) as T);
    return { data, isLoading: computed(() => !a.hasData.value), refresh: () => a.refresh() };
  }
  return fetchedCache(a, key, fetcher);
}

const fetched = new Map<string, ReturnType<typeof signal<unknown>>>();

function fetchedCache<T>(a: AppModel, key: string, fetcher?: () => Promise<T>) {
  let slot = fetched.get(key);
  if (!slot) {
    slot = signal<unknown>(undefined);
    fetched.set(key, slot);
  }
  const data = slot as ReturnType<typeof signal<T | undefined>>;
  const isLoading = signal(data.value === undefined);
  const refresh = async () => {
    if (!fetcher) return;
    try {
      data.value = await fetcher();
    } finally {
      isLoading.value = false;
    }
  };
  // Refetch whenever the replica moves (a pull landed): the seed's "refresh on sync".
  const version = computed(() => a.session.value?.replica.versions.value);
  return { data: data as ReadonlySignal<T | undefined>, isLoading, refresh, version };
}

export function useReactiveCache<T>(key: CacheKey, fetcher?: () => Promise<T>) {
  // One cache per key for the component's life.
  const cache = useMemo(() => reactiveCache<T>(key, fetcher), [key]);
  useSignalEffect(() => {
    if ('version' in cache) {
      void cache.version.value;
      void cache.refresh().catch(() => undefined);
    }
  });
  const data = useComputed(() => cache.data.value);
  const isLoading = useComputed(() => cache.isLoading.value);
  return { data: data.value, isLoading: isLoading.value, refresh: cache.refresh };
}

/** Starts (or re-times) background sync; the seed called it with the polling interval in ms. */
export function startBackgroundSync(
  intervalMs = 5_000,
  perCollection?: SyncIntervals['perCollection'],
): void {
  requireApp().setSyncIntervals({ defaultMs: intervalMs, ...(perCollection ? { perCollection } : {}) });
}

/** Runs `action`, then pushes and pulls at once instead of waiting for the next poll. */
export async function withFullRefresh<T>(action: () => Promise<T> | T): Promise<T> {
  const result = await action();
  await requireApp().refresh();
  return result;
}

/**
 * The seed's optimistic pair. Completing is one mutation here, and leaving the incomplete list is its
 * consequence in the derived view, so both names queue the same completion — at most once for a
 * task and day, however many of the two a caller uses.
 */
export function markTaskCompleted(taskId: string, date?: string): Promise<void> {
  return ensureCompleted(taskId, date);
}

export function removeTaskFromIncomplete(taskId: string, date?: string): Promise<void> {
  return ensureCompleted(taskId, date);
}

async function ensureCompleted(taskId: string, date?: string): Promise<void> {
  const a = requireApp();
  const args = completeTaskArgs(a.view.peek(), taskId, date ?? a.today.peek());
  if (args) await a.mutate('completeTask', args);
}
