// The words and rules of the screens' forms: schedules, task and weight validation, save messages.
import { describe, expect, it } from 'vitest';
import { describeSchedule, formatChange, formatPercent, scheduleText } from '../../web/src/ui/format.ts';
import {
  emptyDraft,
  inputOf,
  type TaskDraft,
  taskProblem,
  titleRemaining,
} from '../../web/src/ui/task-draft.ts';
import { dayWords, parseWeight, savedMessage } from '../../web/src/ui/weight-input.ts';

describe('scheduleText', () => {
  it.each([
    { days: [0, 1, 2, 3, 4, 5, 6], weekStart: 1, want: 'Every day' },
    { days: [1, 2, 3, 4, 5], weekStart: 1, want: 'Weekdays' },
    { days: [0, 6], weekStart: 1, want: 'Weekends' },
    // In the user's week order, not Sunday-first: a Monday week ends on Sunday.
    { days: [0, 1, 3], weekStart: 1, want: 'Mon, Wed, Sun' },
    { days: [0, 1, 3], weekStart: 0, want: 'Sun, Mon, Wed' },
    { days: [1, 2, 3, 4, 5, 6], weekStart: 1, want: 'Mon, Tue, Wed, Thu, Fri, Sat' },
  ])('$days from weekday $weekStart: $want', ({ days, weekStart, want }) => {
    expect(scheduleText(days, weekStart)).toBe(want);
  });
});

describe('formatPercent', () => {
  it.each([
    { value: 1.0, want: '+1.0%' },
    { value: -2.345, want: '−2.3%' },
    { value: 0, want: '0.0%' },
    // (1.01 × 0.99 − 1) × 100: one good day and one bad day is not a loss worth a minus sign.
    { value: (1.01 * 0.99 - 1) * 100, want: '0.0%' },
    { value: 0.04, want: '0.0%' },
  ])('$value → $want', ({ value, want }) => {
    expect(formatPercent(value)).toBe(want);
  });
});

describe('formatChange', () => {
  it('rounds before choosing the sign, so a change too small to show reads as no change', () => {
    expect(formatChange(0.04, 'kg')).toBe('±0.0 kg');
    expect(formatChange(-0.04, 'kg')).toBe('±0.0 kg');
    expect(formatChange(-0.96, 'lb')).toBe('−1.0 lb');
    expect(formatChange(null, 'kg')).toBe('—');
  });
});

describe('taskProblem', () => {
  const draft = (change: Partial<TaskDraft>): TaskDraft => ({ ...emptyDraft(), title: 'Read', ...change });
  it('names the field to fix first, and accepts a valid task', () => {
    expect(taskProblem(draft({ title: '  ' }))?.field).toBe('title');
    expect(taskProblem(draft({ points: '0' }))?.field).toBe('points');
    expect(taskProblem(draft({ points: '2.5' }))?.field).toBe('points');
    expect(taskProblem(draft({ points: '101' }))?.message).toBe('Points are a whole number from 1 to 100.');
    expect(taskProblem(draft({ points: '' }))?.field).toBe('points');
    expect(taskProblem(draft({ weekdays: [] }))?.field).toBe('days');
    expect(taskProblem(draft({ weekdays: [1] }))).toBeNull();
  });

  it('checks the number of the chosen schedule kind only', () => {
    expect(taskProblem(draft({ kind: 'timesPerWeek', times: '8' }))?.field).toBe('times');
    expect(taskProblem(draft({ kind: 'timesPerWeek', times: '' }))?.field).toBe('times');
    expect(taskProblem(draft({ kind: 'everyNDays', every: '0' }))?.field).toBe('every');
    expect(taskProblem(draft({ kind: 'everyNDays', every: '1.5' }))?.field).toBe('every');
    expect(taskProblem(draft({ kind: 'everyNDays', every: '3', weekdays: [] }))).toBeNull();
    expect(taskProblem(draft({ kind: 'weekdays', times: 'x', every: 'y' }))).toBeNull();
  });

  it('says how far over the limit a title is instead of cutting it', () => {
    expect(titleRemaining('x'.repeat(120))).toBe(0);
    expect(titleRemaining(`  ${'x'.repeat(120)}  `)).toBe(0);
    expect(taskProblem(draft({ title: 'x'.repeat(121) }))).toEqual({
      field: 'title',
      message: 'The title is 1 character too long (at most 120).',
    });
    expect(taskProblem(draft({ title: 'x'.repeat(125) }))?.message).toMatch(/5 characters too long/);
  });

  it('makes the task of each schedule kind, keeping the weekdays for a later switch back', () => {
    expect(inputOf(draft({ kind: 'timesPerWeek', times: '3', weekdays: [1, 2] }))).toEqual({
      title: 'Read',
      points: 1,
      weekdays: [1, 2],
      schedule: { kind: 'timesPerWeek', times: 3 },
    });
    expect(inputOf(draft({ kind: 'everyNDays', every: '4', weekdays: [] })).schedule).toEqual({
      kind: 'everyNDays',
      days: 4,
    });
    expect(inputOf(draft({ kind: 'everyNDays', every: '4', weekdays: [] })).weekdays).toHaveLength(7);
  });
});

