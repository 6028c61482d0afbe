// What the task form holds while the user types, what is wrong with it, and the task it makes.
import type { TaskSchedule } from '../../../core/schemas/record-schemas.ts';

/** The longest title a task may have (core's task title schema, after trimming). */
export const TITLE_MAX = 120;

export interface TaskDraft {
  title: string;
  points: string;
  kind: TaskSchedule['kind'];
  weekdays: readonly number[];
  /** Times per week, as typed. */
  times: string;
  /** Days between two times, as typed. */
  every: string;
}

export interface TaskInput {
  title: string;
  points: number;
  weekdays: number[];
  schedule: TaskSchedule;
}

export type DraftField = 'title' | 'points' | 'days' | 'times' | 'every';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

export function emptyDraft(): TaskDraft {
  return { title: '', points: '1', kind: 'weekdays', weekdays: EVERY_DAY, times: '3', every: '2' };
}

export function draftOf(task: {
  title: string;
  points: number;
  weekdays: readonly number[];
  schedule?: TaskSchedule | undefined;
}): TaskDraft {
  const schedule = task.schedule ?? { kind: 'weekdays' };
  return {
    title: task.title,
    points: String(task.points),
    kind: schedule.kind,
    weekdays: [...task.weekdays],
    times: schedule.kind === 'timesPerWeek' ? String(schedule.times) : '3',
    every: schedule.kind === 'everyNDays' ? String(schedule.days) : '2',
  };
}

const isWhole = (text: string, min: number, max: number) => {
  const value = Number(text);
  return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max;
};

/** Characters left for the title (negative when over; counted as saved: trimmed). */
export function titleRemaining(title: string): number {
  return TITLE_MAX - [...title.trim()].length;
}

/** What is wrong with the draft, and which field to send the user to; null when it can be saved. */
export function taskProblem(draft: TaskDraft): { field: DraftField; message: string } | null {
  if (!draft.title.trim()) return { field: 'title', message: 'Give the task a title.' };
  const over = -titleRemaining(draft.title);
  if (over > 0)
    return {
      field: 'title',
      message: `The title is ${over} character${over === 1 ? '' : 's'} too long (at most ${TITLE_MAX}).`,
    };
  if (!isWhole(draft.points, 1, 100))
    return { field: 'points', message: 'Points are a whole number from 1 to 100.' };
  if (draft.kind === 'weekdays' && draft.weekdays.length === 0)
    return { field: 'days', message: 'Pick at least one day.' };
  if (draft.kind === 'timesPerWeek' && !isWhole(draft.times, 1, 7))
    return { field: 'times', message: 'Times a week is a whole number from 1 to 7.' };
  if (draft.kind === 'everyNDays' && !isWhole(draft.every, 1, 365))
    return { field: 'every', message: 'The interval is a whole number of days from 1 to 365.' };
  return null;
}

/** The task a valid draft describes (see `taskProblem`). */
export function inputOf(draft: TaskDraft): TaskInput {
  const schedule: TaskSchedule =
    draft.kind === 'timesPerWeek'
      ? { kind: 'timesPerWeek', times: Number(draft.times) }
      : draft.kind === 'everyNDays'
        ? { kind: 'everyNDays', days: Number(draft.every) }
        : { kind: 'weekdays' };
  // Weekdays are kept under the other kinds (switching back restores them), so never empty.
  const weekdays = draft.weekdays.length > 0 ? [...draft.weekdays] : EVERY_DAY;
  return { title: draft.title.trim(), points: Number(draft.points), weekdays, schedule };
}
