// Exponential backoff with "full jitter" (AWS Architecture Blog, 2015): the delay is uniform in
// [0, min(cap, base·2^attempt)], which spreads retries of many devices after an outage instead of
// synchronising them into waves.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

/** The ceiling of the jitter window for a given attempt (0 = first retry). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exp = policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30));
  return Math.min(policy.capMs, exp);
}

/** A delay for retry number `attempt`; `random` is injected so tests can pin it. */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  return Math.floor(random() * backoffCeiling(attempt, policy));
}
