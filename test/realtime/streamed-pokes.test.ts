// Pokes that carry a commit's records: a device standing exactly at `fromVersion` applies them
// without a pull, even while it pushes; one that came before the poke it follows waits briefly for it;
// any other pulls. Whatever happens to the pokes on the way (lost, duplicated,
// reordered, delayed, sent without records), the device ends with the server's records once a
// heartbeat tells it the latest version.
import * as fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHlc } from '../../core/hlc.ts';
import type { CollectionName as Collection, StoredRecord as SyncRecord } from '../../core/records.ts';
import type { MutationEnvelope } from '../../core/schemas/sync-schemas.ts';
import { createOutbox } from '../../web/src/cache/outbox.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import { POKE_GAP_MS } from '../../web/src/sync/streamed-pokes.ts';
import {
  BEHIND_RETRY_MS,
  createSyncManager,
  type Poke,
  type PokeSource,
} from '../../web/src/sync/sync-manager.ts';
import { realTimers } from '../../web/src/sync/timers.ts';
import { enqueueTest, FakeEnvironment, FakeServer, record, testRebase } from '../web/fakes.ts';

type Handlers = Parameters<PokeSource['start']>[0];

/** A server whose pushes wait for `release()` before they are applied: a push in flight. */
class HeldPushServer extends FakeServer {
  private waiting: Array<() => void> = [];
  holding = false;
  override async push(deviceId: string, mutations: readonly MutationEnvelope[]) {
    if (this.holding) await new Promise<void>((done) => this.waiting.push(done));
    return super.push(deviceId, mutations);
  }
  release(): void {
    this.holding = false;
    for (const done of this.waiting.splice(0)) done();
  }
}

function setup() {
  let handlers: Handlers | undefined;
  const pokeSource: PokeSource = {
    start(h) {
      handlers = h;
      return () => undefined;
    },
  };
  const server = new HeldPushServer();
  const replica = createReplica(testRebase);
  const storage = createMemoryStorage();
  const manager = createSyncManager({
    replica,
    storage,
    transport: server,
    deviceId: 'device_1700000000000_test',
    env: new FakeEnvironment(),
    timers: realTimers,
    random: () => 0.5,
    pokeSource,
  });
  const poke = (p: Poke) => handlers?.onPoke(p);
  const connect = () => handlers?.onConnectionChange(true);
  const clock = createHlc('device_1700000000000_test', () => Date.now());
  const outbox = createOutbox({ replica, storage, clock, onStored: () => manager.kick() });
  return { server, replica, manager, poke, connect, outbox };
}

/** Started, its socket connected, and the first pull done. */
async function connected() {
  const started = setup();
  started.manager.start();
  started.connect();
  await vi.advanceTimersByTimeAsync(0);
  return started;
}

/** What the server's broadcast sends after a write: the poke, with the write's records. */
function commit(server: FakeServer, collection: Collection, rec: SyncRecord): Poke {
  server.write(collection, rec);
  const to = server.version;
  return {
    version: to,
    collections: [collection],
    stream: { fromVersion: to - 1, toVersion: to, changes: { [collection]: [rec] } },
  };
}

const pulls = (server: FakeServer) => server.calls.filter((c) => c.startsWith('pull')).length;

function baseRecords(replica: ReturnType<typeof createReplica>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { collection, record: r } of replica.base.value.records()) out[`${collection}/${r.id}`] = r;
  return out;
}

