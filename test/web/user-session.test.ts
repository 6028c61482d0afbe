// The per-user session with every platform part injected: tabs of one device, one leader among them,
// followers kept up to date over the tab channel, and a hung leader replaced, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CLOCK_DRIFT_MS, parseHlc } from '../../core/hlc.ts';
import { applyMutation } from '../../core/mutations/index.ts';
import { MemoryTx } from '../../core/store.ts';
import { LEADER_HEARTBEAT_MS, LEADER_TIMEOUT_MS } from '../../web/src/session/leadership.ts';
import { BASE_SAVE_DELAY_MS, openUserSession, type UserSession } from '../../web/src/session/user-session.ts';
import { freshBase } from '../../web/src/sync/storage.ts';
import type { Rejection } from '../../web/src/sync/sync-manager.ts';
import { AcceptingServer, FakeServer, GuardedServer, networkError, record } from './fakes.ts';
import { type TestDevice, testDevice } from './session-platform.ts';

const USER = 'user-1';
let open: UserSession[] = [];

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  for (const s of open) s.close();
  open = [];
  vi.useRealTimers();
});

async function openTab(device: TestDevice, visible = { value: true }) {
  const rejected: Rejection[] = [];
  const signedOut: string[] = [];
  const session = await openUserSession(
    {
      userId: USER,
      onRejected: (r) => rejected.push(...r),
      onUnauthorized: () => signedOut.push(USER),
      onStoreError: () => undefined,
    },
    device.tab(visible),
  );
  open.push(session);
  return { session, rejected, signedOut };
}

/** The fake server's own mutation (core does not know it): the server applies it. */
function put(session: UserSession, id: string, title: string) {
  const unchecked = session.mutate as (name: string, args: unknown) => Promise<void>;
  return unchecked('put', { collection: 'tasks', record: record(id, { title }) });
}

const titles = (s: UserSession) => s.replica.view.value.tasks.map((t) => String(t.title)).sort();

describe('user session', () => {
  it('lets exactly one tab lead; a follower’s mutation is pushed by the leader and the result reaches both', async () => {
    const server = new FakeServer();
    const device = testDevice(server);
    const a = await openTab(device);
    const b = await openTab(device);
    expect([a.session.isLeader.value, b.session.isLeader.value]).toEqual([true, false]);

    await put(b.session, 't1', 'Run');
    await vi.advanceTimersByTimeAsync(100);
    expect(server.calls.filter((c) => c.startsWith('push'))).toEqual(['push 1']);
    expect(titles(a.session)).toEqual(['Run']);
    expect(titles(b.session)).toEqual(['Run']);
    expect(b.session.status.value.phase).toBe(a.session.status.value.phase);
  });

  it('tells a follower when the server refuses a mutation or the session ends', async () => {
    const server = new FakeServer();
    const device = testDevice(server);
    const a = await openTab(device);
    const b = await openTab(device);
    await b.session.mutate('logWeight', { date: '2023-11-14', value: 70, unit: 'kg' });
    await vi.advanceTimersByTimeAsync(100);
    expect(a.rejected.map((r) => r.entry.name)).toEqual(['logWeight']);
    expect(b.rejected.map((r) => r.entry.name)).toEqual(['logWeight']);
    expect(b.session.replica.pending.value).toEqual([]);
  });

  it('re-stamps a change refused as ClockAhead (device clock a year ahead), in every tab, without a rollback', async () => {
    const server = new GuardedServer();
    server.now = () => Date.now() - 365 * 86_400_000;
    const device = testDevice(server);
    const a = await openTab(device);
    const b = await openTab(device);
    await put(b.session, 't1', 'Run');
    await vi.advanceTimersByTimeAsync(100);
    expect([...a.rejected, ...b.rejected]).toEqual([]);
    expect([server.inner.lastMutationId, server.inner.applied]).toEqual([2, 1]);
    expect([titles(a.session), titles(b.session)]).toEqual([['Run'], ['Run']]);
  });

  it('keeps a visible follower from taking over while the leader beats', async () => {
    const device = testDevice(new FakeServer());
    const a = await openTab(device);
    const b = await openTab(device);
    await vi.advanceTimersByTimeAsync(LEADER_TIMEOUT_MS * 4);
    expect([a.session.isLeader.value, b.session.isLeader.value]).toEqual([true, false]);
  });

  it('takes over from a hung leader once it has been silent too long, only while on screen', async () => {
    const device = testDevice(new FakeServer());
    device.locks.hang();
    const visible = { value: false };
    const b = await openTab(device, visible);
    await vi.advanceTimersByTimeAsync(LEADER_TIMEOUT_MS * 2);
    expect(b.session.isLeader.value).toBe(false);

    visible.value = true;
    await vi.advanceTimersByTimeAsync(LEADER_HEARTBEAT_MS);
    expect(b.session.isLeader.value).toBe(true);
  });

  it('hands over to the next tab when the leader closes, and leaves no timer running when all are closed', async () => {
    const server = new FakeServer();
    const device = testDevice(server);
    const a = await openTab(device);
    const b = await openTab(device);
    a.session.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(b.session.isLeader.value).toBe(true);
    b.session.close();
    open = [];
    expect(vi.getTimerCount()).toBe(0);
  });

  it('restarts its clock after the newest stamp it has stored', async () => {
    const server = new FakeServer();
    const device = testDevice(server);
    const a = await openTab(device);
    await a.session.mutate('logWeight', { date: '2023-11-14', value: 70, unit: 'kg' });
    const first = a.session.replica.pending.value[0]?.hlc ?? '';
    a.session.close();
    // The device's clock went back, by less than the drift bound (a clock set back further restarts
    // from it: its earlier stamps were beyond the bound, see core/hlc.ts).
    vi.setSystemTime(parseHlc(first).wallMs - MAX_CLOCK_DRIFT_MS / 2);
    const b = await openTab(device);
    await b.session.mutate('logWeight', { date: '2023-11-15', value: 71, unit: 'kg' });
    const stamps = b.session.replica.pending.value.map((e) => e.hlc);
    expect(stamps.at(-1) && stamps.at(-1)! > first).toBe(true);
  });
});

