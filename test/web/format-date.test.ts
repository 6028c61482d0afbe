// formatDate keeps one Intl.DateTimeFormat per set of options: each call still gets its own options.
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../web/src/ui/format.ts';

const reference = (date: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

describe('formatDate', () => {
  it('formats each date with the options it was given, however the calls interleave', () => {
    const options: Intl.DateTimeFormatOptions[] = [
      { dateStyle: 'medium' },
      { weekday: 'long', month: 'long', day: 'numeric' },
      { dateStyle: 'full' },
      { month: 'long', day: 'numeric' },
      { weekday: 'short' },
    ];
    for (const date of ['2026-12-07', '2024-02-29', '1999-12-31'])
      for (const option of [...options, ...options.reverse()])
        expect(formatDate(date, option)).toBe(reference(date, option));
    expect(formatDate('2026-12-07')).toBe(reference('2026-12-07', { dateStyle: 'medium' }));
  });
});