function serverRecords(server: FakeServer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, stored] of server.records) out[key] = stored.record;
  return out;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('streamed pokes', () => {
  it('applies a poke that continues where the device stands, without a pull', async () => {
    const { server, replica, manager, poke } = await connected();
    const before = pulls(server);
    poke(commit(server, 'tasks', record('t1', { title: 'Run' })));
    poke(commit(server, 'weights', record('2026-01-01', { value: 70 })));
    await vi.advanceTimersByTimeAsync(0);
    expect(pulls(server)).toBe(before);
    expect(replica.versions.value).toEqual({ tasks: 2, completions: 2, weights: 2, settings: 2 });
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    manager.stop();
  });

  it('pulls for a poke that does not continue from where the device stands, or carries no records', async () => {
    const { server, replica, manager, poke } = await connected();
    commit(server, 'tasks', record('t1')); // its poke was lost
    const before = pulls(server);
    poke(commit(server, 'tasks', record('t2')));
    await vi.advanceTimersByTimeAsync(POKE_GAP_MS);
    expect(pulls(server)).toBe(before + 1);
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    server.write('weights', record('2026-01-01'));
    poke({ version: server.version, collections: ['weights'] }); // too large to carry its records
    await vi.advanceTimersByTimeAsync(0);
    expect(pulls(server)).toBe(before + 2);
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    manager.stop();
  });

  it('ignores a poke the device has already passed', async () => {
    const { server, replica, manager, poke } = await connected();
    const first = commit(server, 'tasks', record('t1'));
    const second = commit(server, 'tasks', record('t2'));
    // The first is lost: the second waits for it, then the device pulls (and gets both).
    poke(second);
    await vi.advanceTimersByTimeAsync(POKE_GAP_MS);
    const afterPull = pulls(server);
    poke(first);
    poke(second);
    await vi.advanceTimersByTimeAsync(POKE_GAP_MS);
    expect(pulls(server)).toBe(afterPull);
    expect(replica.versions.value.tasks).toBe(2);
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    manager.stop();
  });

  it('holds a poke that came before the one it follows and applies both once that one comes, without a pull', async () => {
    const { server, replica, manager, poke } = await connected();
    const before = pulls(server);
    const first = commit(server, 'tasks', record('t1'));
    const second = commit(server, 'weights', record('2026-01-01'));
    poke(second);
    await vi.advanceTimersByTimeAsync(POKE_GAP_MS - 1);
    expect(replica.versions.value.tasks).toBe(0);
    poke(first);
    await vi.advanceTimersByTimeAsync(POKE_GAP_MS);
    expect(pulls(server)).toBe(before);
    expect(replica.versions.value).toEqual({ tasks: 2, completions: 2, weights: 2, settings: 2 });
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    manager.stop();
  });

  it('pulls when the poke a held one follows has not come within the gap time', async () => {
    const { server, replica, manager, poke } = await connected();
    const before = pulls(server);
    commit(server, 'tasks', record('t1')); // its poke was lost
    poke(commit(server, 'tasks', record('t2')));
    await vi.advanceTimersByTimeAsync(POKE_GAP_MS - 1);
    expect(pulls(server)).toBe(before);
    await vi.advanceTimersByTimeAsync(1);
    expect(pulls(server)).toBe(before + 1);
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    // A heartbeat above every held poke is pulled at once.
    commit(server, 'tasks', record('t3')); // lost
    poke(commit(server, 'tasks', record('t4')));
    commit(server, 'tasks', record('t5')); // lost
    poke({ version: server.version });
    await vi.advanceTimersByTimeAsync(0);
    expect(pulls(server)).toBe(before + 2);
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    manager.stop();
  });

  it('applies a continuing poke while its own push is in flight, the pending change rebased over it', async () => {
    const { server, replica, manager, poke, outbox } = await connected();
    server.holding = true;
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('t1', { title: 'mine' }) });
    await vi.advanceTimersByTimeAsync(0);
    const before = pulls(server);
    // Another device's change to the same task and a new one, while this device's push waits.
    poke(commit(server, 'tasks', record('t1', { title: 'theirs' })));
    poke(commit(server, 'tasks', record('t2', { title: 'other' })));
    await vi.advanceTimersByTimeAsync(0);
    expect(pulls(server)).toBe(before);
    expect(replica.versions.value).toEqual({ tasks: 2, completions: 2, weights: 2, settings: 2 });
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    const title = (id: string) => replica.view.value.tasks.find((t) => t.id === id)?.title;
    expect([title('t1'), title('t2')]).toEqual(['mine', 'other']);
    expect(replica.unacked().map((e) => e.name)).toEqual(['put']);
    server.release();
    await vi.advanceTimersByTimeAsync(0);
    // The push's own version was never poked to this device: it pulls past it, and the entry leaves.
    expect(replica.versions.value.tasks).toBe(3);
    expect(replica.pending.value).toEqual([]);
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    expect(title('t1')).toBe('mine');
    manager.stop();
  });

  it('pulls past a gap the pokes cannot fill without waiting for its push to finish', async () => {
    const { server, replica, manager, poke, outbox } = await connected();
    server.holding = true;
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('t1', { title: 'mine' }) });
    await vi.advanceTimersByTimeAsync(0);
    const before = pulls(server);
    commit(server, 'tasks', record('t2')); // its poke was lost
    poke(commit(server, 'tasks', record('t3')));
    await vi.advanceTimersByTimeAsync(POKE_GAP_MS);
    expect(pulls(server)).toBe(before + 1);
    expect(replica.versions.value.tasks).toBe(2);
    expect(replica.unacked().map((e) => e.name)).toEqual(['put']);
    server.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(replica.pending.value).toEqual([]);
    expect(baseRecords(replica)).toEqual(serverRecords(server));
    manager.stop();
  });

  it('pulls again soon while the server answers below an announced version (one still committing)', async () => {
    const { server, manager, poke } = await connected();
    // Version 2 committed before version 1: the server's pulls stay at 0 until 1 commits.
    const committedLater = { version: 2, collections: ['tasks'] as Collection[] };
    poke(committedLater);
    await vi.advanceTimersByTimeAsync(0);
    const before = pulls(server);
    server.write('tasks', record('t1'));
    server.write('tasks', record('t2'));
    await vi.advanceTimersByTimeAsync(BEHIND_RETRY_MS);
    expect(pulls(server)).toBe(before + 1);
    await vi.advanceTimersByTimeAsync(BEHIND_RETRY_MS * 3);
    expect(pulls(server)).toBe(before + 1); // caught up: no more retries
    manager.stop();
  });

  it('converges whatever happens to the pokes: lost, duplicated, reordered, delayed, without records', async () => {
    const fault = fc.constantFrom('deliver', 'lose', 'duplicate', 'delay', 'strip');
    const writes = fc.array(
      fc.record({
        collection: fc.constantFrom<Collection>('tasks', 'weights'),
        id: fc.integer({ min: 1, max: 4 }),
        fault,
      }),
      { minLength: 1, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(writes, fc.integer({ min: 0, max: 3 }), async (list, delayBy) => {
        const { server, replica, manager, poke } = await connected();
        const delayed: Poke[] = [];
        for (const [i, w] of list.entries()) {
          const p = commit(server, w.collection, record(`${w.id}`, { n: i }));
          if (w.fault === 'deliver' || w.fault === 'duplicate') poke(p);
          if (w.fault === 'duplicate') poke(p);
          if (w.fault === 'strip') poke({ version: p.version ?? 0, collections: p.collections ?? [] });
          if (w.fault === 'delay') delayed.push(p);
          if (delayed.length > delayBy) poke(delayed.shift() as Poke);
          await vi.advanceTimersByTimeAsync(0);
        }
        for (const p of delayed.reverse()) poke(p);
        // The heartbeat's answer, when above what the device pulled (the realtime client's rule).
        poke({ version: server.version });
        await vi.advanceTimersByTimeAsync(BEHIND_RETRY_MS);
        expect(baseRecords(replica)).toEqual(serverRecords(server));
        expect(Math.min(...Object.values(replica.versions.value))).toBe(server.version);
        manager.stop();
      }),
      { numRuns: 60 },
    );
  });
});
