// Property: whatever order the devices' mutations reach the server in (each device's own order kept),
// the server ends in the state of applying them all in clock order with core's mutations, and
// replaying everything afterwards changes nothing.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMutation } from '../../core/mutations/index.ts';
import { MemoryTx } from '../../core/store.ts';
import { useTestMongo } from '../support/mongo.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

const _env = useTestMongo();

const T0 = Date.now() - 3_600_000;
const dateArb = fc.constantFrom(day(-1), day(-2), day(-3));
const opArb = fc.oneof(
  fc.record({ name: fc.constantFrom('completeTask', 'skipTask', 'uncompleteTask'), date: dateArb }),
  fc.record({ name: fc.constant('logWeight'), date: dateArb, value: fc.integer({ min: 50, max: 90 }) }),
  fc.record({ name: fc.constant('deleteWeight'), date: dateArb }),
  fc.record({ name: fc.constant('editTask'), title: fc.constantFrom('A', 'B', 'C') }),
);
type Op = { name: string; date?: string; value?: number; title?: string };

function argsOf(op: Op, taskId: string): unknown {
  if (op.name === 'logWeight') return { date: op.date, value: op.value, unit: 'kg' };
  if (op.name === 'deleteWeight') return { date: op.date };
  if (op.name === 'editTask') return { id: taskId, title: op.title };
  return { taskId, date: op.date };
}

/** Three devices, each with ops at distinct wall times (increasing per device), and a push order. */
const scenarioArb = fc
  .array(fc.array(opArb, { maxLength: 4 }), { minLength: 3, maxLength: 3 })
  .chain((perDevice) => {
    const total = perDevice.reduce((n, ops) => n + ops.length, 0);
    const tokens = perDevice.flatMap((ops, d) => ops.map(() => d));
    return fc.record({
      perDevice: fc.constant(perDevice),
      walls: fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: total, maxLength: total }),
      order: fc.shuffledSubarray(tokens, { minLength: tokens.length, maxLength: tokens.length }),
    });
  });

describe('convergence', () => {
  it('any arrival order converges to the clock-order result; replays are no-ops', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ perDevice, walls, order }) => {
        const userId = newUserId();
        const setup = new TestDevice(userId);
        const task = createTaskArgs();
        const createHlc = setup.hlc(T0);
        await setup.mutate('createTask', task, createHlc);
        const devices = perDevice.map(() => new TestDevice(userId));
        const starts = perDevice.map((_, d) => perDevice.slice(0, d).reduce((n, ops) => n + ops.length, 0));
        const queues = perDevice.map((ops, d) => {
          const device = devices[d] as TestDevice;
          const from = starts[d] ?? 0;
          const mine = walls.slice(from, from + ops.length).sort((a, b) => a - b);
          return ops.map((op, i) =>
            device.envelope(op.name, argsOf(op, task.id), device.hlc(T0 + (mine[i] ?? 0))),
          );
        });
        const sent = queues.map(() => 0);
        for (const d of order) {
          const mutation = queues[d]?.[sent[d] ?? 0];
          sent[d] = (sent[d] ?? 0) + 1;
          const res = await devices[d]?.push([mutation]);
          expect(res?.body.results[0]?.status).toBe('applied');
        }
        // The model: every mutation applied once, in clock order, by core itself.
        const model = new MemoryTx();
        const all = [{ name: 'createTask', args: task, hlc: createHlc }, ...queues.flat()];
        for (const m of all.sort((a, b) => (a.hlc < b.hlc ? -1 : 1))) {
          applyMutation(model, m, { deviceId: 'model', nowMs: Date.now() });
        }
        const live = model.changes().filter((c) => !('deleted' in c.record));
        const expected = Object.fromEntries(live.map((c) => [`${c.collection}/${c.record.id}`, c.record]));
        const pulled = await setup.pull(0);
        const actual = Object.fromEntries(
          Object.entries(pulled.body.changes).flatMap(([collection, records]) =>
            (records ?? []).map((r) => [`${collection}/${r.id}`, r]),
          ),
        );
        expect(actual).toEqual(expected);
        // Replaying every device's whole queue changes nothing.
        for (const [d, queue] of queues.entries()) {
          if (queue.length === 0) continue;
          const again = await devices[d]?.push(queue);
          expect(again?.body.results.every((r) => r.status === 'duplicate')).toBe(true);
        }
        expect((await setup.pull(0)).body.version).toBe(pulled.body.version);
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});
