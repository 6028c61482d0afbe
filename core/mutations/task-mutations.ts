// Creating, editing, archiving and ordering tasks.
import { compareDates } from '../dates.ts';
import { mergeFieldGroups } from '../field-clocks.ts';
import { compareHlcAt } from '../hlc.ts';
import {
  archiveTaskArgsSchema,
  createTaskArgsSchema,
  editTaskArgsSchema,
  reorderTasksArgsSchema,
} from '../schemas/mutation-schemas.ts';
import { isTombstone, type Task, type TaskSchedule } from '../schemas/record-schemas.ts';
import type { Tx } from '../store.ts';
import { assertDateInRange, defineMutator, type MutationContext, requireTask } from './mutator.ts';

type TaskChanges = { [K in keyof Task['clocks']]?: Partial<Omit<Task, 'hlc' | 'clocks'>> };

const WEEKDAYS_SCHEDULE: TaskSchedule = { kind: 'weekdays' };

/**
 * The `weekdays` and `schedule` field groups of an edit: weekdays alone, from a client that predates
 * schedules, also mean a `weekdays` schedule. Under any other kind the weekdays are kept as they were,
 * so switching back restores them. Each group is always written whole, so edits converge.
 */
function scheduleChanges(
  weekdays: Task['weekdays'] | undefined,
  schedule: TaskSchedule | undefined,
): Pick<TaskChanges, 'weekdays' | 'schedule'> {
  return {
    weekdays: weekdays === undefined ? undefined : { weekdays },
    schedule:
      schedule !== undefined
        ? { schedule }
        : weekdays !== undefined
          ? { schedule: WEEKDAYS_SCHEDULE }
          : undefined,
  };
}

function putMerged(tx: Tx, task: Task, changes: TaskChanges, ctx: MutationContext): void {
  const next = mergeFieldGroups(task, changes, ctx.hlc, ctx.nowMs);
  if (next) tx.put('tasks', next);
}

export const createTask = defineMutator({
  name: 'createTask',
  argsSchema: createTaskArgsSchema,
  reads: (args) => [{ collection: 'tasks', id: args.id }],
  apply(tx, args, ctx) {
    const { hlc, nowMs } = ctx;
    assertDateInRange(args.createdOn, nowMs);
    const existing = tx.get('tasks', args.id);
    if (existing && !isTombstone(existing)) {
      // A replay (same stamp) changes nothing; a newer create of the same id overwrites field-wise.
      putMerged(tx, existing, fieldsOf(args), ctx);
      return;
    }
    if (existing && compareHlcAt(hlc, existing.hlc, nowMs) <= 0) return;
    tx.put('tasks', {
      id: args.id,
      title: args.title,
      points: args.points,
      weekdays: args.weekdays,
      schedule: args.schedule,
      createdOn: args.createdOn,
      archived: false,
      archivedOn: null,
      order: args.order,
      hlc,
      clocks: { title: hlc, points: hlc, weekdays: hlc, schedule: hlc, archived: hlc, order: hlc },
    });
  },
});

function fieldsOf(args: {
  title: string;
  points: number;
  weekdays: Task['weekdays'];
  schedule: TaskSchedule;
  order: number;
}): TaskChanges {
  return {
    title: { title: args.title },
    points: { points: args.points },
    ...scheduleChanges(args.weekdays, args.schedule),
    order: { order: args.order },
  };
}

export const editTask = defineMutator({
  name: 'editTask',
  argsSchema: editTaskArgsSchema,
  reads: (args) => [{ collection: 'tasks', id: args.id }],
  apply(tx, args, ctx) {
    const task = requireTask(tx, args.id);
    putMerged(
      tx,
      task,
      {
        title: args.title === undefined ? undefined : { title: args.title },
        points: args.points === undefined ? undefined : { points: args.points },
        ...scheduleChanges(args.weekdays, args.schedule),
      },
      ctx,
    );
  },
});

export const archiveTask = defineMutator({
  name: 'archiveTask',
  argsSchema: archiveTaskArgsSchema,
  reads: (args) => [{ collection: 'tasks', id: args.id }],
  apply(tx, args, ctx) {
    assertDateInRange(args.date, ctx.nowMs);
    const task = requireTask(tx, args.id);
    // Archiving "before" creation would rewrite nothing; clamp so the rule stays simple.
    let archivedOn: string | null = null;
    if (args.archived) archivedOn = compareDates(args.date, task.createdOn) < 0 ? task.createdOn : args.date;
    putMerged(tx, task, { archived: { archived: args.archived, archivedOn } }, ctx);
  },
});

export const reorderTasks = defineMutator({
  name: 'reorderTasks',
  argsSchema: reorderTasksArgsSchema,
  reads: (args) => args.ids.map((id) => ({ collection: 'tasks' as const, id })),
  apply(tx, args, ctx) {
    const tasks = args.ids.map((id) => requireTask(tx, id));
    tasks.forEach((task, index) => {
      putMerged(tx, task, { order: { order: index } }, ctx);
    });
  },
});
