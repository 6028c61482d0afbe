// Which tasks count on a day, and the day's tallies: the one rule every figure is built on.
//
// A task counts on day d when it existed (created on or before d) and either
//   - it is due then by its schedule (schedule-rules.ts) and was not archived by d (archiving takes
//     a task off the schedule from its `archivedOn` day on, and leaves every earlier day as it was,
//     so history and streaks do not change when a task is retired), or
//   - it was marked (completed or skipped) on d: what the user did stays counted even if the task's
//     schedule was edited later or it was archived that same day.
// A `timesPerWeek` task is also offered on days it is not yet due (`optional`): it counts there only
// once marked.
import { fromDayNumber, type LocalDate, toDayNumber } from '../dates.ts';
import type { Completion, CompletionStatus, Task } from '../schemas/record-schemas.ts';
import type { Snapshot } from '../snapshot.ts';
import { isDue, isOptional, type ScheduleRow, scheduleRow, weekFirstDay } from './schedule-rules.ts';

export interface DaySummary {
  date: LocalDate;
  /** Tasks that count on the day. */
  scheduled: number;
  completed: number;
  skipped: number;
  /** Points of the completed ones (as stored on each completion). */
  points: number;
}

export type TaskDayStatus = CompletionStatus | 'open';

export interface TaskOnDay {
  task: Task;
  status: TaskDayStatus;
  completion: Completion | undefined;
  /** Offered but not due: left open it does not count (a `timesPerWeek` task with quota to spare). */
  optional: boolean;
}

/** Times `row` was marked in `day`'s week before `day` (only `timesPerWeek` reads it). */
export function markedInWeekBefore(snapshot: Snapshot, row: ScheduleRow, day: number): number {
  if (row.kind !== 'timesPerWeek') return 0;
  let marked = 0;
  const from = Math.max(weekFirstDay(day, snapshot.settings.weekStart), row.createdDay);
  for (let n = from; n < day; n += 1) {
    if (snapshot.completionsByDate.get(fromDayNumber(n))?.has(row.id)) marked += 1;
  }
  return marked;
}

/** The tasks that count on `date` (and the optional ones on offer), in list order, each with its mark. */
export function tasksOn(snapshot: Snapshot, date: LocalDate): TaskOnDay[] {
  const day = toDayNumber(date);
  const weekStart = snapshot.settings.weekStart;
  const marks = snapshot.completionsByDate.get(date);
  const table = taskTable(snapshot.tasks);
  const result: TaskOnDay[] = [];
  for (const task of snapshot.tasks) {
    const row = table.byId.get(task.id);
    if (!row || row.createdDay > day) continue;
    const completion = marks?.get(task.id);
    const before = markedInWeekBefore(snapshot, row, day);
    const optional = !completion && isOptional(row, day, weekStart, before);
    if (!completion && !optional && !isDue(row, day, weekStart, before)) continue;
    result.push({ task, status: completion?.status ?? 'open', completion, optional });
  }
  return result;
}

/** The tasks scheduled on (counting on) `date`. */
export function tasksScheduledOn(snapshot: Snapshot, date: LocalDate): Task[] {
  return tasksOn(snapshot, date)
    .filter((entry) => !entry.optional)
    .map((entry) => entry.task);
}

interface TaskTable {
  rows: ScheduleRow[];
  byId: Map<string, ScheduleRow>;
}

const tables = new WeakMap<readonly Task[], TaskTable>();

export function taskTable(tasks: readonly Task[]): TaskTable {
  let table = tables.get(tasks);
  if (!table) {
    const rows = tasks.map(scheduleRow);
    table = { rows, byId: new Map(rows.map((row) => [row.id, row])) };
    tables.set(tasks, table);
  }
  return table;
}

/**
 * The tallies of day number `day`, computed afresh: the same rule as `tasksOn`, on numbers, visiting
 * the day's marks rather than looking each task up (see stats-cache.ts for the memoized version).
 */
export function computeDay(snapshot: Snapshot, day: number): DaySummary {
  const date = fromDayNumber(day);
  const weekStart = snapshot.settings.weekStart;
  const table = taskTable(snapshot.tasks);
  const summary: DaySummary = { date, scheduled: 0, completed: 0, skipped: 0, points: 0 };
  const marks = snapshot.completionsByDate.get(date);
  for (const row of table.rows) {
    if (marks?.has(row.id)) continue; // counted below, with its mark
    if (isDue(row, day, weekStart, markedInWeekBefore(snapshot, row, day))) summary.scheduled += 1;
  }
  if (!marks) return summary;
  for (const mark of marks.values()) {
    const row = table.byId.get(mark.taskId);
    if (!row || row.createdDay > day) continue;
    summary.scheduled += 1;
    if (mark.status === 'completed') {
      summary.completed += 1;
      summary.points += mark.points;
    } else summary.skipped += 1;
  }
  return summary;
}

/** Every task counting that day was completed or skipped (false when nothing counts). */
export function isDayDone(summary: DaySummary): boolean {
  return summary.scheduled > 0 && summary.completed + summary.skipped === summary.scheduled;
}

/** The earliest day any task existed on, or undefined with no tasks. */
export function firstTaskDay(snapshot: Snapshot): LocalDate | undefined {
  let first: LocalDate | undefined;
  for (const task of snapshot.tasks)
    if (first === undefined || task.createdOn < first) first = task.createdOn;
  return first;
}
