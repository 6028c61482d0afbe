// Builds the arguments of the task and weight mutations from what the user sees.
import type { LocalDate } from '../../../core/dates.ts';
import { newId } from '../../../core/ids.ts';
import { completionId } from '../../../core/records.ts';
import { isTombstone, type TaskSchedule } from '../../../core/schemas/record-schemas.ts';
import type { Snapshot } from '../../../core/snapshot.ts';

/** Arguments to complete `taskId` on `date`, or undefined when it is already completed. */
export function completeTaskArgs(snapshot: Snapshot, taskId: string, date: LocalDate) {
  const task = snapshot.taskById.get(taskId);
  if (!task) return undefined;
  const mark = snapshot.get('completions', completionId(taskId, date));
  if (mark && !isTombstone(mark) && mark.status === 'completed') return undefined;
  return { taskId, date, points: task.points };
}

export function createTaskArgs(
  snapshot: Snapshot,
  input: { title: string; points: number; weekdays: number[]; schedule?: TaskSchedule },
  today: LocalDate,
) {
  const order = snapshot.tasks.reduce((max, t) => Math.max(max, t.order), -1) + 1;
  return {
    id: newId(),
    title: input.title,
    points: input.points,
    weekdays: input.weekdays,
    ...(input.schedule ? { schedule: input.schedule } : {}),
    createdOn: today,
    order,
  };
}

/** The ids in their new order after moving `taskId` one place up (-1) or down (+1). */
export function reorderedIds(snapshot: Snapshot, taskId: string, delta: -1 | 1): string[] | undefined {
  const ids = snapshot.tasks.filter((t) => !t.archived).map((t) => t.id);
  const from = ids.indexOf(taskId);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ids.length) return undefined;
  [ids[from], ids[to]] = [ids[to] as string, ids[from] as string];
  return ids;
}
