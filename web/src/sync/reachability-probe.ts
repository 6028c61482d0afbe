// While the server cannot be reached (the browser is online, the API is not), ask a cheap question
// every second instead of waiting out the sync backoff (up to a minute): the app notices the server
// is back within about a second of it answering again.
//
//   unreachable ─► start ─► every intervalMs: check() ─ false/throws ─► again
//                                                  └─ true ─► stop, onBack() (a full sync now)
import type { TimerHandle, Timers } from './timers.ts';

export const PROBE_INTERVAL_MS = 1_000;

export interface ReachabilityProbe {
  start(): void;
  stop(): void;
  readonly isProbing: boolean;
}

export function createReachabilityProbe(deps: {
  timers: Timers;
  /** True when the server answered (GET /api/health). */
  check(): Promise<boolean>;
  onBack(): void;
  intervalMs?: number;
}): ReachabilityProbe {
  const interval = deps.intervalMs ?? PROBE_INTERVAL_MS;
  let active = false;
  let handle: TimerHandle | undefined;
  const tick = async () => {
    handle = undefined;
    if (!active) return;
    const answered = await deps.check().catch(() => false);
    if (!active) return;
    if (answered) {
      active = false;
      deps.onBack();
      return;
    }
    handle = deps.timers.setTimeout(() => void tick(), interval);
  };
  return {
    start() {
      if (active) return;
      active = true;
      handle = deps.timers.setTimeout(() => void tick(), interval);
    },
    stop() {
      active = false;
      if (handle !== undefined) deps.timers.clearTimeout(handle);
      handle = undefined;
    },
    get isProbing() {
      return active;
    },
  };
}
