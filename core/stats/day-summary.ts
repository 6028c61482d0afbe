// Which tasks count on a day, and the day's tallies: the one rule every figure is built on.
//
// A task counts on day d when it existed (created on or before d) and either
//   - it is scheduled then: d's weekday is one of its weekdays and it was not archived by d
//     (archiving takes a task off the schedule from its `archivedOn` day on, and leaves every
//     earlier day as it was, so history and streaks do not change when a task is retired), or
//   - it was marked (completed or skipped) on d: what the user did stays counted even if the task's
//     weekdays were edited later or it was archived that same day.
import { type LocalDate, weekdayOf } from '../dates.ts';
import type { Completion, CompletionStatus, Task } from '../schemas/record-schemas.ts';
import { DAY_MEMO_PREFIX, type Snapshot } from '../snapshot.ts';

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

function computeDay(snapshot: Snapshot, date: LocalDate): DaySummary {
  const weekday = weekdayOf(date);
  const marks = snapshot.completionsByDate.get(date);
  const summary: DaySummary = { date, scheduled: 0, completed: 0, skipped: 0, points: 0 };
  for (const task of snapshot.tasks) {
    const mark = marks?.get(task.id);
    if (!counts(task, date, weekday, mark)) continue;
    summary.scheduled += 1;
    if (mark?.status === 'completed') {
      summary.completed += 1;
      summary.points += mark.points;
    } else if (mark?.status === 'skipped') summary.skipped += 1;
  }
  return summary;
}

/** The day's tallies (memoized per snapshot, and carried to the next one when the day is untouched). */
export function daySummary(snapshot: Snapshot, date: LocalDate): DaySummary {
  const key = DAY_MEMO_PREFIX + date;
  let summary = snapshot.memo.get(key) as DaySummary | undefined;
  if (!summary) {
    summary = computeDay(snapshot, date);
    snapshot.memo.set(key, summary);
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
