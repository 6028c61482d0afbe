import { describe, expect, it } from 'vitest';
import {
  betterPercentage,
  completionRate,
  dashboard,
  healthData,
  homeData,
  points,
  streaks,
  tasksScheduledOn,
} from '../../core/stats/index.ts';
import { taskId } from './fixtures.ts';
import { run, type World, worldSnapshot } from './stats-fixtures.ts';

const better = (days: number[]) => (days.reduce((p, f) => p * f, 1) - 1) * 100;
const UP = 1.01;
const DOWN = 0.99;

interface FigureCase {
  name: string;
  world: World;
  today: string;
  streak: { current: number; best: number };
  better: number;
  points?: { today: number; week: number; total: number };
}

const cases: FigureCase[] = [
  {
    name: 'an empty history',
    world: { tasks: [] },
    today: '2026-03-11',
    streak: { current: 0, best: 0 },
    better: 0,
    points: { today: 0, week: 0, total: 0 },
  },
  {
    name: 'a streak ending yesterday while today is open',
    world: { tasks: [{ n: 1, createdOn: '2026-03-08' }], marks: run(1, '2026-03-10', 3) },
    today: '2026-03-11',
    streak: { current: 3, best: 3 },
    better: better([UP, UP, UP]),
    points: { today: 0, week: 20, total: 30 },
  },
  {
    name: 'a streak including today once today is done',
    world: { tasks: [{ n: 1, createdOn: '2026-03-08' }], marks: run(1, '2026-03-11', 4) },
    today: '2026-03-11',
    streak: { current: 4, best: 4 },
    better: better([UP, UP, UP, UP]),
    points: { today: 10, week: 30, total: 40 },
  },
  {
    name: 'a missed day in the past breaks the streak and costs 1%',
    world: {
      tasks: [{ n: 1, createdOn: '2026-03-06' }],
      marks: [...run(1, '2026-03-07', 2), ...run(1, '2026-03-10', 2)],
    },
    today: '2026-03-11',
    streak: { current: 2, best: 2 },
    better: better([UP, UP, DOWN, UP, UP]),
  },
  {
    name: 'a day with everything skipped breaks the streak but is neutral for better %',
    world: {
      tasks: [{ n: 1, createdOn: '2026-03-08' }],
      marks: [
        [1, '2026-03-08', 'completed'],
        [1, '2026-03-09', 'skipped'],
        [1, '2026-03-10', 'completed'],
      ],
    },
    today: '2026-03-11',
    streak: { current: 1, best: 1 },
    better: better([UP, 1, UP]),
  },
  {
    name: 'a skip next to a completion keeps the streak (r counts only the due tasks)',
    world: {
      tasks: [
        { n: 1, createdOn: '2026-03-09' },
        { n: 2, createdOn: '2026-03-09' },
      ],
      marks: [
        [1, '2026-03-09', 'completed'],
        [2, '2026-03-09', 'skipped'],
        ...run(1, '2026-03-10', 1),
        ...run(2, '2026-03-10', 1),
      ],
    },
    today: '2026-03-11',
    streak: { current: 2, best: 2 },
    better: better([UP, UP]),
  },
  {
    name: 'one task left open breaks the streak; half done is a factor of 1',
    world: {
      tasks: [
        { n: 1, createdOn: '2026-03-09' },
        { n: 2, createdOn: '2026-03-09' },
      ],
      marks: [...run(1, '2026-03-10', 2), [2, '2026-03-09', 'completed']],
    },
    today: '2026-03-11',
    streak: { current: 0, best: 1 },
    better: better([UP, 1]),
  },
  {
    name: 'rest days of a Mon/Wed/Fri task neither break nor extend the streak',
    world: {
      tasks: [{ n: 1, createdOn: '2026-03-02', weekdays: [1, 3, 5] }],
      marks: ['2026-03-02', '2026-03-04', '2026-03-06', '2026-03-09']
        .map((d) => [1, d, 'completed'] as const)
        .map((m) => [...m]) as World['marks'],
    },
    today: '2026-03-11',
    streak: { current: 4, best: 4 },
    better: better([UP, UP, UP, UP]),
  },
  {
    name: 'a task created mid-week counts from its creation day only',
    world: {
      tasks: [
        { n: 1, createdOn: '2026-03-02' },
        { n: 2, createdOn: '2026-03-10', points: 5 },
      ],
      marks: [...run(1, '2026-03-10', 9), ...run(2, '2026-03-10', 1)],
    },
    today: '2026-03-11',
    streak: { current: 9, best: 9 },
    better: better(Array(9).fill(UP)),
    points: { today: 0, week: 25, total: 95 },
  },
  {
    name: 'archiving takes a task off the schedule from its archive day, history unchanged',
    world: {
      tasks: [
        { n: 1, createdOn: '2026-03-05', archivedOn: '2026-03-09' },
        { n: 2, createdOn: '2026-03-05' },
      ],
      marks: [...run(1, '2026-03-08', 4), ...run(2, '2026-03-10', 6)],
    },
    today: '2026-03-11',
    streak: { current: 6, best: 6 },
    better: better(Array(6).fill(UP)),
    points: { today: 0, week: 20, total: 100 },
  },
  {
    name: 'a task archived on a day it was already marked still counts that day',
    world: {
      tasks: [
        { n: 1, createdOn: '2026-03-09', archivedOn: '2026-03-10' },
        { n: 2, createdOn: '2026-03-09' },
      ],
      marks: [...run(1, '2026-03-10', 2), ...run(2, '2026-03-10', 2)],
    },
    today: '2026-03-11',
    streak: { current: 2, best: 2 },
    better: better([UP, UP]),
    points: { today: 0, week: 40, total: 40 },
  },
  {
    name: 'a mark on a weekday no longer scheduled (edited later) still counts',
    world: {
      tasks: [{ n: 1, createdOn: '2026-03-03', weekdays: [1] }],
      marks: [
        [1, '2026-03-03', 'completed'],
        [1, '2026-03-09', 'completed'],
      ],
    },
    today: '2026-03-11',
    streak: { current: 2, best: 2 },
    better: better([UP, UP]),
  },
  {
    name: 'the US spring-forward day (23 h) is one day like any other',
    world: { tasks: [{ n: 1, createdOn: '2026-03-07' }], marks: run(1, '2026-03-09', 3) },
    today: '2026-03-10',
    streak: { current: 3, best: 3 },
    better: better([UP, UP, UP]),
    points: { today: 0, week: 10, total: 30 },
  },
  {
    name: 'the EU fall-back day (25 h) is one day like any other',
    world: { tasks: [{ n: 1, createdOn: '2026-10-24' }], marks: run(1, '2026-10-26', 3) },
    today: '2026-10-26',
    streak: { current: 3, best: 3 },
    better: better([UP, UP, UP]),
    points: { today: 10, week: 10, total: 30 },
  },
  {
    name: 'a leap day is a day of the streak and of the week',
    world: { tasks: [{ n: 1, createdOn: '2024-02-27' }], marks: run(1, '2024-03-01', 4) },
    today: '2024-03-01',
    streak: { current: 4, best: 4 },
    better: better([UP, UP, UP, UP]),
    points: { today: 10, week: 40, total: 40 },
  },
  {
    name: 'the best streak survives a later break',
    world: {
      tasks: [{ n: 1, createdOn: '2026-03-01' }],
      marks: [...run(1, '2026-03-05', 5), ...run(1, '2026-03-10', 2)],
    },
    today: '2026-03-11',
    streak: { current: 2, best: 5 },
    better: better([UP, UP, UP, UP, UP, DOWN, DOWN, DOWN, UP, UP]),
  },
];

