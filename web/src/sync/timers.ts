// Time is injected everywhere the sync loop waits, so model tests drive it with fake timers.

export type TimerHandle = unknown;

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/** Runs `fn` every `ms` (after each interval) until the returned function is called. */
export function repeat(timers: Timers, ms: number, fn: () => void): () => void {
  let handle: TimerHandle;
  const tick = () => {
    handle = timers.setTimeout(tick, ms);
    fn();
  };
  handle = timers.setTimeout(tick, ms);
  return () => timers.clearTimeout(handle);
}
