// The compatibility API (docs/architecture.md), used the way components have always used it.
import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { createHlc } from '../../core/hlc.ts';
import type { HomeData } from '../../core/stats/index.ts';
import type { AppModel } from '../../web/src/app/app-model.ts';
import { createCoreRebase } from '../../web/src/cache/core-rebase.ts';
import { createOutbox } from '../../web/src/cache/outbox.ts';
import { CACHE_KEYS, createReactiveCache } from '../../web/src/cache/reactive-cache.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import type { SyncIntervals } from '../../web/src/sync/sync-manager.ts';

const DEVICE = 'device_1700000000000_test';
const TODAY = '2026-03-02';
const TASK = '01900000-0000-7000-8000-000000000001';

async function fakeApp() {
  const storage = createMemoryStorage();
  const replica = createReplica(createCoreRebase(DEVICE));
  const outbox = createOutbox({ replica, storage, clock: createHlc(DEVICE, Date.now) });
  const calls: string[] = [];
  const intervals: SyncIntervals[] = [];
  const app = {
    view: replica.view,
    hasData: replica.hasData,
    today: signal(TODAY),
    session: signal(null),
    mutate: (async (name, args) => {
      calls.push(name);
      await outbox.enqueue(name, args);
    }) satisfies AppModel['mutate'],
    refresh: async () => {
      calls.push('refresh');
    },
    setSyncIntervals: (next: SyncIntervals) => intervals.push(next),
  } as unknown as AppModel;
  await app.mutate('createTask', {
    id: TASK,
    title: 'Read',
    points: 2,
    weekdays: [0, 1, 2, 3, 4, 5, 6],
    createdOn: '2026-03-01',
    order: 0,
  });
  calls.length = 0;
  return { app, replica, calls, intervals, ...createReactiveCache(app) };
}

describe('the compatibility API', () => {
  it('useReactiveCache data for HOME_DATA follows optimistic updates at once', async () => {
    const { replica, reactiveCache, markTaskCompleted } = await fakeApp();
    const { data, isLoading } = reactiveCache<HomeData>(CACHE_KEYS.HOME_DATA);
    expect(isLoading.value).toBe(false); // the outbox already holds data: no spinner
    const home = () => data.value as HomeData; // a derived key always has data
    expect(home().tasks.map((t) => [t.title, t.status])).toEqual([['Read', 'open']]);
    const pending = markTaskCompleted(TASK);
    expect(home().tasks.map((t) => t.status)).toEqual(['completed']); // before the store write
    expect(home().points.total).toBe(2);
    await pending;
    expect(replica.pending.value.map((e) => e.name)).toEqual(['createTask', 'completeTask']);
  });

  it('markTaskCompleted twice queues one completion, not two', async () => {
    const { calls, markTaskCompleted } = await fakeApp();
    await markTaskCompleted(TASK);
    await markTaskCompleted(TASK);
    expect(calls).toEqual(['completeTask']);
  });

  it('keeps no state between caches: each belongs to its own app', async () => {
    const one = await fakeApp();
    const two = await fakeApp();
    await one.reactiveCache('custom-report', async () => 'one').refresh();
    expect(two.reactiveCache('custom-report', async () => 'two').data.value).toBeUndefined();
  });

  it('withFullRefresh runs the action, then syncs at once, and returns its result', async () => {
    const { calls, withFullRefresh, markTaskCompleted } = await fakeApp();
    const result = await withFullRefresh(async () => {
      await markTaskCompleted(TASK);
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toEqual(['completeTask', 'refresh']);
  });

  it('startBackgroundSync sets the polling interval, as a whole and per collection', async () => {
    const { intervals, startBackgroundSync } = await fakeApp();
    startBackgroundSync(5_000);
    startBackgroundSync(10_000, { weights: 60_000 });
    expect(intervals).toEqual([
      { defaultMs: 5_000 },
      { defaultMs: 10_000, perCollection: { weights: 60_000 } },
    ]);
  });

  it('a key the app does not derive behaves as it always did: fetched, cached, refreshed', async () => {
    const { reactiveCache } = await fakeApp();
    let calls = 0;
    const fetcher = async () => ({ greeting: `hello ${++calls}` });
    const first = reactiveCache('custom-report', fetcher);
    expect(first.isLoading.value).toBe(true);
    await first.refresh();
    expect(first.data.value).toEqual({ greeting: 'hello 1' });
    expect(first.isLoading.value).toBe(false);
    // A second reader of the same key sees the cached data at once, without a spinner.
    const second = reactiveCache('custom-report', fetcher);
    expect(second.data.value).toEqual({ greeting: 'hello 1' });
    expect(second.isLoading.value).toBe(false);
  });
});
