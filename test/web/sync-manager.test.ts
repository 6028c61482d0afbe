import { effect } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHlc } from '../../core/hlc.ts';
import { createOutbox } from '../../web/src/cache/outbox.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import { createSyncManager, type PokeSource, type Rejection } from '../../web/src/sync/sync-manager.ts';
import { realTimers } from '../../web/src/sync/timers.ts';
import { enqueueTest, FakeEnvironment, FakeServer, networkError, record, testRebase } from './fakes.ts';

function setup(options: { random?: () => number; pokeSource?: PokeSource } = {}) {
  const server = new FakeServer();
  const env = new FakeEnvironment();
  const storage = createMemoryStorage();
  const replica = createReplica(testRebase);
  const rejected: Rejection[] = [];
  const manager = createSyncManager({
    replica,
    storage,
    transport: server,
    deviceId: 'device_1700000000000_test',
    env,
    timers: realTimers, // vi.useFakeTimers() replaces the globals these delegate to
    random: options.random ?? (() => 0.999),
    events: { onRejected: (r) => rejected.push(...r) },
    ...(options.pokeSource ? { pokeSource: options.pokeSource } : {}),
  });
  const clock = createHlc('device_1700000000000_test', () => Date.now());
  const outbox = createOutbox({ replica, storage, clock, onStored: () => manager.kick() });
  return { server, env, storage, replica, manager, outbox, rejected };
}

