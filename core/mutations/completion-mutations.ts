// Completing, skipping and uncompleting a task for one local day.
import { DomainError } from '../errors.ts';
import { compareHlcAt } from '../hlc.ts';
import { completionId } from '../records.ts';
import { completeTaskArgsSchema, taskDayArgsSchema } from '../schemas/mutation-schemas.ts';
import type { CompletionStatus, Task } from '../schemas/record-schemas.ts';
import { putIfNewer, type Tx } from '../store.ts';
import { assertDateInRange, defineMutator, type MutationContext, requireTask } from './mutator.ts';

function readsOf(args: { taskId: string; date: string }) {
  return [
    { collection: 'tasks' as const, id: args.taskId },
    { collection: 'completions' as const, id: completionId(args.taskId, args.date) },
  ];
}

/**
 * A task archived *before* this mutation (by clock) takes no new marks. Comparing stamps rather than
 * the current flag keeps the outcome the same whichever of the two reaches the server first.
 */
function assertMarkable(task: Task, date: string, ctx: MutationContext): void {
  assertDateInRange(date, ctx.nowMs);
  if (date < task.createdOn) {
    throw new DomainError(
      'NotScheduled',
      `The task did not exist yet on ${date} (created ${task.createdOn}).`,
    );
  }
  if (task.archived && compareHlcAt(task.clocks.archived, ctx.hlc, ctx.nowMs) < 0) {
    throw new DomainError('TaskArchived', `The task "${task.title}" is archived.`);
  }
}

/**
 * The day already holds this write or a later one: applying it again is a no-op, checked before the
 * rules so a replay never fails on state that came after it (say, a later archive of the task).
 */
function isSuperseded(tx: Tx, args: { taskId: string; date: string }, ctx: MutationContext): boolean {
  const current = tx.get('completions', completionId(args.taskId, args.date));
  return current !== undefined && compareHlcAt(current.hlc, ctx.hlc, ctx.nowMs) >= 0;
}

function mark(
  tx: Tx,
  args: { taskId: string; date: string; points?: number | undefined },
  status: CompletionStatus,
  ctx: MutationContext,
): void {
  const task = requireTask(tx, args.taskId);
  if (isSuperseded(tx, args, ctx)) return;
  assertMarkable(task, args.date, ctx);
  putIfNewer(
    tx,
    'completions',
    {
      id: completionId(args.taskId, args.date),
      taskId: args.taskId,
      date: args.date,
      status,
      points: args.points ?? task.points,
      hlc: ctx.hlc,
    },
    ctx.nowMs,
  );
}

export const completeTask = defineMutator({
  name: 'completeTask',
  argsSchema: completeTaskArgsSchema,
  reads: readsOf,
  apply: (tx, args, ctx) => mark(tx, args, 'completed', ctx),
});

export const skipTask = defineMutator({
  name: 'skipTask',
  argsSchema: completeTaskArgsSchema,
  reads: readsOf,
  apply: (tx, args, ctx) => mark(tx, args, 'skipped', ctx),
});

/** Deletes the day's mark, leaving a tombstone so an older complete arriving later stays deleted. */
export const uncompleteTask = defineMutator({
  name: 'uncompleteTask',
  argsSchema: taskDayArgsSchema,
  reads: readsOf,
  apply(tx, args, ctx) {
    assertDateInRange(args.date, ctx.nowMs);
    requireTask(tx, args.taskId);
    putIfNewer(
      tx,
      'completions',
      { id: completionId(args.taskId, args.date), hlc: ctx.hlc, deleted: true },
      ctx.nowMs,
    );
  },
});