describe('describeSchedule', () => {
  it.each([
    [{ weekdays: [1, 2, 3, 4, 5] }, 'Weekdays'],
    [{ weekdays: [1], schedule: { kind: 'weekdays' } }, 'Mon'],
    [{ weekdays: [1], schedule: { kind: 'timesPerWeek', times: 3 } }, '3 times a week'],
    [{ weekdays: [1], schedule: { kind: 'timesPerWeek', times: 1 } }, 'Once a week'],
    [{ weekdays: [1], schedule: { kind: 'everyNDays', days: 2 } }, 'Every 2 days'],
  ])('%j → %s', (task, want) => {
    expect(describeSchedule(task)).toBe(want);
  });
});

describe('parseWeight', () => {
  const today = '2026-03-10';
  it('accepts a comma as the decimal mark', () => {
    expect(parseWeight('80,5', 'kg', today, today)).toEqual({ value: 80.5 });
  });
  it('asks for a weight when the field is empty, rather than quoting the bounds', () => {
    expect(parseWeight(' ', 'kg', today, today)).toEqual({ error: 'Enter your weight in kg.' });
  });
  it('quotes the bounds of the unit for an implausible weight', () => {
    expect(parseWeight('5000', 'kg', today, today)).toEqual({
      error: 'Enter a weight between 20 and 500 kg.',
    });
    expect(parseWeight('30', 'lb', today, today)).toEqual({
      error: 'Enter a weight between 44 and 1100 lb.',
    });
  });
  it('refuses a day after today, or no day at all', () => {
    expect(parseWeight('80', 'kg', '2026-03-11', today)).toEqual({ error: 'Pick a date up to today.' });
    expect(parseWeight('80', 'kg', '', today)).toEqual({ error: 'Pick a date up to today.' });
    expect(parseWeight('80', 'kg', '2026-03-09', today)).toEqual({ value: 80 });
  });
});

describe('weight messages', () => {
  it('says today, yesterday, or the date', () => {
    expect(dayWords('2026-03-10', '2026-03-10', '2026-03-09')).toBe('today');
    expect(dayWords('2026-03-09', '2026-03-10', '2026-03-09')).toBe('yesterday');
    expect(dayWords('2026-03-01', '2026-03-10', '2026-03-09')).toMatch(/Mar 1, 2026/);
  });
  it('says when a save replaced the day’s earlier weight', () => {
    expect(savedMessage(80, undefined, 'kg', 'today')).toBe('Saved 80.0 kg for today.');
    expect(savedMessage(80.6, 80.2, 'kg', 'yesterday')).toBe(
      'Saved 80.6 kg for yesterday (it replaces 80.2 kg).',
    );
  });
});