describe('streaks, better percentage and points', () => {
  it.each(cases)('$name', ({ world, today, streak, better: expectedBetter, points: expectedPoints }) => {
    const snapshot = worldSnapshot(world);
    expect(streaks(snapshot, today)).toEqual(streak);
    expect(betterPercentage(snapshot, today)).toBeCloseTo(expectedBetter, 10);
    if (expectedPoints) expect(points(snapshot, today)).toEqual(expectedPoints);
  });
});

describe('week start', () => {
  const world: World = { tasks: [{ n: 1, createdOn: '2026-03-09' }], marks: run(1, '2026-03-15', 7) };
  it.each([
    ['Sunday: a Sunday starts a new week', 0, 10],
    ['Monday: Sunday ends the week', 1, 70],
  ] as const)('%s', (_name, weekStart, week) => {
    const snapshot = worldSnapshot({ ...world, settings: { weekStart } });
    expect(points(snapshot, '2026-03-15').week).toBe(week);
  });
});

describe('completion rate', () => {
  const task = { n: 1, createdOn: '2026-02-01' };
  it.each([
    ['last week all done, today open', run(1, '2026-03-10', 7), 1, 7 / 30],
    [
      'a skip leaves the denominator',
      [...run(1, '2026-03-10', 6), [1, '2026-03-04', 'skipped'], [1, '2026-03-03', 'completed']],
      6 / 6,
      7 / 29,
    ],
    ['today done moves the window to include it', run(1, '2026-03-11', 8), 1, 8 / 30],
    ['nothing done', [], 0, 0],
  ] as const)('%s', (_name, marks, rate7, rate30) => {
    const snapshot = worldSnapshot({ tasks: [task], marks: marks as World['marks'] });
    expect(completionRate(snapshot, '2026-03-11', 7)).toBeCloseTo(rate7, 12);
    expect(completionRate(snapshot, '2026-03-11', 30)).toBeCloseTo(rate30, 12);
  });

  it('is null when nothing was due', () => {
    const snapshot = worldSnapshot({ tasks: [{ n: 1, createdOn: '2026-03-11' }] });
    expect(completionRate(snapshot, '2026-03-11', 7)).toBeNull();
    expect(dashboard(worldSnapshot({ tasks: [] }), '2026-03-11').completionRate).toEqual({
      days7: null,
      days30: null,
    });
  });
});

