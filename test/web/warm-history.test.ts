// Warming a returning user's history before the first render: every day's summary computed in slices
// that yield to the browser, and the figures exactly those computed in one go.
import { describe, expect, it } from 'vitest';
import { addDays } from '../../core/dates.ts';
import type { Snapshot } from '../../core/snapshot.ts';
import { homeData } from '../../core/stats/index.ts';
import { SLICE_BUDGET_MS, warmHistory } from '../../web/src/session/warm-history.ts';
import { run, type World, worldSnapshot } from '../core/stats-fixtures.ts';

const TODAY = '2026-12-07';
const START = addDays(TODAY, -400);

const world: World = {
  tasks: [
    { n: 1, createdOn: START },
    { n: 2, createdOn: START, schedule: { kind: 'timesPerWeek', times: 3 } },
    { n: 3, createdOn: addDays(START, 30), schedule: { kind: 'everyNDays', days: 3 }, points: 2 },
  ],
  marks: [
    ...run(1, addDays(TODAY, -1), 300),
    ...run(2, addDays(TODAY, -3), 40),
    ...run(3, addDays(TODAY, -90), 20, 'skipped'),
  ],
};

/** A clock that moves one millisecond each time it is read, and counts the pauses. */
function steppingClock() {
  let ms = 0;
  const pauses: number[] = [];
  return {
    pauses,
    slicing: {
      now: () => ms++,
      pause: async () => {
        pauses.push(ms);
      },
    },
  };
}

describe('warmHistory', () => {
  it('computes every day from the first task’s to the last in slices, pausing between them', async () => {
    const { pauses, slicing } = steppingClock();
    const slices = await warmHistory(worldSnapshot(world), TODAY, slicing);
    // One clock read per day and one per slice: 401 days take at least 401 / (budget + 1) slices.
    expect(slices).toBeGreaterThanOrEqual(Math.floor(401 / (SLICE_BUDGET_MS + 1)));
    expect(pauses).toHaveLength(slices - 1);
  });

  it('leaves the figures exactly as computed in one go', async () => {
    const warmed: Snapshot = worldSnapshot(world);
    await warmHistory(warmed, TODAY, steppingClock().slicing);
    expect(homeData(warmed, TODAY)).toEqual(homeData(worldSnapshot(world), TODAY));
  });

  it('does nothing for an account without tasks', async () => {
    const { pauses, slicing } = steppingClock();
    expect(await warmHistory(worldSnapshot({ tasks: [] }), TODAY, slicing)).toBe(0);
    expect(pauses).toEqual([]);
  });

  it('never pauses while a slice stays within its budget', async () => {
    const { pauses } = steppingClock();
    const frozen = { now: () => 0, pause: async () => void pauses.push(0) };
    expect(await warmHistory(worldSnapshot(world), TODAY, frozen)).toBe(1);
    expect(pauses).toEqual([]);
  });
});