describe('a change that lost to another device', () => {
  it('is told in every tab of the device, the followers too', async () => {
    const other = 'device_1700000000000_other';
    const stamp = (ms: number) => `${String(ms).padStart(15, '0')}:000000:${other}`;
    const id = '0190a0b0-0000-7000-8000-000000000001';
    const tx = new MemoryTx();
    const create = { id, title: 'Stretch', points: 1, weekdays: [1], createdOn: '2023-11-01', order: 0 };
    applyMutation(
      tx,
      { name: 'createTask', args: create, hlc: stamp(Date.now() - 60_000) },
      { deviceId: other, nowMs: Date.now() },
    );
    const server = new AcceptingServer();
    for (const c of tx.changes()) server.write(c.collection, c.record);
    const device = testDevice(server);
    const told: string[] = [];
    const tab = async (name: string) => {
      const session = await openUserSession(
        {
          userId: USER,
          onRejected: () => undefined,
          onSuperseded: (entries) => told.push(`${name}: ${entries.map((e) => e.name).join()}`),
          onUnauthorized: () => undefined,
          onStoreError: () => undefined,
        },
        device.tab(),
      );
      open.push(session);
      return session;
    };
    const a = await tab('leader');
    const b = await tab('follower');
    await vi.advanceTimersByTimeAsync(100);
    expect(titles(b)).toEqual(['Stretch']);

    // Another device renames it a second later than this follower's rename.
    applyMutation(
      tx,
      { name: 'editTask', args: { id, title: 'Theirs' }, hlc: stamp(Date.now() + 1_000) },
      { deviceId: other, nowMs: Date.now() },
    );
    for (const c of tx.changes().filter((c) => 'title' in c.record && c.record.title === 'Theirs'))
      server.write(c.collection, c.record);
    await b.mutate('editTask', { id, title: 'Mine' });
    await vi.advanceTimersByTimeAsync(100);
    expect([a.isLeader.value, titles(a), titles(b)]).toEqual([true, ['Theirs'], ['Theirs']]);
    expect(told.sort()).toEqual(['follower: editTask', 'leader: editTask']);
  });
});

