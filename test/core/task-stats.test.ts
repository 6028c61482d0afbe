// One task's figures: streaks, completion rates and habit strength, for every schedule kind.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/dates.ts';
import type { CompletionStatus, TaskSchedule } from '../../core/schemas/record-schemas.ts';
import { completionRate, strengthMultiplier, taskStats } from '../../core/stats/index.ts';
import { taskId } from './fixtures.ts';
import { type World, worldSnapshot } from './stats-fixtures.ts';

const START = '2026-06-01'; // a Monday
const DAYS = 70;

function statsOf(world: World, today: string, from?: string) {
  const stats = taskStats(worldSnapshot(world), taskId(1), today, from);
  if (!stats) throw new Error('no task');
  return stats;
}

function daily(marks: Array<[number, CompletionStatus]>, schedule?: TaskSchedule): World {
  return {
    tasks: [{ n: 1, createdOn: START, ...(schedule ? { schedule } : {}) }],
    marks: marks.map(([i, status]) => [1, addDays(START, i), status]),
  };
}

describe('strength', () => {
  it('a daily task done 13 days in a row reaches 50%, as Loop’s score does', () => {
    const done = Array.from({ length: 13 }, (_, i): [number, CompletionStatus] => [i, 'completed']);
    expect(statsOf(daily(done), addDays(START, 12)).strength).toBeCloseTo(0.5, 12);
  });

  it('a rarer schedule moves further per time: half-life 13·√f occurrences', () => {
    expect(strengthMultiplier(1) ** 13).toBeCloseTo(0.5, 12);
    expect(strengthMultiplier(1 / 7) ** (13 * Math.sqrt(1 / 7))).toBeCloseTo(0.5, 12);
  });

  it('one missed day after a long run costs little; skipped and unscheduled days cost nothing', () => {
    const run = Array.from({ length: 60 }, (_, i): [number, CompletionStatus] => [i, 'completed']);
    const before = statsOf(daily(run), addDays(START, 59)).strength;
    const missed = statsOf(daily(run), addDays(START, 61)).strength; // day 60 missed, 61 open
    expect(missed).toBeLessThan(before);
    expect(missed).toBeGreaterThan(before * 0.9);
    const skipped = statsOf(daily([...run, [60, 'skipped']]), addDays(START, 60)).strength;
    expect(skipped).toBe(before);
  });
});

describe('streaks and rates of one task', () => {
  it('counts done days in a row, skips are neutral, a missed day ends the run', () => {
    const world = daily([
      [0, 'completed'],
      [1, 'completed'],
      [2, 'completed'],
      // day 3 missed
      [4, 'completed'],
      [5, 'skipped'],
      [6, 'completed'],
    ]);
    const stats = statsOf(world, addDays(START, 7));
    expect(stats.streak).toEqual({ current: 2, best: 3 });
    // today (day 7) is open: the 7 days end yesterday: 5 done, 1 missed, 1 skipped
    expect(stats.rates.days7).toBeCloseTo(5 / 6, 12);
  });

  it('has no rates before anything was due, and a history entry per day with its state', () => {
    const stats = statsOf(daily([]), START, addDays(START, -2));
    expect(stats.rates).toEqual({ days7: null, days30: null, days365: null });
    expect(stats.history).toEqual([
      { date: addDays(START, -2), state: 'not scheduled' },
      { date: addDays(START, -1), state: 'not scheduled' },
      { date: START, state: 'open' },
    ]);
  });

  it('is undefined for a task that does not exist', () => {
    expect(taskStats(worldSnapshot(daily([])), taskId(9), START)).toBeUndefined();
  });
});

const scheduleArb: fc.Arbitrary<TaskSchedule | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ kind: 'weekdays' as const }),
  fc.integer({ min: 1, max: 7 }).map((times) => ({ kind: 'timesPerWeek' as const, times })),
  fc.integer({ min: 1, max: 9 }).map((days) => ({ kind: 'everyNDays' as const, days })),
);
const weekdaysArb = fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 });
const marksArb = fc.dictionary(
  fc.integer({ min: 0, max: DAYS - 1 }).map(String),
  fc.constantFrom<CompletionStatus>('completed', 'skipped'),
  { maxKeys: 50 },
);
const historyArb = fc.record({
  schedule: scheduleArb,
  weekdays: weekdaysArb,
  marks: marksArb,
  weekStart: fc.constantFrom<0 | 1>(0, 1),
  today: fc.integer({ min: 0, max: DAYS - 1 }),
  day: fc.integer({ min: 0, max: DAYS - 1 }),
});
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

function worldOf(h: History, marks = h.marks): World {
  return {
    tasks: [
      { n: 1, createdOn: START, weekdays: h.weekdays, ...(h.schedule ? { schedule: h.schedule } : {}) },
    ],
    marks: Object.entries(marks).map(([i, status]): [number, string, CompletionStatus] => [
      1,
      addDays(START, Number(i)),
      status,
    ]),
    settings: { weekStart: h.weekStart },
  };
}

const seriesOf = (h: History, marks = h.marks) =>
  statsOf(worldOf(h, marks), addDays(START, h.today), START).strengthSeries.map((p) => p.value);

describe('properties, every schedule kind', () => {
  it('strength stays within 0…1 (0…100%)', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        for (const value of seriesOf(h)) expect(value >= 0 && value <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('strength is monotone in completions: completing one more day lowers no point of the series', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const before = seriesOf(h);
        const after = seriesOf(h, { ...h.marks, [h.day]: 'completed' });
        before.forEach((value, i) => {
          expect(after[i]).toBeGreaterThanOrEqual(value);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a skipped day is neutral: the score holds that day, and lies between missing and doing it', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const { [h.day]: _, ...unmarked } = h.marks;
        const skipped = seriesOf(h, { ...unmarked, [h.day]: 'skipped' });
        const done = seriesOf(h, { ...unmarked, [h.day]: 'completed' });
        const open = seriesOf(h, unmarked);
        if (h.day <= h.today) expect(skipped[h.day]).toBe(h.day === 0 ? 0 : skipped[h.day - 1]);
        skipped.forEach((value, i) => {
          expect(value).toBeGreaterThanOrEqual(open[i] ?? Number.NaN);
          expect(value).toBeLessThanOrEqual(done[i] ?? Number.NaN);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a task’s completion rate equals the overall rate of an account with only that task', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const world = worldOf(h);
        const today = addDays(START, h.today);
        const stats = statsOf(world, today);
        const snapshot = worldSnapshot(world);
        expect(stats.rates.days7).toBe(completionRate(snapshot, today, 7));
        expect(stats.rates.days30).toBe(completionRate(snapshot, today, 30));
      }),
      { numRuns: 300 },
    );
  });

  it('the current streak never exceeds the best, nor the done days', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const stats = statsOf(worldOf(h), addDays(START, h.today), START);
        const done = stats.history.filter((d) => d.state === 'done').length;
        expect(stats.streak.current).toBeLessThanOrEqual(stats.streak.best);
        expect(stats.streak.best).toBeLessThanOrEqual(done);
      }),
      { numRuns: 200 },
    );
  });
});
