// Week-by-week points and completion for the dashboard charts.
import { describe, expect, it } from 'vitest';
import { weeklyFigures } from '../../core/stats/index.ts';
import { worldSnapshot } from './stats-fixtures.ts';

// 2026-06-01 is a Monday.
describe('weeklyFigures', () => {
  const world = {
    tasks: [{ n: 1, createdOn: '2026-06-01', points: 5 }],
    marks: [
      [1, '2026-06-01', 'completed'],
      [1, '2026-06-02', 'skipped'],
      [1, '2026-06-08', 'completed'],
      [1, '2026-06-10', 'completed'],
    ] as Array<[number, string, 'completed' | 'skipped']>,
  };

  it('sums each week’s points and rates its settled days, weeks from the user’s week start', () => {
    // Today is Wednesday 2026-06-10, done: the current week counts Mon…Wed.
    expect(weeklyFigures(worldSnapshot(world), '2026-06-10', 3)).toEqual([
      { start: '2026-05-25', points: 0, rate: null },
      { start: '2026-06-01', points: 5, rate: 1 / 6 },
      { start: '2026-06-08', points: 10, rate: 2 / 3 },
    ]);
  });

  it('leaves an open today out of the rate but not out of the points', () => {
    const open = worldSnapshot({ ...world, marks: world.marks.slice(0, 3) });
    expect(weeklyFigures(open, '2026-06-10', 1)).toEqual([{ start: '2026-06-08', points: 5, rate: 1 / 2 }]);
  });

  it('starts weeks on Sunday when the user does', () => {
    const sunday = worldSnapshot({ ...world, settings: { weekStart: 0 } });
    expect(weeklyFigures(sunday, '2026-06-10', 2).map((w) => w.start)).toEqual(['2026-05-31', '2026-06-07']);
  });
});
