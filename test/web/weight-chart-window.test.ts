import { describe, expect, it } from 'vitest';
import { xWindow, yWindow } from '../../web/src/ui/weight-chart.tsx';

const DAY = 86_400;

describe('weight chart windows', () => {
  it.each([
    {
      name: 'one entry: two weeks before it, three days after',
      days: [100 * DAY],
      want: [86 * DAY, 103 * DAY],
    },
    {
      name: 'a week of entries: still two weeks wide',
      days: [100 * DAY, 107 * DAY],
      want: [93 * DAY, 110 * DAY],
    },
    {
      name: 'a long history: its own span plus margins',
      days: [10 * DAY, 400 * DAY],
      want: [7 * DAY, 403 * DAY],
    },
  ])('x: $name', ({ days, want }) => {
    expect(xWindow(days)).toEqual(want);
  });

  it.each([
    {
      name: 'weights and trend together',
      cols: [
        [82.4, 81.2],
        [82.4, 81.8],
      ],
      want: [80, 84],
    },
    { name: 'a single weight', cols: [[70]], want: [69, 71] },
    { name: 'gaps (null trend) are ignored', cols: [[70.5], [null]], want: [69, 72] },
    { name: 'nothing at all', cols: [[]], want: [0, 1] },
  ])('y: $name', ({ cols, want }) => {
    expect(yWindow(...cols)).toEqual(want);
  });
});
