import { describe, expect, it } from 'vitest';
import { createHlc } from '../../core/hlc.ts';
import { createOutbox } from '../../web/src/cache/outbox.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import { enqueueTest, record, testRebase } from './fakes.ts';

describe('outbox', () => {
  it('allocates consecutive ids across tabs sharing one store, with no repeats or gaps', async () => {
    const storage = createMemoryStorage();
    const tabs = [0, 1, 2].map(() => {
      const replica = createReplica(testRebase);
      const clock = createHlc('device_1700000000000_test', () => Date.now());
      return createOutbox({ replica, storage, clock });
    });
    const writes = Array.from({ length: 30 }, (_, i) =>
      enqueueTest(tabs[i % 3]!, 'put', { collection: 'tasks', record: record(`t${i}`) }),
    );
    const ids = (await Promise.all(writes)).map((e) => e?.id);
    expect([...ids].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const { outbox } = await storage.load();
    expect(outbox.map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('shows a mutation synchronously under a provisional id, then swaps in the stored one', async () => {
    const storage = createMemoryStorage();
    const replica = createReplica(testRebase);
    const outbox = createOutbox({
      replica,
      storage,
      clock: createHlc('device_1700000000000_test', Date.now),
    });
    const done = enqueueTest(outbox, 'put', { collection: 'tasks', record: record('a', { title: 'A' }) });
    expect(replica.pending.value.map((e) => e.id)).toEqual([-1]);
    expect(replica.view.value.taskById.get('a')?.title).toBe('A');
    await done;
    expect(replica.pending.value.map((e) => e.id)).toEqual([1]);
  });

  it('withdraws the optimistic change when the store refuses the write', async () => {
    const storage = { ...createMemoryStorage(), enqueue: () => Promise.reject(new Error('QuotaExceeded')) };
    const replica = createReplica(testRebase);
    const errors: unknown[] = [];
    const outbox = createOutbox({
      replica,
      storage,
      clock: createHlc('device_1700000000000_test', Date.now),
      onStoreError: (e) => errors.push(e),
    });
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('a') });
    expect(replica.pending.value).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('stamps each mutation with an increasing clock', async () => {
    const storage = createMemoryStorage();
    const replica = createReplica(testRebase);
    const outbox = createOutbox({ replica, storage, clock: createHlc('device_1700000000000_test', () => 5) });
    const a = await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('a') });
    const b = await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('b') });
    expect(a && b && a.hlc < b.hlc).toBe(true);
  });
});