describe('weights', () => {
  const world: World = {
    tasks: [],
    weights: [
      ['2026-02-01', 84],
      ['2026-03-01', 80],
      ['2026-03-03', 82],
      ['2026-03-08', 78],
      ['2026-03-09', 176.37, 'lb'],
      ['2026-03-20', 75], // after "today": not shown
    ],
  };

  it('builds the series in the user unit with a 7-calendar-day moving average', () => {
    const { series } = healthData(worldSnapshot(world), '2026-03-11');
    expect(series.map((p) => p.date)).toEqual([
      '2026-02-01',
      '2026-03-01',
      '2026-03-03',
      '2026-03-08',
      '2026-03-09',
    ]);
    expect(series[3]?.avg7).toBeCloseTo(80, 10); // 03-02…03-08: 82, 78
    expect(series[4]?.value).toBeCloseTo(80, 2); // 176.37 lb
    expect(series[4]?.avg7).toBeCloseTo((82 + 78 + 176.37 * 0.45359237) / 3, 10);
    expect(series[0]?.avg7).toBe(84);
  });

  it('reports the latest weight and its changes over 7 and 30 days', () => {
    const health = healthData(worldSnapshot(world), '2026-03-11');
    expect(health.latest?.date).toBe('2026-03-09');
    expect(health.change7).toBeCloseTo(176.37 * 0.45359237 - 80, 10); // vs 03-01 (last on or before 03-02)
    expect(health.change30).toBeCloseTo(176.37 * 0.45359237 - 84, 10); // vs 02-01
  });

  it('converts to pounds when the user prefers them', () => {
    const health = healthData(worldSnapshot({ ...world, settings: { unit: 'lb' } }), '2026-03-11');
    expect(health.unit).toBe('lb');
    expect(health.latest?.value).toBeCloseTo(176.37, 10);
  });

  it('limits the series to the last N days, averaging over the days before the window too', () => {
    const { series } = healthData(worldSnapshot(world), '2026-03-11', 9);
    expect(series.map((p) => p.date)).toEqual(['2026-03-03', '2026-03-08', '2026-03-09']);
    expect(series[0]?.avg7).toBeCloseTo(81, 10); // 02-25…03-03: 80 and 82
  });

  it('is empty without weights', () => {
    expect(healthData(worldSnapshot({ tasks: [] }), '2026-03-11')).toEqual({
      unit: 'kg',
      latest: null,
      change7: null,
      change30: null,
      series: [],
    });
  });
});

describe('the Today screen', () => {
  const world: World = {
    tasks: [
      { n: 2, createdOn: '2026-03-01' },
      { n: 1, createdOn: '2026-03-01' },
      { n: 3, createdOn: '2026-03-01', weekdays: [1] },
      { n: 4, createdOn: '2026-03-01', archivedOn: '2026-03-05' },
    ],
    marks: [
      [1, '2026-03-11', 'completed', 7],
      [2, '2026-03-11', 'skipped'],
    ],
  };

  it('lists the day’s tasks in order with status and earned points', () => {
    const home = homeData(worldSnapshot(world), '2026-03-11');
    expect(home.tasks.map((t) => [t.id, t.status, t.earned])).toEqual([
      [taskId(1), 'completed', 7],
      [taskId(2), 'skipped', 0],
    ]);
    expect(home.progress).toEqual({ done: 2, total: 2 });
    expect(home.points).toEqual({ day: 7, total: 7 });
    expect(tasksScheduledOn(worldSnapshot(world), '2026-03-09').map((t) => t.id)).toEqual([
      taskId(1),
      taskId(2),
      taskId(3),
    ]);
  });

  it('computes figures for a browsed day as of today', () => {
    const home = homeData(worldSnapshot(world), '2026-03-04', '2026-03-11');
    expect(home.date).toBe('2026-03-04');
    expect(home.tasks.map((t) => t.status)).toEqual(['open', 'open', 'open']);
    // Today (03-11) is all marked with one completion: the streak is today alone.
    expect(home.streak).toEqual({ current: 1, best: 1 });
  });
});

describe('dashboard', () => {
  it('gathers every figure', () => {
    const snapshot = worldSnapshot({
      tasks: [{ n: 1, createdOn: '2026-03-08' }],
      marks: run(1, '2026-03-10', 3),
      weights: [['2026-03-10', 80]],
    });
    expect(dashboard(snapshot, '2026-03-11')).toEqual({
      today: '2026-03-11',
      points: { today: 0, week: 20, total: 30 },
      completionRate: { days7: 1, days30: 1 },
      streak: { current: 3, best: 3 },
      betterPercent: expect.closeTo(better([UP, UP, UP]), 10),
      weight: { unit: 'kg', latest: { date: '2026-03-10', value: 80 }, change7: null, change30: null },
    });
  });
});
