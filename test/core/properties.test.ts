// The algebra of the shared mutations (fast-check): any arrival order converges, replays are no-ops,
// and figures maintained incrementally equal figures computed from scratch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/dates.ts';
import { createHlc } from '../../core/hlc.ts';
import { applyMutation, type MutationName } from '../../core/mutations/index.ts';
import { buildSnapshot, type Snapshot, snapshotWith } from '../../core/snapshot.ts';
import { dashboard, daySummary, healthData, homeData, tasksOn } from '../../core/stats/index.ts';
import { MemoryTx, storeOf } from '../../core/store.ts';
import { canonical, NOW_MS, taskId } from './fixtures.ts';

const TASKS = [taskId(1), taskId(2), taskId(3)];
const DEVICES = ['device_1700000000000_aaaa', 'device_1700000000000_bbbb', 'device_1700000000000_cccc'];
const START = '2026-06-01';
const TODAY = '2026-06-15';

interface Op {
  name: MutationName;
  args: Record<string, unknown>;
}
interface Stamped extends Op {
  hlc: string;
  deviceId: string;
}

const date = fc.integer({ min: 0, max: 19 }).map((i) => addDays(START, i));
const task = fc.constantFrom(...TASKS);
const weekdays = fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 });
/** Every schedule kind, so each property below covers all of them. */
const schedule = fc.oneof(
  fc.constant({ kind: 'weekdays' as const }),
  fc.integer({ min: 1, max: 7 }).map((times) => ({ kind: 'timesPerWeek' as const, times })),
  fc.integer({ min: 1, max: 9 }).map((days) => ({ kind: 'everyNDays' as const, days })),
);
const BASE_SCHEDULES = [
  undefined,
  { kind: 'timesPerWeek', times: 3 },
  { kind: 'everyNDays', days: 2 },
] as const;
const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Mutations whose outcome never depends on what else was applied first. */
const commutingOp: fc.Arbitrary<Op> = fc.oneof(
  fc
    .record({ taskId: task, date, points: fc.integer({ min: 1, max: 100 }) })
    .map((args) => ({ name: 'completeTask' as const, args })),
  fc
    .record({ taskId: task, date, points: fc.integer({ min: 1, max: 100 }) })
    .map((args) => ({ name: 'skipTask' as const, args })),
  fc.record({ taskId: task, date }).map((args) => ({ name: 'uncompleteTask' as const, args })),
  fc
    .record({
      id: task,
      title: fc.constantFrom('Run', 'Read', 'Rest'),
      points: maybe(fc.integer({ min: 1, max: 100 })),
      weekdays: maybe(weekdays),
      schedule: maybe(schedule),
    })
    .map((args) => ({ name: 'editTask' as const, args: defined(args) })),
  fc
    .record({
      date,
      value: fc.integer({ min: 600, max: 900 }).map((x) => x / 10),
      unit: fc.constantFrom('kg', 'lb'),
    })
    .map((args) => ({ name: 'logWeight' as const, args })),
  fc.record({ date }).map((args) => ({ name: 'deleteWeight' as const, args })),
  fc
    .record({ unit: fc.constantFrom('kg', 'lb'), weekStart: maybe(fc.constantFrom(0, 1)) })
    .map((args) => ({ name: 'updateSettings' as const, args: defined(args) })),
  fc
    .shuffledSubarray(TASKS, { minLength: 1 })
    .map((ids) => ({ name: 'reorderTasks' as const, args: { ids } })),
);

const archiveOp: fc.Arbitrary<Op> = fc
  .record({ id: task, date, archived: fc.boolean() })
  .map((args) => ({ name: 'archiveTask' as const, args }));

