// What the weight form accepts, and the words it answers with (pure, so the rules are testable).
import type { LocalDate } from '../../../core/dates.ts';
import { WEIGHT_BOUNDS } from '../../../core/schemas/record-schemas.ts';
import { formatDate, formatWeight } from './format.ts';

type Unit = keyof typeof WEIGHT_BOUNDS;

/** The typed weight (a comma works as the decimal mark), or what to tell the user. */
export function parseWeight(
  text: string,
  unit: Unit,
  date: LocalDate,
  today: LocalDate,
): { value: number } | { error: string } {
  const { min, max } = WEIGHT_BOUNDS[unit];
  if (!text.trim()) return { error: `Enter your weight in ${unit}.` };
  const value = Number(text.trim().replace(',', '.'));
  if (!Number.isFinite(value) || value < min || value > max)
    return { error: `Enter a weight between ${min} and ${max} ${unit}.` };
  if (!/^\d{4}-\d\d-\d\d$/.test(date) || date > today) return { error: 'Pick a date up to today.' };
  return { value };
}

/** "today", "yesterday" or the date, for the messages of the weight form. */
export function dayWords(date: LocalDate, today: LocalDate, yesterday: LocalDate): string {
  if (date === today) return 'today';
  if (date === yesterday) return 'yesterday';
  return formatDate(date, { month: 'short', day: 'numeric', year: 'numeric' });
}

/** The confirmation after a save: whether it added an entry or replaced that day's. */
export function savedMessage(value: number, previous: number | undefined, unit: string, day: string) {
  const saved = formatWeight(value, unit);
  return previous === undefined
    ? `Saved ${saved} for ${day}.`
    : `Saved ${saved} for ${day} (it replaces ${formatWeight(previous, unit)}).`;
}
