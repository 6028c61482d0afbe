// Flexible schedules: what is due per kind, how old weekday-only tasks keep working, and the
// schedule's place in the task mutations.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/dates.ts';
import { DomainError } from '../../core/errors.ts';
import { type Task, taskSchema } from '../../core/schemas/record-schemas.ts';
import { daySummary, homeData, taskDayStates } from '../../core/stats/index.ts';
import { MemoryTx } from '../../core/store.ts';
import { device, taskId } from './fixtures.ts';
import { type World, worldSnapshot } from './stats-fixtures.ts';

// 2026-06-01 is a Monday; weeks start on Monday unless a case says otherwise.
const MON = '2026-06-01';
const week = (states: string) => states.split(' ');

function states(world: World, today: string): string[] {
  const snapshot = worldSnapshot(world);
  const task = snapshot.tasks[0];
  if (!task) throw new Error('no task');
  return taskDayStates(snapshot, task, today).map((s) =>
    s === 'not scheduled' ? '.' : s === 'missed' ? 'M' : s === 'done' ? 'D' : s === 'skipped' ? 'S' : 'O',
  );
}

describe('what is due, per schedule kind', () => {
  it.each<[string, World, string, string]>([
    [
      'weekdays Mon/Wed/Fri, nothing marked',
      { tasks: [{ n: 1, createdOn: MON, weekdays: [1, 3, 5] }] },
      '2026-06-07',
      'M . M . M . .',
    ],
    [
      'a task from before schedules (no schedule field) is a weekdays task',
      { tasks: [{ n: 1, createdOn: MON, weekdays: [2] }] },
      '2026-06-07',
      '. M . . . . .',
    ],
    [
      'every 3 days from the creation day',
      { tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'everyNDays', days: 3 } }] },
      '2026-06-07',
      'M . . M . . O',
    ],
    [
      'every 2 days counts from a mid-week creation day',
      { tasks: [{ n: 1, createdOn: '2026-06-03', schedule: { kind: 'everyNDays', days: 2 } }] },
      '2026-06-07',
      'M . M . O',
    ],
    [
      '3 a week, nothing marked: the last 3 days of the week are due',
      { tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'timesPerWeek', times: 3 } }] },
      '2026-06-07',
      '. . . . M M O',
    ],
    [
      '3 a week, done Tuesday: the last 2 days are due',
      {
        tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'timesPerWeek', times: 3 } }],
        marks: [[1, '2026-06-02', 'completed']],
      },
      '2026-06-07',
      '. D . . . M O',
    ],
    [
      '3 a week, done three times early: nothing more is due',
      {
        tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'timesPerWeek', times: 3 } }],
        marks: [
          [1, MON, 'completed'],
          [1, '2026-06-02', 'skipped'],
          [1, '2026-06-03', 'completed'],
        ],
      },
      '2026-06-07',
      'D S D . . . .',
    ],
    [
      '3 a week, missed Friday, done Saturday: Sunday is still due (the shortfall is the missed days)',
      {
        tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'timesPerWeek', times: 3 } }],
        marks: [[1, '2026-06-06', 'completed']],
      },
      '2026-06-08',
      '. . . . M D M .',
    ],
    [
      '5 a week created on Saturday: the quota of that week is its 2 days',
      { tasks: [{ n: 1, createdOn: '2026-06-06', schedule: { kind: 'timesPerWeek', times: 5 } }] },
      '2026-06-07',
      'M O',
    ],
    [
      'a week starting on Sunday moves the due days',
      {
        tasks: [{ n: 1, createdOn: '2026-05-31', schedule: { kind: 'timesPerWeek', times: 1 } }],
        settings: { weekStart: 0 },
      },
      '2026-06-06',
      '. . . . . . O',
    ],
    [
      'today due and unmarked is open, not missed',
      { tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'everyNDays', days: 1 } }] },
      '2026-06-02',
      'M O',
    ],
    [
      'archived Wednesday: nothing is due from then on',
      { tasks: [{ n: 1, createdOn: MON, archivedOn: '2026-06-03' }] },
      '2026-06-05',
      'M M . . .',
    ],
  ])('%s', (_name, world, today, expected) => {
    expect(states(world, today)).toEqual(week(expected));
  });

  it('a times-per-week task is offered on Today before it is due, and counts there only once marked', () => {
    const world: World = { tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'timesPerWeek', times: 2 } }] };
    const open = homeData(worldSnapshot(world), MON);
    expect(open.tasks).toMatchObject([{ status: 'open' }]);
    expect(open.progress).toEqual({ done: 0, total: 0 });
    expect(daySummary(worldSnapshot(world), MON).scheduled).toBe(0);
    const marked = worldSnapshot({ ...world, marks: [[1, MON, 'completed']] });
    expect(homeData(marked, MON).progress).toEqual({ done: 1, total: 1 });
    expect(daySummary(marked, MON)).toMatchObject({ scheduled: 1, completed: 1 });
  });

  it('the day tallies follow a mark that changes which later days of the week are due', () => {
    const world: World = { tasks: [{ n: 1, createdOn: MON, schedule: { kind: 'timesPerWeek', times: 1 } }] };
    const sunday = addDays(MON, 6);
    expect(daySummary(worldSnapshot(world), sunday).scheduled).toBe(1);
    const done = worldSnapshot({ ...world, marks: [[1, MON, 'completed']] });
    expect(daySummary(done, sunday).scheduled).toBe(0);
  });
});

