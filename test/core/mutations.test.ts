import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/errors.ts';
import { applyMutation, MUTATION_NAMES, mutators, parseMutation } from '../../core/mutations/index.ts';
import { completionId } from '../../core/records.ts';
import { isTombstone, type Task } from '../../core/schemas/record-schemas.ts';
import { MemoryTx, storeOf } from '../../core/store.ts';
import { applyCall, device, NOW_MS, taskId } from './fixtures.ts';

const T1 = taskId(1);
const newTask = {
  id: T1,
  title: 'Stretch',
  points: 10,
  weekdays: [1, 3, 5],
  createdOn: '2026-06-01',
  order: 0,
};

function withTask() {
  const alice = device('alice');
  const tx = new MemoryTx();
  alice.apply(tx, 'createTask', newTask);
  return { alice, tx };
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return undefined;
}

describe('createTask', () => {
  it('creates a task with trimmed title, sorted weekdays and one stamp per field', () => {
    const alice = device('alice');
    const tx = new MemoryTx();
    const call = alice.apply(tx, 'createTask', { ...newTask, title: '  Stretch  ', weekdays: [5, 1, 3] });
    const task = tx.get('tasks', T1) as Task;
    expect(task).toMatchObject({ title: 'Stretch', weekdays: [1, 3, 5], archived: false, archivedOn: null });
    expect(task.hlc).toBe(call.hlc);
    expect(Object.values(task.clocks)).toEqual(Array(6).fill(call.hlc));
  });
});

describe('argument validation', () => {
  it.each([
    ['an unknown mutation', 'dropTables', {}, 'UnknownMutation'],
    ['a prototype key as a name', 'toString', {}, 'UnknownMutation'],
    ['an empty title', 'createTask', { ...newTask, title: '   ' }, 'InvalidArgs'],
    ['a 121-character title', 'createTask', { ...newTask, title: 'x'.repeat(121) }, 'InvalidArgs'],
    ['zero points', 'createTask', { ...newTask, points: 0 }, 'InvalidArgs'],
    ['101 points', 'createTask', { ...newTask, points: 101 }, 'InvalidArgs'],
    ['fractional points', 'createTask', { ...newTask, points: 2.5 }, 'InvalidArgs'],
    ['no weekdays', 'createTask', { ...newTask, weekdays: [] }, 'InvalidArgs'],
    ['a repeated weekday', 'createTask', { ...newTask, weekdays: [1, 1] }, 'InvalidArgs'],
    ['weekday 7', 'createTask', { ...newTask, weekdays: [7] }, 'InvalidArgs'],
    ['a non-UUID id', 'createTask', { ...newTask, id: 'task-1' }, 'InvalidArgs'],
    ['an impossible date', 'completeTask', { taskId: T1, date: '2026-02-30' }, 'InvalidArgs'],
    ['an edit changing nothing', 'editTask', { id: T1 }, 'InvalidArgs'],
    ['a negative weight', 'logWeight', { date: '2026-06-01', value: -3, unit: 'kg' }, 'InvalidArgs'],
    ['an implausible weight', 'logWeight', { date: '2026-06-01', value: 720, unit: 'kg' }, 'InvalidArgs'],
    ['an unknown unit', 'logWeight', { date: '2026-06-01', value: 70, unit: 'st' }, 'InvalidArgs'],
    ['an unknown time zone', 'updateSettings', { timeZone: 'Mars/Olympus' }, 'InvalidArgs'],
    ['week start on Tuesday', 'updateSettings', { weekStart: 2 }, 'InvalidArgs'],
    ['args that are not an object', 'deleteWeight', '2026-06-01', 'InvalidArgs'],
  ])('rejects %s', (_name, name, args, code) => {
    const { tx } = withTask();
    const before = tx.changes();
    expect(
      codeOf(() =>
        applyMutation(tx, { name, args, hlc: device('bob').clock.next() }, { deviceId: 'x', nowMs: NOW_MS }),
      ),
    ).toBe(code);
    expect(tx.changes()).toEqual(before);
  });

  it('names the failing field in the message', () => {
    expect(() => parseMutation({ name: 'createTask', args: { ...newTask, points: 0 } })).toThrow(/points/);
  });

  it('lists what each mutation reads', () => {
    expect(parseMutation({ name: 'completeTask', args: { taskId: T1, date: '2026-06-03' } }).reads).toEqual([
      { collection: 'tasks', id: T1 },
      { collection: 'completions', id: completionId(T1, '2026-06-03') },
    ]);
    expect(MUTATION_NAMES).toEqual(Object.keys(mutators));
    expect(MUTATION_NAMES).toHaveLength(10);
  });
});

