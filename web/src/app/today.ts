// "Today" is the user's local calendar date, read from the browser's clock and time zone (the server
// never decides it). It is a signal that turns over at midnight while the app stays open.
import { signal } from '@preact/signals';
import { type LocalDate, todayIn } from '../../../core/dates.ts';

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function createToday(now: () => number = Date.now, timeZone = browserTimeZone()) {
  const today = signal<LocalDate>(todayIn(timeZone, now()));
  const timer = setInterval(() => {
    const next = todayIn(timeZone, now());
    if (next !== today.value) today.value = next;
  }, 30_000);
  return { today, dispose: () => clearInterval(timer) };
}
