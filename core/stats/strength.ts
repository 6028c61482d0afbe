// Habit strength: an exponential moving average of a task's settled days, after Loop Habit Tracker's
// score, so recent days weigh more and one missed day after a long run costs little.
//
//   done day     s ← s·m + (1 − m)
//   missed day   s ← s·m
//   any other    s unchanged (skipped, not scheduled, still open: neutral)
//
// Loop steps every calendar day with m = 0.5^(√f / 13) (f: expected times per day), so a daily habit
// halves its distance to 0 or 1 in 13 days and a rarer one more slowly. Here s steps only on days that
// count, so one step stands for one period 1/f of Loop's: m = (0.5^(√f / 13))^(1/f) = 0.5^(1 / (13·√f)).
// A daily task gets Loop's 13-day half-life; a weekly one halves in 13·√(1/7) ≈ 4.9 times (≈ 34 days).
// s starts at 0 on the creation day and stays within 0…1: each step is a convex combination.

/** The per-step multiplier of a task expected `frequency` times per day (0 < frequency ≤ 1). */
export function strengthMultiplier(frequency: number): number {
  return 0.5 ** (1 / (13 * Math.sqrt(frequency)));
}

/** The strength after one settled day: `done` true/false, or null for a neutral day. */
export function nextStrength(previous: number, multiplier: number, done: boolean | null): number {
  if (done === null) return previous;
  return previous * multiplier + (done ? 1 - multiplier : 0);
}