describe('schedules in the task record and its mutations', () => {
  const T1 = taskId(1);
  const base = { id: T1, title: 'Stretch', points: 10, weekdays: [1, 3, 5], createdOn: MON, order: 0 };
  const codeOf = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof DomainError) return err.code;
      throw err;
    }
    return undefined;
  };

  it('a stored task from before schedules (no schedule, no schedule clock) still parses', () => {
    const hlc = '000001700000000:000000:device_1700000000000_test';
    const old = {
      ...base,
      weekdays: [1],
      archived: false,
      archivedOn: null,
      hlc,
      clocks: { title: hlc, points: hlc, weekdays: hlc, archived: hlc, order: hlc },
    };
    expect(v.safeParse(taskSchema, old).success).toBe(true);
  });

  it('createTask without a schedule (an older client) makes a weekdays task', () => {
    const tx = new MemoryTx();
    device('a').apply(tx, 'createTask', base);
    expect((tx.get('tasks', T1) as Task).schedule).toEqual({ kind: 'weekdays' });
  });

  it('editing only the schedule keeps the weekdays, so switching back restores them', () => {
    const tx = new MemoryTx();
    const alice = device('a');
    alice.apply(tx, 'createTask', base);
    alice.apply(tx, 'editTask', { id: T1, schedule: { kind: 'everyNDays', days: 2 } });
    expect(tx.get('tasks', T1)).toMatchObject({
      weekdays: [1, 3, 5],
      schedule: { kind: 'everyNDays', days: 2 },
    });
    alice.apply(tx, 'editTask', { id: T1, schedule: { kind: 'weekdays' } });
    expect(tx.get('tasks', T1)).toMatchObject({ weekdays: [1, 3, 5], schedule: { kind: 'weekdays' } });
  });

  it('weekdays alone (an older client) make it a weekdays task again', () => {
    const tx = new MemoryTx();
    const alice = device('a');
    alice.apply(tx, 'createTask', { ...base, schedule: { kind: 'timesPerWeek', times: 3 } });
    alice.apply(tx, 'editTask', { id: T1, weekdays: [2] });
    expect(tx.get('tasks', T1)).toMatchObject({ weekdays: [2], schedule: { kind: 'weekdays' } });
  });

  it.each([
    ['0 times a week', { kind: 'timesPerWeek', times: 0 }],
    ['8 times a week', { kind: 'timesPerWeek', times: 8 }],
    ['2.5 times a week', { kind: 'timesPerWeek', times: 2.5 }],
    ['every 0 days', { kind: 'everyNDays', days: 0 }],
    ['every 366 days', { kind: 'everyNDays', days: 366 }],
    ['every "2" days', { kind: 'everyNDays', days: '2' }],
    ['an unknown kind', { kind: 'monthly', day: 1 }],
    ['no kind', { times: 3 }],
  ])('refuses a schedule of %s', (_name, schedule) => {
    const tx = new MemoryTx();
    const alice = device('a');
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed arguments, as a client could send.
    const bad = { ...base, schedule } as any;
    expect(codeOf(() => alice.apply(tx, 'createTask', bad))).toBe('InvalidArgs');
    alice.apply(tx, 'createTask', base);
    expect(codeOf(() => alice.apply(tx, 'editTask', { id: T1, schedule: bad.schedule }))).toBe('InvalidArgs');
  });
});