describe('domain rules', () => {
  it.each([
    ['marking an unknown task', 'completeTask', { taskId: taskId(9), date: '2026-06-03' }, 'TaskNotFound'],
    ['editing an unknown task', 'editTask', { id: taskId(9), title: 'x' }, 'TaskNotFound'],
    ['reordering with an unknown task', 'reorderTasks', { ids: [T1, taskId(9)] }, 'TaskNotFound'],
    ['marking before the task existed', 'skipTask', { taskId: T1, date: '2026-05-31' }, 'NotScheduled'],
    ['a date before 2000', 'logWeight', { date: '1999-12-31', value: 70, unit: 'kg' }, 'DateOutOfRange'],
    ['a date over a year ahead', 'completeTask', { taskId: T1, date: '2027-06-17' }, 'DateOutOfRange'],
    [
      'creating a task dated in 1990',
      'createTask',
      { ...newTask, id: taskId(2), createdOn: '1990-01-01' },
      'DateOutOfRange',
    ],
  ])('rejects %s', (_name, name, args, code) => {
    const { alice, tx } = withTask();
    expect(
      codeOf(() =>
        applyMutation(tx, alice.stamp(name as 'editTask', args as never), {
          deviceId: alice.id,
          nowMs: NOW_MS,
        }),
      ),
    ).toBe(code);
  });

  it('accepts a date a year ahead', () => {
    const { alice, tx } = withTask();
    alice.apply(tx, 'completeTask', { taskId: T1, date: '2027-06-15' });
    expect(tx.get('completions', completionId(T1, '2027-06-15'))).toMatchObject({ status: 'completed' });
  });

  it('refuses marks on a task archived before them, but keeps marks stamped before the archive', () => {
    const { alice, tx } = withTask();
    const bob = device('bob');
    const earlyMark = bob.stamp('completeTask', { taskId: T1, date: '2026-06-03' }); // made offline
    alice.apply(tx, 'archiveTask', { id: T1, date: '2026-06-10' });
    const lateMark = alice.stamp('skipTask', { taskId: T1, date: '2026-06-10' });
    expect(codeOf(() => applyCall(tx, { ...lateMark }))).toBe('TaskArchived');
    applyCall(tx, earlyMark);
    expect(tx.get('completions', completionId(T1, '2026-06-03'))).toMatchObject({ status: 'completed' });
  });

  it('records archivedOn, never earlier than the creation day, and clears it on restore', () => {
    const { alice, tx } = withTask();
    alice.apply(tx, 'archiveTask', { id: T1, date: '2026-05-01' });
    expect(tx.get('tasks', T1)).toMatchObject({ archived: true, archivedOn: '2026-06-01' });
    alice.apply(tx, 'archiveTask', { id: T1, date: '2026-06-12', archived: false });
    expect(tx.get('tasks', T1)).toMatchObject({ archived: false, archivedOn: null });
  });
});

describe('marks', () => {
  it('stores the points the user saw, else the task points', () => {
    const { alice, tx } = withTask();
    alice.apply(tx, 'completeTask', { taskId: T1, date: '2026-06-03', points: 7 });
    alice.apply(tx, 'skipTask', { taskId: T1, date: '2026-06-05' });
    expect(tx.get('completions', completionId(T1, '2026-06-03'))).toMatchObject({
      points: 7,
      status: 'completed',
    });
    expect(tx.get('completions', completionId(T1, '2026-06-05'))).toMatchObject({
      points: 10,
      status: 'skipped',
    });
  });

  it('uncomplete leaves a tombstone that an older complete cannot overwrite', () => {
    const { alice, tx } = withTask();
    const bob = device('bob');
    const old = bob.stamp('completeTask', { taskId: T1, date: '2026-06-03' });
    const undo = alice.apply(tx, 'uncompleteTask', { taskId: T1, date: '2026-06-03' });
    applyCall(tx, old);
    expect(tx.get('completions', completionId(T1, '2026-06-03'))).toEqual({
      id: completionId(T1, '2026-06-03'),
      hlc: undo.hlc,
      deleted: true,
    });
  });

  it('a newer complete overwrites an older tombstone', () => {
    const { alice, tx } = withTask();
    alice.apply(tx, 'completeTask', { taskId: T1, date: '2026-06-03' });
    alice.apply(tx, 'uncompleteTask', { taskId: T1, date: '2026-06-03' });
    alice.apply(tx, 'skipTask', { taskId: T1, date: '2026-06-03' });
    expect(tx.get('completions', completionId(T1, '2026-06-03'))).toMatchObject({ status: 'skipped' });
  });
});

