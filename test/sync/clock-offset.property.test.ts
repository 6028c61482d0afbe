// Property: devices whose clocks are off by anything up to ±10 years, running the web app's sync code
// against the real handlers, lose no change, apply each exactly once, and converge on the state of
// applying every change in stamp order with core; and when every change is synced as it is made,
// stamp order is the order the changes were made in, whichever devices made them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc } from '../../core/hlc.ts';
import { applyMutation } from '../../core/mutations/index.ts';
import { MemoryTx } from '../../core/store.ts';
import { lastMutationIdOf } from '../../functions/lib/sync/mutation-ids.ts';
import { useTestMongo } from '../support/mongo.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';
import { WebDevice } from './web-device.ts';

const env = useTestMongo();

const YEAR_MS = 365 * 86_400_000;
const dateArb = fc.constantFrom(day(-1), day(-2));
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

const scenarioArb = fc.record({
  // Device 0 keeps correct time; the others are off by up to ten years either way.
  skews: fc.tuple(fc.constant(0), ...[1, 2].map(() => fc.integer({ min: -10 * YEAR_MS, max: 10 * YEAR_MS }))),
  steps: fc.array(fc.record({ device: fc.integer({ min: 0, max: 2 }), op: opArb }), {
    minLength: 1,
    maxLength: 6,
  }),
  /** Online: each change is synced as it is made. Otherwise changes queue up until the end. */
  online: fc.boolean(),
  /** Offline only: whether devices 1 and 2 synced once (learning their offset) before their changes. */
  syncedFirst: fc.tuple(fc.boolean(), fc.boolean()),
});

/** A device that never synced has not seen the task: it can only log weights (what its screen offers). */
function seenBy(op: Op, hasSynced: boolean): Op {
  if (hasSynced || op.name === 'logWeight' || op.name === 'deleteWeight') return op;
  return { name: 'logWeight', date: op.date ?? day(-1), value: 60 };
}

function stateOf(changes: Record<string, readonly { id: string }[] | undefined>) {
  return Object.fromEntries(
    Object.entries(changes).flatMap(([c, list]) => (list ?? []).map((r) => [`${c}/${r.id}`, r])),
  );
}

describe('clock offsets', () => {
  it('every change applied once, in stamp order, and in the order made when synced as made', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ skews, steps: planned, online, syncedFirst }) => {
        const userId = newUserId();
        const task = createTaskArgs();
        const devices = skews.map((skew) => new WebDevice(userId, skew));
        const [first] = devices as [WebDevice];
        try {
          await first.mutate('createTask', task);
          await first.sync();
          const synced = [true, online || syncedFirst[0], online || syncedFirst[1]];
          for (const [i, d] of devices.entries()) if (i > 0 && synced[i]) await d.sync();
          const steps = planned.map((s) => ({ ...s, op: seenBy(s.op, synced[s.device] ?? false) }));
          for (const { device, op } of steps) {
            const d = devices[device] as WebDevice;
            await d.mutate(op.name, argsOf(op, task.id));
            if (online) await d.sync();
            // The next device to act has seen this change (as a user who saw it on another screen).
            if (online) for (const other of devices) if (other !== d) await other.sync();
          }
          for (const d of devices) await d.sync();
          for (const d of devices) await d.sync();

          const all = devices.flatMap((d) => [...d.entries.values()]);
          for (const d of devices) {
            expect(d.rejected).toEqual([]);
            expect([...d.entries.keys()].every((id) => d.acked.has(id))).toBe(true);
            // Every id the device spent: its changes plus the ones re-stamped after a ClockAhead.
            expect(await lastMutationIdOf(env.db, d.deviceId, 0)).toBe(d.entries.size + d.restamps);
          }
          const ordered = [...all].sort((a, b) => compareHlc(a.hlc, b.hlc));
          if (online) {
            const made = [
              { name: 'createTask', args: task },
              ...steps.map((s) => ({ name: s.op.name, args: argsOf(s.op, task.id) })),
            ];
            expect(ordered.map(({ name, args }) => ({ name, args }))).toEqual(made);
          }
          const model = new MemoryTx();
          for (const m of ordered) applyMutation(model, m, { deviceId: 'model', nowMs: Date.now() });
          const expected: Record<string, unknown> = {};
          for (const c of model.changes())
            if (!('deleted' in c.record)) expected[`${c.collection}/${c.record.id}`] = c.record;
          const pulled = await new TestDevice(userId).pull(0);
          expect(stateOf(pulled.body.changes)).toEqual(expected);
          for (const d of devices) {
            expect(d.replica.pending.value).toEqual([]);
            const live = [...d.replica.view.value.records()].filter((c) => !('deleted' in c.record));
            expect(Object.fromEntries(live.map((c) => [`${c.collection}/${c.record.id}`, c.record]))).toEqual(
              expected,
            );
          }
        } finally {
          for (const d of devices) d.stop();
        }
      }),
      { numRuns: 10 },
    );
  }, 240_000);
});
