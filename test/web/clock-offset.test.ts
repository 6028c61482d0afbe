// The client's estimate of its clock offset to the server, and what it does with a change the server
// refused as ClockAhead: re-stamp it with the corrected clock and send it again, never roll it back.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHlc, parseHlc } from '../../core/hlc.ts';
import { createOutbox } from '../../web/src/cache/outbox.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createClockOffset, sampleServerTime } from '../../web/src/sync/clock-offset.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import { createSyncManager, type Rejection } from '../../web/src/sync/sync-manager.ts';
import { realTimers } from '../../web/src/sync/timers.ts';
import { enqueueTest, FakeEnvironment, GuardedServer, record, testRebase } from './fakes.ts';

const T = 1_700_000_000_000;
const YEAR_MS = 365 * 86_400_000;

describe('clock offset estimate', () => {
  it.each([
    ['the midpoint of one exchange', [[1_000, 5_500, 1_200]], 4_400],
    [
      'the shortest round trip of several',
      [
        [0, 900, 400],
        [1_000, 1_950, 1_100],
        [2_000, 2_600, 2_800],
      ],
      900,
    ],
    [
      'a device clock changed since: older samples dropped',
      [
        [0, 1_000, 100],
        [10_000, 10_000 + 7_200_000, 10_100],
      ],
      7_199_950,
    ],
    [
      'a negative round trip (clock changed mid-request) ignored',
      [
        [0, 1_000, 100],
        [5_000, 90_000, 4_000],
      ],
      950,
    ],
  ] as const)('%s', (_name, samples, expected) => {
    const offset = createClockOffset({ now: () => 0 });
    for (const [sent, server, received] of samples) offset.sample(sent, server, received);
    expect(offset.offsetMs()).toBe(expected);
    expect(offset.now()).toBe(expected);
  });

  it('starts from a persisted estimate and reports each change', () => {
    const changes: number[] = [];
    const offset = createClockOffset({
      now: () => 10,
      initialOffsetMs: 500,
      onChange: (o) => changes.push(o),
    });
    expect(offset.now()).toBe(510);
    offset.sample(0, 300, 100);
    expect(changes).toEqual([250]);
  });

  it('is fed by push and pull answers that carry the server time', async () => {
    let now = 1_000;
    const offset = createClockOffset({ now: () => now });
    const transport = sampleServerTime(
      {
        push: async () => {
          now += 100;
          return { lastMutationId: 0, version: 0, results: [], serverTime: 1_000 + YEAR_MS + 50 };
        },
        pull: async () => ({ version: 0, changes: {} }),
      },
      offset,
      () => now,
    );
    await transport.pull(0);
    expect(offset.offsetMs()).toBe(0);
    await transport.push('device_1700000000000_test', []);
    expect(offset.offsetMs()).toBe(YEAR_MS);
  });
});

function aheadDevice(skewMs: number) {
  const server = new GuardedServer();
  const storage = createMemoryStorage();
  const replica = createReplica(testRebase);
  const offset = createClockOffset({ now: () => Date.now() + skewMs });
  const clock = createHlc('device_1700000000000_test', offset.now);
  const rejected: Rejection[] = [];
  const restamped: number[][] = [];
  const manager = createSyncManager({
    replica,
    storage,
    transport: sampleServerTime(server, offset, () => Date.now() + skewMs),
    deviceId: 'device_1700000000000_test',
    env: new FakeEnvironment(),
    timers: realTimers,
    clock,
    events: {
      onRejected: (r) => rejected.push(...r),
      onRestamped: (from, to) => restamped.push([from.id, to.id]),
    },
  });
  const outbox = createOutbox({ replica, storage, clock });
  return { server, storage, replica, manager, outbox, rejected, restamped };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a change refused as ClockAhead', () => {
  it('is re-stamped by the corrected clock and sent again, never rolled back', async () => {
    const { server, storage, replica, manager, outbox, rejected, restamped } = aheadDevice(YEAR_MS);
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('a', { title: 'A' }) });
    expect(replica.view.value.taskById.get('a')?.title).toBe('A');
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(rejected).toEqual([]);
    expect(restamped).toEqual([[1, 2]]);
    expect(server.inner.applied).toBe(1);
    expect(server.inner.records.get('tasks/a')?.record).toMatchObject({ title: 'A' });
    expect(replica.view.value.taskById.get('a')?.title).toBe('A');
    expect((await storage.load()).outbox.map((e) => [e.id, parseHlc(e.hlc).wallMs <= T + 1_000])).toEqual([
      [2, true],
    ]);
    manager.stop();
  });

  it('backs off instead of spending ids when the clock cannot be corrected', async () => {
    const { server, manager, outbox, rejected } = aheadDevice(YEAR_MS);
    server.sendsServerTime = false;
    await enqueueTest(outbox, 'put', { collection: 'tasks', record: record('a') });
    manager.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(manager.status.value).toMatchObject({ phase: 'failing', failures: 1 });
    expect(server.inner.lastMutationId).toBe(2);
    expect(rejected).toEqual([]);
    manager.stop();
  });
});