/** Ops from three devices, stamped in generation order by clocks that drift apart. */
function stamped(op: fc.Arbitrary<Op>, maxLength = 40): fc.Arbitrary<Stamped[]> {
  const step = fc.record({
    op,
    device: fc.integer({ min: 0, max: 2 }),
    drift: fc.integer({ min: -50, max: 50 }),
  });
  return fc.array(step, { maxLength }).map((steps) => {
    const walls = [NOW_MS, NOW_MS + 7, NOW_MS - 7];
    const clocks = DEVICES.map((id, i) => createHlc(id, () => walls[i] ?? NOW_MS));
    return steps.map(({ op, device, drift }) => {
      walls[device] = (walls[device] ?? NOW_MS) + drift;
      const deviceId = DEVICES[device] ?? '';
      return { ...op, hlc: clocks[device]?.next() ?? '', deviceId };
    });
  });
}

function baseWithTasks(): MemoryTx {
  const tx = new MemoryTx();
  const clock = createHlc('device_1700000000000_base', () => NOW_MS - 1_000_000);
  TASKS.forEach((id, order) => {
    const args = {
      id,
      title: `Task ${order}`,
      points: 10,
      weekdays: [1, 2, 3, 4, 5],
      createdOn: START,
      order,
      ...(BASE_SCHEDULES[order] ? { schedule: BASE_SCHEDULES[order] } : {}),
    };
    applyMutation(
      tx,
      { name: 'createTask', args, hlc: clock.next() },
      { deviceId: DEVICES[0] ?? '', nowMs: NOW_MS },
    );
  });
  return tx;
}

function applyAll(ops: readonly Stamped[], tx = baseWithTasks()): MemoryTx {
  for (const op of ops) applyMutation(tx, op, { deviceId: op.deviceId, nowMs: NOW_MS });
  return tx;
}

function withPermutation(ops: fc.Arbitrary<Stamped[]>) {
  return ops.chain((list) =>
    fc.tuple(
      fc.constant(list),
      fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
    ),
  );
}

describe('convergence (last writer wins)', () => {
  it('any arrival order of the same mutations gives the same records', () => {
    fc.assert(
      fc.property(withPermutation(stamped(commutingOp)), ([ops, shuffled]) => {
        expect(canonical(applyAll(shuffled).changes())).toBe(canonical(applyAll(ops).changes()));
      }),
      { numRuns: 300 },
    );
  });

  it('archive and restore race with edits and reorders and still converge', () => {
    const op = fc.oneof(
      archiveOp,
      commutingOp.filter((o) => o.name === 'editTask' || o.name === 'reorderTasks'),
    );
    fc.assert(
      fc.property(withPermutation(stamped(op)), ([ops, shuffled]) => {
        expect(canonical(applyAll(shuffled).changes())).toBe(canonical(applyAll(ops).changes()));
      }),
      { numRuns: 200 },
    );
  });

  it('the same figures come out on every device', () => {
    fc.assert(
      fc.property(withPermutation(stamped(commutingOp)), ([ops, shuffled]) => {
        const a = buildSnapshot(applyAll(ops).changes());
        const b = buildSnapshot(applyAll(shuffled).changes());
        expect(dashboard(b, TODAY)).toEqual(dashboard(a, TODAY));
      }),
      { numRuns: 100 },
    );
  });
});

