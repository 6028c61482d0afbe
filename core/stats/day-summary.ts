// Which tasks count on a day, and the day's tallies: the one rule every figure is built on.
//
// A task counts on day d when it existed (created on or before d) and either
//   - it is scheduled then: d's weekday is one of its weekdays and it was not archived by d
//     (archiving takes a task off the schedule from its `archivedOn` day on, and leaves every
//     earlier day as it was, so history and streaks do not change when a task is retired), or
//   - it was marked (completed or skipped) on d: what the user did stays counted even if the task's
//     weekdays were edited later or it was archived that same day.
import { fromDayNumber, type LocalDate, toDayNumber, weekdayOf } from '../dates.ts';
import type { Completion, CompletionStatus, Task } from '../schemas/record-schemas.ts';
import type { Snapshot } from '../snapshot.ts';

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
}

function counts(task: Task, date: LocalDate, weekday: number, mark: Completion | undefined): boolean {
  if (task.createdOn > date) return false;
  if (mark) return true;
  const archivedBy = task.archivedOn !== null && task.archivedOn <= date;
  return !archivedBy && task.weekdays.includes(weekday);
}

/** The tasks that count on `date`, in list order, each with its mark. */
export function tasksOn(snapshot: Snapshot, date: LocalDate): TaskOnDay[] {
  const weekday = weekdayOf(date);
  const marks = snapshot.completionsByDate.get(date);
  const result: TaskOnDay[] = [];
  for (const task of snapshot.tasks) {
    const completion = marks?.get(task.id);
    if (!counts(task, date, weekday, completion)) continue;
    result.push({ task, status: completion?.status ?? 'open', completion });
  }
  return result;
}

/** The tasks scheduled on (counting on) `date`. */
export function tasksScheduledOn(snapshot: Snapshot, date: LocalDate): Task[] {
  return tasksOn(snapshot, date).map((entry) => entry.task);
}

/** A task with its dates as day numbers and its weekdays as a bit mask, for the per-day hot loop. */
interface TaskRow {
  id: string;
  createdDay: number;
  archivedDay: number;
  weekdayMask: number;
}

interface TaskTable {
  rows: TaskRow[];
  byId: Map<string, TaskRow>;
}

const tables = new WeakMap<readonly Task[], TaskTable>();

function taskTable(tasks: readonly Task[]): TaskTable {
  let table = tables.get(tasks);
  if (!table) {
    const rows = tasks.map((task) => ({
      id: task.id,
      createdDay: toDayNumber(task.createdOn),
      archivedDay: task.archivedOn === null ? Number.POSITIVE_INFINITY : toDayNumber(task.archivedOn),
      weekdayMask: task.weekdays.reduce((mask, day) => mask | (1 << day), 0),
    }));
    table = { rows, byId: new Map(rows.map((row) => [row.id, row])) };
    tables.set(tasks, table);
  }
  return table;
}

function onSchedule(row: TaskRow, day: number, weekdayBit: number): boolean {
  return row.createdDay <= day && row.archivedDay > day && (row.weekdayMask & weekdayBit) !== 0;
}

/**
 * The tallies of day number `day`, computed afresh: the same rule as `tasksOn`, on numbers, visiting
 * the day's marks rather than looking each task up (see stats-cache.ts for the memoized version).
 */
export function computeDay(snapshot: Snapshot, day: number): DaySummary {
  const date = fromDayNumber(day);
  const weekdayBit = 1 << ((((day + 4) % 7) + 7) % 7);
  const table = taskTable(snapshot.tasks);
  const summary: DaySummary = { date, scheduled: 0, completed: 0, skipped: 0, points: 0 };
  for (const row of table.rows) if (onSchedule(row, day, weekdayBit)) summary.scheduled += 1;
  const marks = snapshot.completionsByDate.get(date);
  if (!marks) return summary;
  for (const mark of marks.values()) {
    const row = table.byId.get(mark.taskId);
    if (!row || row.createdDay > day) continue;
    if (!onSchedule(row, day, weekdayBit)) summary.scheduled += 1; // counted because it was marked
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