describe('a quick next start', () => {
  it('saves the base as one value when the leading tab is left, at the versions it was pulled at', async () => {
    const server = new FakeServer();
    server.write('tasks', record('t1', { title: 'Run' }));
    const device = testDevice(server);
    const leaving = new Set<() => void>();
    const session = await openUserSession(
      {
        userId: USER,
        onRejected: () => undefined,
        onUnauthorized: () => undefined,
        onStoreError: () => undefined,
      },
      device.tab({ value: true }, leaving),
    );
    open.push(session);
    await vi.advanceTimersByTimeAsync(100);
    const save = vi.spyOn(device.storage, 'saveBase');
    for (const leave of leaving) leave();
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledWith(
      { tasks: [record('t1', { title: 'Run' })], completions: [], weights: [], settings: [] },
      session.replica.versions.value,
    );
    expect((await device.storage.load()).records.tasks).toEqual([record('t1', { title: 'Run' })]);
  });

  it('saves the base in the leading tab once its pulls have settled, not in the followers', async () => {
    const server = new FakeServer();
    const device = testDevice(server);
    const save = vi.spyOn(device.storage, 'saveBase');
    const a = await openTab(device);
    await openTab(device);
    await vi.advanceTimersByTimeAsync(100);
    server.write('tasks', record('t1', { title: 'Run' }));
    await a.session.syncNow();
    await vi.advanceTimersByTimeAsync(BASE_SAVE_DELAY_MS - 1_000);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0]?.[0].tasks).toEqual([record('t1', { title: 'Run' })]);
  });
});

describe('freshBase', () => {
  const versions = { tasks: 3, completions: 2, weights: 1, settings: 0 };
  const records = { tasks: [record('t1')], completions: [], weights: [], settings: [] };
  it.each([
    ['taken at the stored versions', { versions, records }, versions, records],
    ['the stored versions moved on', { versions, records }, { ...versions, completions: 4 }, undefined],
    ['nothing saved', undefined, versions, undefined],
    ['not a saved base', { versions, records: { tasks: 'x' } }, versions, undefined],
  ])('%s', (_name, saved, stored, want) => {
    expect(freshBase(saved, stored)).toEqual(want);
  });
});

describe('taking the lead', () => {
  it('keeps the replica it loaded when storage has not changed since, rather than rebuild every figure', async () => {
    const server = new FakeServer();
    server.write('tasks', record('t1', { title: 'Run' }));
    const device = testDevice(server);
    const first = await openTab(device);
    await vi.advanceTimersByTimeAsync(100);
    first.session.close();
    open = [];
    server.failures.push(networkError(), networkError(), networkError());
    // The new leader's own read of storage waits until the tab has shown what it loaded.
    const load = device.storage.load.bind(device.storage);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    device.storage.load = async () => {
      reads += 1;
      if (reads === 2) await held;
      return load();
    };
    const next = await openTab(device);
    const loaded = next.session.replica.base.value;
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(reads).toBe(2);
    expect(next.session.isLeader.value).toBe(true);
    expect(next.session.replica.base.value).toBe(loaded);
    expect(titles(next.session)).toEqual(['Run']);
  });
});

describe('a tab that warms its history before showing it', () => {
  it('applies what another tab posted meanwhile, once it holds what it loaded', async () => {
    const server = new FakeServer();
    server.write('tasks', record('t1', { title: 'Run' }));
    const device = testDevice(server);
    const leader = await openTab(device);
    await vi.advanceTimersByTimeAsync(100);
    expect(titles(leader.session)).toEqual(['Run']);
    // While the new tab pauses between slices, the leader pulls a task from another device.
    let pulledMeanwhile = false;
    const platform = {
      ...device.tab(),
      async pause() {
        if (pulledMeanwhile) return;
        pulledMeanwhile = true;
        server.write('tasks', record('t2', { title: 'Read' }));
        await leader.session.syncNow();
      },
    };
    const late = await openUserSession(
      { userId: USER, onRejected: () => {}, onUnauthorized: () => {}, onStoreError: () => {} },
      platform,
    );
    open.push(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(pulledMeanwhile).toBe(true);
    expect(late.isLeader.value).toBe(false);
    expect(titles(late)).toEqual(['Read', 'Run']);
  });
});