describe('idempotence', () => {
  const anyOp = fc.oneof(commutingOp, archiveOp);

  it('applying each mutation twice equals applying it once', () => {
    fc.assert(
      fc.property(stamped(anyOp), (ops) => {
        const once = new MemoryTx(baseWithTasks());
        const twice = new MemoryTx(baseWithTasks());
        for (const op of ops) {
          const ctx = { deviceId: op.deviceId, nowMs: NOW_MS };
          const outcome = (tx: MemoryTx) => {
            try {
              applyMutation(tx, op, ctx);
              return 'ok';
            } catch (err) {
              return (err as { code?: string }).code ?? 'thrown';
            }
          };
          const first = outcome(once);
          expect(outcome(twice)).toBe(first);
          expect(outcome(twice)).toBe(first);
        }
        expect(canonical(twice.changes())).toBe(canonical(once.changes()));
      }),
      { numRuns: 200 },
    );
  });

  it('replaying a whole applied batch writes nothing and rejects nothing it accepted', () => {
    fc.assert(
      fc.property(stamped(anyOp), (ops) => {
        const applied = baseWithTasks();
        const accepted = ops.filter((op) => {
          try {
            applyMutation(applied, op, { deviceId: op.deviceId, nowMs: NOW_MS });
            return true;
          } catch {
            return false;
          }
        });
        const replay = new MemoryTx(storeOf(applied.changes()));
        for (const op of accepted) applyMutation(replay, op, { deviceId: op.deviceId, nowMs: NOW_MS });
        expect(replay.changes()).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

function figures(snapshot: Snapshot) {
  return {
    dashboard: dashboard(snapshot, TODAY),
    home: homeData(snapshot, TODAY),
    past: homeData(snapshot, '2026-06-03', TODAY),
    health: healthData(snapshot, TODAY),
    sunday: dashboard(snapshot, '2026-06-07'),
  };
}

describe('incremental figures', () => {
  it('figures recomputed after each mutation equal figures computed from scratch', () => {
    fc.assert(
      fc.property(stamped(fc.oneof(commutingOp, archiveOp), 30), (ops) => {
        const tx = baseWithTasks();
        let incremental = buildSnapshot(tx.changes());
        figures(incremental); // fill the memo so the next snapshots inherit it
        for (const op of ops) {
          const step = new MemoryTx(tx);
          try {
            applyMutation(step, op, { deviceId: op.deviceId, nowMs: NOW_MS });
          } catch {
            continue; // a rejected mutation changes nothing
          }
          for (const change of step.changes()) tx.put(change.collection, change.record);
          incremental = snapshotWith(incremental, step.changes());
          expect(figures(incremental)).toEqual(figures(buildSnapshot(tx.changes())));
        }
        expect(canonical([...incremental.records()])).toBe(canonical(tx.changes()));
      }),
      { numRuns: 150 },
    );
  });

  it('a rebase over base (the client view) equals the server applying the same mutations', () => {
    fc.assert(
      fc.property(stamped(commutingOp, 20), stamped(commutingOp, 10), (synced, pending) => {
        const server = applyAll([...synced, ...pending]);
        const base = buildSnapshot(applyAll(synced).changes());
        const view = new MemoryTx(base);
        for (const op of pending) applyMutation(view, op, { deviceId: op.deviceId, nowMs: NOW_MS });
        expect(figures(snapshotWith(base, view.changes()))).toEqual(figures(buildSnapshot(server.changes())));
      }),
      { numRuns: 100 },
    );
  });
});

describe('one rule for which tasks count', () => {
  it('the Today list and the day tallies agree on every day', () => {
    fc.assert(
      fc.property(stamped(fc.oneof(commutingOp, archiveOp), 40), (ops) => {
        const tx = baseWithTasks();
        for (const op of ops) {
          try {
            applyMutation(tx, op, { deviceId: op.deviceId, nowMs: NOW_MS });
          } catch {
            // rejected: nothing written
          }
        }
        const snapshot = buildSnapshot(tx.changes());
        for (let i = -2; i < 22; i += 1) {
          const day = addDays(START, i);
          // Optional entries (a times-per-week task with quota to spare) count only once marked.
          const listed = tasksOn(snapshot, day).filter((t) => !t.optional);
          const summary = daySummary(snapshot, day);
          expect(summary.scheduled).toBe(listed.length);
          expect(summary.completed).toBe(listed.filter((t) => t.status === 'completed').length);
          expect(summary.skipped).toBe(listed.filter((t) => t.status === 'skipped').length);
          expect(summary.points).toBe(homeData(snapshot, day).points.day);
        }
      }),
      { numRuns: 100 },
    );
  });
});
