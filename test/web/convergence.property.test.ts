// Property: whatever the interleaving of local taps, other devices' writes, network failures and
// time, (a) a local change never disappears from the view once made, and (b) once the network is
// back the device converges on the server's state with every change applied exactly once.
import fc from 'fast-check';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createHlc } from '../../core/hlc.ts';
import { createOutbox } from '../../web/src/cache/outbox.ts';
import { createReplica } from '../../web/src/cache/replica.ts';
import { createMemoryStorage } from '../../web/src/sync/memory-storage.ts';
import { createSyncManager } from '../../web/src/sync/sync-manager.ts';
import { realTimers } from '../../web/src/sync/timers.ts';
import { enqueueTest, FakeEnvironment, FakeServer, networkError, record, testRebase } from './fakes.ts';

type Action =
  | { type: 'local' }
  | { type: 'remote' }
  | { type: 'fail'; times: number }
  | { type: 'failPull' }
  | { type: 'wait'; ms: number }
  | { type: 'hide' }
  | { type: 'show' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.constant({ type: 'local' as const }),
  fc.constant({ type: 'remote' as const }),
  fc.record({ type: fc.constant('fail' as const), times: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ type: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
  fc.constant({ type: 'failPull' as const }),
  fc.constant({ type: 'hide' as const }),
  fc.constant({ type: 'show' as const }),
);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

it('never loses a local change and converges exactly once', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(actionArb, { maxLength: 30 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(),
      async (actions, jitter, streamsPushes) => {
        const server = new FakeServer();
        server.streamsPushes = streamsPushes;
        const env = new FakeEnvironment();
        const storage = createMemoryStorage();
        const replica = createReplica(testRebase);
        const manager = createSyncManager({
          replica,
          storage,
          transport: server,
          deviceId: 'device_1700000000000_prop',
          env,
          timers: realTimers,
          random: () => jitter,
        });
        const outbox = createOutbox({
          replica,
          storage,
          clock: createHlc('device_1700000000000_prop', () => Date.now()),
          onStored: () => manager.kick(),
        });
        manager.start();
        const mine: string[] = [];
        let remote = 0;
        for (const action of actions) {
          if (action.type === 'local') {
            const id = `l${mine.length}`;
            mine.push(id);
            void enqueueTest(outbox, 'put', { collection: 'tasks', record: record(id, { title: id }) });
          } else if (action.type === 'remote') server.write('tasks', record(`r${remote++}`));
          else if (action.type === 'fail')
            server.failures.push(...Array.from({ length: action.times }, networkError));
          else if (action.type === 'failPull') server.pullFailures.push(networkError());
          else if (action.type === 'hide') env.emit('hidden');
          else if (action.type === 'show') env.emit('visible');
          else await vi.advanceTimersByTimeAsync(action.ms);
          const visible = new Set(replica.view.value.tasks.map((t) => t.id));
          expect(mine.filter((id) => !visible.has(id))).toEqual([]);
        }
        server.failures.length = 0;
        server.pullFailures.length = 0;
        env.emit('visible');
        await vi.advanceTimersByTimeAsync(130_000);
        manager.stop();
        expect(replica.pending.value).toEqual([]);
        expect(server.applied).toBe(mine.length);
        const serverIds = [...server.records.values()].map((s) => s.record.id).sort();
        expect(replica.base.value.tasks.map((t) => t.id).sort()).toEqual(serverIds);
      },
    ),
    { numRuns: 60 },
  );
});
