// The compatibility API: the public names components have always used for screen data
// (docs/architecture.md, "The compatibility API"), kept working on top of the replica. The original
// polling design cached fetched screen data in localStorage and patched it optimistically; here the
// screen data of a known key is *derived* from the rebased view, so it is always consistent with the
// outbox, survives reloads (IndexedDB) and updates on every pull without a refetch. A key the app does
// not derive keeps the original behaviour: fetch, keep in memory, refetch on sync.
import {
  computed,
  type ReadonlySignal,
  type Signal,
  signal,
  useComputed,
  useSignalEffect,
} from '@preact/signals';
import { createContext } from 'preact';
import { useContext, useMemo } from 'preact/hooks';
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

export interface CacheEntry<T> {
  data: ReadonlySignal<T | undefined>;
  isLoading: ReadonlySignal<boolean>;
  refresh(): Promise<void>;
  /** Fetched keys only: moves whenever a pull lands, so readers refetch. */
  version?: ReadonlySignal<unknown>;
}

export interface ReactiveCache {
  /** A signal of a key's data, for models and tests (the hook wraps it for components). */
  reactiveCache<T>(key: CacheKey, fetcher?: () => Promise<T>): CacheEntry<T>;
  useReactiveCache<T>(key: CacheKey, fetcher?: () => Promise<T>): UseReactiveCache<T>;
  /** Starts (or re-times) background sync, polling every `intervalMs`. */
  startBackgroundSync(intervalMs?: number, perCollection?: SyncIntervals['perCollection']): void;
  /** Runs `action`, then pushes and pulls at once instead of waiting for the next poll. */
  withFullRefresh<T>(action: () => Promise<T> | T): Promise<T>;
  /** Completes a task (today by default) optimistically, at most once per task and day. */
  markTaskCompleted(taskId: string, date?: string): Promise<void>;
}

export interface UseReactiveCache<T> {
  data: T | undefined;
  isLoading: boolean;
  refresh(): Promise<void>;
}

const derivations: Record<string, (a: AppModel) => unknown> = {
  [CACHE_KEYS.HOME_DATA]: (a) => homeData(a.view.value, a.today.value),
  [CACHE_KEYS.HEALTH_DATA]: (a) => healthData(a.view.value, a.today.value),
  [CACHE_KEYS.DASHBOARD]: (a) => dashboard(a.view.value, a.today.value),
};

export function createReactiveCache(app: AppModel): ReactiveCache {
  const fetched = new Map<string, Signal<unknown>>();

  function fetchedEntry<T>(key: string, fetcher?: () => Promise<T>): CacheEntry<T> {
    let slot = fetched.get(key);
    if (!slot) {
      slot = signal<unknown>(undefined);
      fetched.set(key, slot);
    }
    const data = slot as Signal<T | undefined>;
    const isLoading = signal(data.value === undefined);
    const refresh = async () => {
      if (!fetcher) return;
      try {
        data.value = await fetcher();
      } finally {
        isLoading.value = false;
      }
    };
    const version = computed(() => app.session.value?.replica.versions.value);
    return { data, isLoading, refresh, version };
  }

  function reactiveCache<T>(key: CacheKey, fetcher?: () => Promise<T>): CacheEntry<T> {
    const derive = derivations[key];
    if (!derive) return fetchedEntry(key, fetcher);
    const data = computed(() => derive(app) as T);
    return { data, isLoading: computed(() => !app.hasData.value), refresh: () => app.refresh() };
  }

  return {
    reactiveCache,
    useReactiveCache<T>(key: CacheKey, fetcher?: () => Promise<T>) {
      // One entry per key for the component's life.
      const entry = useMemo(() => reactiveCache<T>(key, fetcher), [key]);
      useSignalEffect(() => {
        if (!entry.version) return;
        void entry.version.value;
        void entry.refresh().catch(() => undefined);
      });
      const data = useComputed(() => entry.data.value);
      const isLoading = useComputed(() => entry.isLoading.value);
      return { data: data.value, isLoading: isLoading.value, refresh: entry.refresh };
    },
    startBackgroundSync(intervalMs = 5_000, perCollection) {
      app.setSyncIntervals({ defaultMs: intervalMs, ...(perCollection ? { perCollection } : {}) });
    },
    async withFullRefresh(action) {
      const result = await action();
      await app.refresh();
      return result;
    },
    async markTaskCompleted(taskId, date) {
      const args = completeTaskArgs(app.view.peek(), taskId, date ?? app.today.peek());
      if (args) await app.mutate('completeTask', args);
    },
  };
}

/** Where components find the app's cache; the composition root provides it. */
export const ReactiveCacheContext = createContext<ReactiveCache | null>(null);

export function useReactiveCache<T>(key: CacheKey, fetcher?: () => Promise<T>): UseReactiveCache<T> {
  const cache = useContext(ReactiveCacheContext);
  if (!cache)
    throw new Error('useReactiveCache needs a ReactiveCacheContext provider (see web/src/main.tsx)');
  return cache.useReactiveCache(key, fetcher);
}
