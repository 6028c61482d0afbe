// When a task is due, per schedule kind: the rule every per-day figure and every per-task figure uses.
//
//   weekdays      due on each of its weekdays
//   everyNDays    due on createdOn, createdOn + N, createdOn + 2N, …
//   timesPerWeek  due on a day once the week's remaining quota needs every remaining day of the week:
//
//       3 a week, Monday-first week, nothing marked:  Mo Tu We Th Fr Sa Su
//                                                      ·  ·  ·  ·  D  D  D   (D = due)
//       marked on Tuesday:                             ·  M  ·  ·  ·  D  D
//
//     Until then the task is offered (it may be done any day) but an unmarked day does not count. So
//     the unmarked due days of a week are exactly its shortfall, each one a missed day, and the day
//     tallies, streaks and rates work for this kind as for the others. A skip counts towards the
//     quota, as an excused time. The quota of a week the task exists only partly in (created or
//     archived mid-week) is at most the number of days it exists that week.
//
// Every kind: never due before createdOn, nor from archivedOn on; a day the task was marked on counts
// whatever the schedule says (see day-summary.ts).
import { toDayNumber, type WeekStart } from '../dates.ts';
import type { Task, TaskSchedule } from '../schemas/record-schemas.ts';

/** A task's schedule on day numbers, for the per-day loops. */
export interface ScheduleRow {
  id: string;
  createdDay: number;
  /** The first day it is no longer scheduled (Infinity while active). */
  archivedDay: number;
  kind: TaskSchedule['kind'];
  /** Bit d set when due on weekday d (`weekdays` kind). */
  weekdayMask: number;
  /** N of `everyNDays`, `times` of `timesPerWeek` (0 for `weekdays`). */
  every: number;
  times: number;
}

export function scheduleOf(task: Task): TaskSchedule {
  return task.schedule ?? { kind: 'weekdays' };
}

export function scheduleRow(task: Task): ScheduleRow {
  const schedule = scheduleOf(task);
  return {
    id: task.id,
    createdDay: toDayNumber(task.createdOn),
    archivedDay: task.archivedOn === null ? Number.POSITIVE_INFINITY : toDayNumber(task.archivedOn),
    kind: schedule.kind,
    weekdayMask: task.weekdays.reduce((mask, day) => mask | (1 << day), 0),
    every: schedule.kind === 'everyNDays' ? schedule.days : 0,
    times: schedule.kind === 'timesPerWeek' ? schedule.times : 0,
  };
}

/** 0 = Sunday … 6 = Saturday of day number `day` (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The day number the week containing `day` starts on. */
export function weekFirstDay(day: number, weekStart: WeekStart): number {
  return day - ((weekdayOfDay(day) - weekStart + 7) % 7);
}

export function exists(row: ScheduleRow, day: number): boolean {
  return row.createdDay <= day && day < row.archivedDay;
}

/** Due on `day` by a calendar rule (`weekdays`, `everyNDays`); false for `timesPerWeek`. */
export function isDueByCalendar(row: ScheduleRow, day: number): boolean {
  if (!exists(row, day)) return false;
  if (row.kind === 'weekdays') return (row.weekdayMask & (1 << weekdayOfDay(day))) !== 0;
  if (row.kind === 'everyNDays') return (day - row.createdDay) % row.every === 0;
  return false;
}

/** The quota still open on `day` of a `timesPerWeek` task, and how many days of the week remain. */
export function quotaOn(
  row: ScheduleRow,
  day: number,
  weekFirst: number,
  markedBefore: number,
): { need: number; daysLeft: number } {
  const first = Math.max(weekFirst, row.createdDay);
  const last = Math.min(weekFirst + 6, row.archivedDay - 1);
  const quota = Math.min(row.times, last - first + 1);
  return { need: quota - markedBefore, daysLeft: last - day + 1 };
}

/**
 * Due on `day`, given how many times the task was marked in `day`'s week before `day` (only read for
 * `timesPerWeek`).
 */
export function isDue(row: ScheduleRow, day: number, weekStart: WeekStart, markedBefore: number): boolean {
  if (row.kind !== 'timesPerWeek') return isDueByCalendar(row, day);
  if (!exists(row, day)) return false;
  const { need, daysLeft } = quotaOn(row, day, weekFirstDay(day, weekStart), markedBefore);
  return need > 0 && need >= daysLeft;
}

/** Offered on `day` without being due: a `timesPerWeek` task whose week still has quota left. */
export function isOptional(
  row: ScheduleRow,
  day: number,
  weekStart: WeekStart,
  markedBefore: number,
): boolean {
  if (row.kind !== 'timesPerWeek' || !exists(row, day)) return false;
  const { need, daysLeft } = quotaOn(row, day, weekFirstDay(day, weekStart), markedBefore);
  return need > 0 && need < daysLeft;
}

/** Expected times per day: weekdays ÷ 7, times ÷ 7, or 1 ÷ N. */
export function frequencyOf(row: ScheduleRow): number {
  if (row.kind === 'everyNDays') return 1 / row.every;
  if (row.kind === 'timesPerWeek') return row.times / 7;
  let count = 0;
  for (let d = 0; d < 7; d += 1) if (row.weekdayMask & (1 << d)) count += 1;
  return count / 7;
}