describe('last writer wins', () => {
  it('keeps concurrent edits of different task fields, in either order', () => {
    const results = [false, true].map((reversed) => {
      const { tx } = withTask();
      const rename = device('bob').stamp('editTask', { id: T1, title: 'Yoga' });
      const repoint = device('carol').stamp('editTask', { id: T1, points: 20 });
      for (const call of reversed ? [repoint, rename] : [rename, repoint]) applyCall(tx, call);
      return tx.get('tasks', T1);
    });
    expect(results[0]).toMatchObject({ title: 'Yoga', points: 20 });
    expect(results[1]).toEqual(results[0]);
  });

  it('lets the later stamp win an edit of the same field, whatever the arrival order', () => {
    const { tx } = withTask();
    const bob = device('bob');
    const carol = device('carol', NOW_MS + 10_000);
    const later = carol.stamp('editTask', { id: T1, title: 'Later' });
    const earlier = bob.stamp('editTask', { id: T1, title: 'Earlier' });
    applyCall(tx, later);
    applyCall(tx, earlier);
    expect(tx.get('tasks', T1)).toMatchObject({ title: 'Later', hlc: later.hlc });
  });

  it('merges settings field by field from the defaults', () => {
    const tx = new MemoryTx();
    const alice = device('alice');
    alice.apply(tx, 'updateSettings', { timeZone: 'Europe/Berlin' });
    device('bob').apply(tx, 'updateSettings', { unit: 'lb' });
    expect(tx.get('settings', 'settings')).toMatchObject({
      unit: 'lb',
      weekStart: 1,
      timeZone: 'Europe/Berlin',
    });
  });

  it('logs and deletes a weight per day', () => {
    const tx = new MemoryTx();
    const alice = device('alice');
    alice.apply(tx, 'logWeight', { date: '2026-06-01', value: 80.2, unit: 'kg' });
    alice.apply(tx, 'logWeight', { date: '2026-06-01', value: 80.1, unit: 'kg' });
    expect(tx.get('weights', '2026-06-01')).toMatchObject({ value: 80.1 });
    alice.apply(tx, 'deleteWeight', { date: '2026-06-01' });
    const stored = tx.get('weights', '2026-06-01');
    expect(stored && isTombstone(stored)).toBe(true);
  });

  it('reorders by position', () => {
    const { alice, tx } = withTask();
    alice.apply(tx, 'createTask', { ...newTask, id: taskId(2), order: 1 });
    alice.apply(tx, 'reorderTasks', { ids: [taskId(2), T1] });
    expect([tx.get('tasks', T1), tx.get('tasks', taskId(2))].map((t) => (t as Task).order)).toEqual([1, 0]);
  });
});

describe('replays and the store', () => {
  it('writes nothing when the same call is applied again', () => {
    const { alice, tx } = withTask();
    const calls = [
      alice.stamp('editTask', { id: T1, title: 'Again' }),
      alice.stamp('completeTask', { taskId: T1, date: '2026-06-03' }),
      alice.stamp('uncompleteTask', { taskId: T1, date: '2026-06-05' }),
      alice.stamp('logWeight', { date: '2026-06-03', value: 70, unit: 'kg' }),
      alice.stamp('updateSettings', { weekStart: 0 }),
      alice.stamp('reorderTasks', { ids: [T1] }),
    ];
    for (const call of calls) applyCall(tx, call);
    const replay = new MemoryTx(storeOf(tx.changes()));
    for (const call of calls) applyCall(replay, call);
    expect(replay.changes()).toEqual([]);
  });

  it('never mutates its base', () => {
    const { alice, tx } = withTask();
    const base = tx.changes();
    const frozen = JSON.stringify(base);
    const child = new MemoryTx(tx);
    alice.apply(child, 'editTask', { id: T1, title: 'Child' });
    expect(JSON.stringify(base)).toBe(frozen);
    expect((tx.get('tasks', T1) as Task).title).toBe('Stretch');
    expect((child.get('tasks', T1) as Task).title).toBe('Child');
    expect(child.changes().map((c) => c.record.id)).toEqual([T1]);
  });
});
