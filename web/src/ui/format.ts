// Number and date formatting shared by the screens.

/** Signed, with a true minus; what rounds to zero shows as 0 (one good and one bad day gave "-0.0%"). */
export function formatPercent(value: number, digits = 1): string {
  const shown = Number(value.toFixed(digits));
  const sign = shown > 0 ? '+' : shown < 0 ? '−' : '';
  return `${sign}${Math.abs(shown).toFixed(digits)}%`;
}

export function formatRate(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

export function formatWeight(value: number | null | undefined, unit: string): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(1)} ${unit}`;
}

export function formatChange(value: number | null, unit: string): string {
  if (value === null) return '—';
  const shown = Number(value.toFixed(1));
  const sign = shown > 0 ? '+' : shown < 0 ? '−' : '±';
  return `${sign}${Math.abs(shown).toFixed(1)} ${unit}`;
}

// Making an Intl.DateTimeFormat costs about a millisecond, using one microseconds: one per set of
// options, kept (a year's history calendar formats hundreds of dates).
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' });
    dateFormats.set(key, format);
  }
  return format;
}

export function formatDate(
  date: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
): string {
  const [y, m, d] = date.split('-').map(Number);
  return dateFormat(options).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A task's days in words, in the user's week order: "Every day", "Weekdays", "Sat, Sun". */
export function scheduleText(weekdays: readonly number[], weekStart = 1): string {
  const days = new Set(weekdays);
  if (days.size === 7) return 'Every day';
  const key = [...days].sort().join('');
  if (key === '12345') return 'Weekdays';
  if (key === '06') return 'Weekends';
  return Array.from({ length: 7 }, (_, i) => (i + weekStart) % 7)
    .filter((d) => days.has(d))
    .map((d) => DAY_SHORT[d])
    .join(', ');
}

/** A task's schedule in words: "3 times a week", "Every 2 days", or its weekdays. */
export function describeSchedule(
  task: {
    weekdays: readonly number[];
    schedule?: { kind: string; times?: number; days?: number } | undefined;
  },
  weekStart = 1,
): string {
  const schedule = task.schedule;
  if (schedule?.kind === 'timesPerWeek')
    return schedule.times === 1 ? 'Once a week' : `${schedule.times} times a week`;
  if (schedule?.kind === 'everyNDays')
    return schedule.days === 1 ? 'Every day' : `Every ${schedule.days} days`;
  return scheduleText(task.weekdays, weekStart);
}
