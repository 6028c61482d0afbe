// The figures of one task: its day-by-day history, streaks, completion rates and habit strength.
//
// Each day since the task was created has one state:
//   done, skipped     marked so that day (whatever the schedule said)
//   missed            due by its schedule (schedule-rules.ts), unmarked, and already over
//   open              due today and not marked yet
//   not scheduled     neither (rest days, a times-per-week task's spare days, days before creation)
// Settled days are every day before today, plus today once it is done or skipped. Over them:
//   - streak: done days in a row; a missed day ends it; skipped and unscheduled days are neutral;
//   - completion rate over N days: done ÷ (done + missed), over the N days ending today once today is
//     marked, else ending yesterday; null when nothing was due — for a task alone this is exactly the
//     overall completion rate (completion-rate.ts);
//   - strength (strength.ts): done steps up, missed steps down, every other day is neutral.
import { addDays, fromDayNumber, type LocalDate, toDayNumber } from '../dates.ts';
import type { Task, TaskSchedule } from '../schemas/record-schemas.ts';
import type { Snapshot } from '../snapshot.ts';
import { frequencyOf, isDue, scheduleOf, scheduleRow, weekFirstDay } from './schedule-rules.ts';
import type { Streaks } from './streaks.ts';
import { nextStrength, strengthMultiplier } from './strength.ts';

export type TaskDayState = 'done' | 'skipped' | 'missed' | 'open' | 'not scheduled';

export interface TaskDay {
  date: LocalDate;
  state: TaskDayState;
}

export interface StrengthPoint {
  date: LocalDate;
  /** 0…1 at the end of the day. */
  value: number;
}

export interface TaskStats {
  task: Task;
  schedule: TaskSchedule;
  streak: Streaks;
  /** Fractions 0…1, null when nothing was due in the window. */
  rates: { days7: number | null; days30: number | null; days365: number | null };
  /** 0…1 as of today. */
  strength: number;
  /** One point per day from `from` (or the creation day, if later) to today. */
  strengthSeries: StrengthPoint[];
  /** One entry per day from `from` to today. */
  history: TaskDay[];
}

/** The state of every day of `task` from its creation to `today` (oldest first). */
export function taskDayStates(snapshot: Snapshot, task: Task, today: LocalDate): TaskDayState[] {
  const row = scheduleRow(task);
  const weekStart = snapshot.settings.weekStart;
  const end = toDayNumber(today);
  const states: TaskDayState[] = [];
  let markedThisWeek = 0;
  for (let n = row.createdDay; n <= end; n += 1) {
    if (n === row.createdDay || n === weekFirstDay(n, weekStart)) markedThisWeek = 0;
    const mark = snapshot.completionsByDate.get(fromDayNumber(n))?.get(task.id);
    if (mark) {
      markedThisWeek += 1;
      states.push(mark.status === 'completed' ? 'done' : 'skipped');
    } else if (isDue(row, n, weekStart, markedThisWeek)) states.push(n === end ? 'open' : 'missed');
    else states.push('not scheduled');
  }
  return states;
}

function rateOver(states: readonly TaskDayState[], lastIndex: number, days: number): number | null {
  let done = 0;
  let missed = 0;
  for (let i = Math.max(0, lastIndex - days + 1); i <= lastIndex; i += 1) {
    if (states[i] === 'done') done += 1;
    else if (states[i] === 'missed') missed += 1;
  }
  return done + missed > 0 ? done / (done + missed) : null;
}

/** The figures of task `taskId` as of `today`, with history from `from`; undefined for no such task. */
export function taskStats(
  snapshot: Snapshot,
  taskId: string,
  today: LocalDate,
  from: LocalDate = addDays(today, -364),
): TaskStats | undefined {
  const task = snapshot.taskById.get(taskId);
  if (!task) return undefined;
  const states = taskDayStates(snapshot, task, today);
  const created = toDayNumber(task.createdOn);
  const fromDay = toDayNumber(from);
  const multiplier = strengthMultiplier(frequencyOf(scheduleRow(task)));
  let strength = 0;
  let run = 0;
  let best = 0;
  const strengthSeries: StrengthPoint[] = [];
  states.forEach((state, i) => {
    if (state === 'done') run += 1;
    if (state === 'missed') run = 0;
    best = Math.max(best, run);
    strength = nextStrength(
      strength,
      multiplier,
      state === 'done' ? true : state === 'missed' ? false : null,
    );
    if (created + i >= fromDay) strengthSeries.push({ date: fromDayNumber(created + i), value: strength });
  });
  const todayState = states.at(-1);
  // A marked today joins the windows; otherwise they end yesterday (an open morning is no failure).
  const last = states.length - (todayState === 'done' || todayState === 'skipped' ? 1 : 2);
  const history: TaskDay[] = [];
  for (let n = fromDay; n <= toDayNumber(today); n += 1) {
    history.push({ date: fromDayNumber(n), state: states[n - created] ?? 'not scheduled' });
  }
  return {
    task,
    schedule: scheduleOf(task),
    streak: { current: run, best },
    rates: {
      days7: rateOver(states, last, 7),
      days30: rateOver(states, last, 30),
      days365: rateOver(states, last, 365),
    },
    strength,
    strengthSeries,
    history,
  };
}