const titles = (snapshot: ReturnType<typeof createReplica>['view']['value']) =>
  snapshot.tasks.map((t) => String(t.title)).sort();

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sync manager', () => {
  it('drops a pull that answers after the manager was stopped: the storage may be another manager’s by then', async () => {
    const { server, storage, replica, manager } = setup();
    server.write('tasks', record('t1'));
    let release = () => {};
    server.gate = new Promise<void>((done) => {
      release = done;
    });
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toEqual(['pull 0']);
    manager.stop(); // the tab lost the lead, or the page went away, with the pull on the way
    server.gate = undefined;
    release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await storage.load()).versions.tasks).toBe(0);
    expect(replica.versions.value.tasks).toBe(0);
  });

  it('pulls at start and then polls every 5 s by default', async () => {
    const { server, manager } = setup();
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toEqual(['pull 0']);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toEqual(['pull 0', 'pull 0']);
    manager.stop();
  });

  it('marks the device synced after the first pull and whenever the version moves, not on idle polls', async () => {
    const { server, manager } = setup();
    manager.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.marks).toEqual([0]);
    server.write('tasks', record('t1'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.marks).toEqual([0, 1]);
    manager.stop();
  });

  it('polls collections on their own intervals when configured per collection', async () => {
    const { server, manager } = setup();
    manager.setIntervals({ defaultMs: 5_000, perCollection: { weights: 20_000, settings: 20_000 } });
    manager.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.calls.at(-1)).toBe('pull 0 tasks,completions');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(server.calls.at(-1)).toBe('pull 0');
    manager.stop();
  });

  it('backs off with full jitter from 1 s, doubling up to 60 s, and recovers', async () => {
    const { server, manager } = setup({ random: () => 0.999 });
    server.failures.push(...Array.from({ length: 8 }, networkError));
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    // The browser is online: the server is what cannot be reached (and this transport has no probe).
    expect(manager.status.value.phase).toBe('unreachable');
    const gaps: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const before = server.calls.length;
      const started = Date.now();
      while (server.calls.length === before) await vi.advanceTimersByTimeAsync(100);
      gaps.push(Math.round((Date.now() - started) / 1000));
    }
    // With random() ≈ 1 each delay is the ceiling: 1, 2, 4, … capped at 60 s.
    expect(gaps).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    expect(manager.status.value).toMatchObject({ phase: 'idle', failures: 0 });
    manager.stop();
  });

  it('draws each retry delay uniformly below the ceiling (full jitter)', async () => {
    const { server, manager } = setup({ random: () => 0.25 });
    server.failures.push(networkError(), networkError(), networkError());
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(249);
    expect(server.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 0.25 × 1 s
    expect(server.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(500); // 0.25 × 2 s
    expect(server.calls).toHaveLength(3);
    manager.stop();
  });

  it('pauses polling while hidden and pulls at once when visible or online again', async () => {
    const { server, env, manager } = setup();
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    env.emit('hidden');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.calls).toHaveLength(1);
    env.emit('visible');
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(2);
    env.emit('online');
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(3);
    manager.stop();
  });

  it('suspends polling while a poke source is connected and pulls on each poke', async () => {
    let handlers: Parameters<PokeSource['start']>[0] | undefined;
    const pokeSource: PokeSource = {
      start(h) {
        handlers = h;
        return () => {};
      },
    };
    const { server, manager } = setup({ pokeSource });
    manager.start();
    handlers?.onConnectionChange(true);
    await vi.advanceTimersByTimeAsync(0);
    const afterConnect = server.calls.length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.calls).toHaveLength(afterConnect);
    handlers?.onPoke({ version: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toHaveLength(afterConnect + 1);
    handlers?.onConnectionChange(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.calls.length).toBeGreaterThan(afterConnect + 1);
    manager.stop();
  });

  it('retries a failed poke-triggered pull with backoff while the socket stays connected', async () => {
    let handlers: Parameters<PokeSource['start']>[0] | undefined;
    const pokeSource: PokeSource = {
      start(h) {
        handlers = h;
        return () => {};
      },
    };
    const { server, replica, manager } = setup({ pokeSource, random: () => 0.999 });
    manager.start();
    handlers?.onConnectionChange(true);
    await vi.advanceTimersByTimeAsync(0);
    server.write('tasks', record('t1', { title: 'Run' }));
    server.failures.push(networkError());
    handlers?.onPoke({ version: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(titles(replica.view.value)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(titles(replica.view.value)).toEqual(['Run']);
    expect(manager.status.value.failures).toBe(0);
    manager.stop();
  });
});

describe('a push answer that carries its records', () => {
  it('applies its own change from the answer and does not pull it back', async () => {
    const { server, storage, replica, manager, outbox } = setup();
    server.streamsPushes = true;
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    const before = server.calls.length;
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('t1', { title: 'Run' }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls.slice(before)).toEqual(['push 1']);
    expect(replica.pending.value).toEqual([]);
    expect(replica.versions.value.tasks).toBe(1);
    expect(replica.base.value.tasks.map((t) => t.id)).toEqual(['t1']);
    expect((await storage.load()).versions.tasks).toBe(1);
    manager.stop();
  });

  it('still pulls when another device wrote first (the answer does not start where the device stands)', async () => {
    const { server, replica, manager, outbox } = setup();
    server.streamsPushes = true;
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    server.write('tasks', record('other', { title: 'Swim' }));
    const before = server.calls.length;
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('t1', { title: 'Run' }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls.slice(before)).toEqual(['push 1', 'pull 0']);
    expect(titles(replica.view.value)).toEqual(['Run', 'Swim']);
    expect(replica.pending.value).toEqual([]);
    manager.stop();
  });
});

describe('storing what was pulled', () => {
  it('shows a pulled change before storage has written it (an IndexedDB commit the screen need not wait for)', async () => {
    const { server, storage, replica, manager } = setup();
    const store = storage.applyPull.bind(storage);
    let release = () => {};
    const held = new Promise<void>((done) => {
      release = done;
    });
    storage.applyPull = async (changes, versions) => {
      await held;
      return store(changes, versions);
    };
    server.write('tasks', record('t1', { title: 'Run' }));
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(titles(replica.view.value)).toEqual(['Run']);
    expect((await storage.load()).versions.tasks).toBe(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect((await storage.load()).records.tasks.map((t) => t.id)).toEqual(['t1']);
    expect((await storage.load()).versions.tasks).toBe(1);
    manager.stop();
  });

  it('pulls a change again when storing it failed, so storage never claims a version whose records it lacks', async () => {
    const { server, storage, replica, manager } = setup({ random: () => 0.999 });
    const store = storage.applyPull.bind(storage);
    let refusals = 1;
    storage.applyPull = async (changes, versions) => {
      if (refusals-- > 0) throw new Error('QuotaExceededError');
      return store(changes, versions);
    };
    server.write('tasks', record('t1', { title: 'Run' }));
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(replica.versions.value.tasks).toBe(0);
    expect(manager.status.value.failures).toBe(1);
    server.write('tasks', record('t2', { title: 'Swim' }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.calls.filter((c) => c === 'pull 0')).toHaveLength(2);
    const stored = await storage.load();
    expect(stored.records.tasks.map((t) => t.id).sort()).toEqual(['t1', 't2']);
    expect(stored.versions.tasks).toBe(2);
    expect(titles(replica.view.value)).toEqual(['Run', 'Swim']);
    manager.stop();
  });
});

describe('optimistic mutations', () => {
  it('shows a mutation at once and never drops it while a poll races the push (no flicker)', async () => {
    const { server, replica, manager, outbox } = setup();
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    const seen: string[][] = [];
    const dispose = effect(() => {
      seen.push(titles(replica.view.value));
    });
    let release = () => {};
    server.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    void enqueueTest(outbox, 'put', { collection: 'tasks', record: record('t1', { title: 'Run' }) });
    expect(titles(replica.view.value)).toEqual(['Run']); // before any answer
    server.write('tasks', record('t0', { title: 'Read' })); // another device, meanwhile
    release();
    server.gate = undefined;
    await vi.advanceTimersByTimeAsync(10_000);
    dispose();
    expect(titles(replica.view.value)).toEqual(['Read', 'Run']);
    expect(replica.pending.value).toEqual([]);
    // Once "Run" appeared it stayed in every intermediate view.
    const first = seen.findIndex((s) => s.includes('Run'));
    expect(seen.slice(first).every((s) => s.includes('Run'))).toBe(true);
    manager.stop();
  });

  it('keeps an acknowledged mutation pending until a pull brings its version', async () => {
    const { server, replica, manager, outbox } = setup();
    server.write('tasks', record('t0', { title: 'Read' }));
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    server.pullFailures.push(networkError()); // the pull after the push fails
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('t1', { title: 'Run' }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.lastMutationId).toBe(1);
    expect(replica.pending.value.map((e) => e.ackedAtVersion)).toEqual([2]);
    expect(titles(replica.view.value)).toEqual(['Read', 'Run']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(replica.pending.value).toEqual([]);
    expect(titles(replica.base.value)).toEqual(['Read', 'Run']);
    manager.stop();
  });

  it('rolls back a rejected mutation and reports why, without blocking the queue', async () => {
    const { replica, manager, outbox, rejected } = setup();
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    void enqueueTest(outbox, 'complete-archived', { taskId: 'x' });
    void enqueueTest(outbox, 'put', { collection: 'tasks', record: record('t2', { title: 'Swim' }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(rejected.map((r) => [r.entry.name, r.reason])).toEqual([
      ['complete-archived', 'The task is archived'],
    ]);
    expect(replica.pending.value).toEqual([]);
    expect(titles(replica.view.value)).toEqual(['Swim']);
    manager.stop();
  });

  it('keeps queued mutations through failures and pushes each exactly once', async () => {
    const { server, replica, manager, outbox } = setup();
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    server.failures.push(networkError(), networkError());
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('a', { title: 'A' }) });
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('b', { title: 'B' }) });
    expect(replica.pending.value).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.calls.filter((c) => c.startsWith('push')).at(-1)).toBe('push 1,2');
    expect(server.lastMutationId).toBe(2);
    expect(titles(replica.view.value)).toEqual(['A', 'B']);
    manager.stop();
  });
});

describe('reset', () => {
  it('rebuilds base from the snapshot when the server no longer knows our version', async () => {
    const { server, replica, storage, manager } = setup();
    server.write('tasks', record('old', { title: 'Old' }));
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(titles(replica.view.value)).toEqual(['Old']);
    // The server lost its history (say, restored from a backup): it is back at version 0.
    server.records.clear();
    server.version = 0;
    server.records.set('tasks/new', {
      collection: 'tasks',
      record: record('new', { title: 'New' }),
      version: 0,
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.calls.at(-1)).toBe('pull 1');
    expect(titles(replica.base.value)).toEqual(['New']);
    expect(replica.versions.value.tasks).toBe(0);
    const stored = await storage.load();
    expect(stored.records.tasks.map((t) => t.id)).toEqual(['new']);
    manager.stop();
  });
});
