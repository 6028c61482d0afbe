// One tab per device leads the network work. A Web Lock is held for as long as the tab leads; the
// browser releases it when the tab closes or crashes, and the next waiting tab takes over.
//
// A tab that is frozen or hibernated keeps its lock, so a visible tab that stops hearing from the
// leader takes the lock over (`steal`); the old leader learns it lost the lock and queues again.

export interface Leadership {
  /** Take over from a leader that no longer answers. */
  steal(): void;
  /** Stops leading (or waiting to lead). */
  release(): void;
}

/** Calls `lead` when this tab becomes the leader; `lead` returns what to run when leadership ends. */
export function electLeader(lockName: string, lead: () => () => void): Leadership {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) {
    const stop = lead();
    return { steal() {}, release: stop };
  }
  let closed = false;
  let leading = false;
  let current: AbortController | undefined;
  let releaseHeld: () => void = () => {};
  const stops = new Map<AbortController, () => void>();

  const request = (steal: boolean) => {
    const attempt = new AbortController();
    current = attempt;
    // A steal cannot be aborted (the API forbids a signal with it); a wait can.
    const options: LockOptions = steal ? { steal: true } : { signal: attempt.signal };
    locks
      .request(lockName, options, async () => {
        leading = true;
        stops.set(attempt, lead());
        await new Promise<void>((resolve) => {
          releaseHeld = resolve;
        });
      })
      .catch(() => undefined) // aborted while waiting, or stolen by another tab
      .finally(() => {
        stops.get(attempt)?.();
        if (stops.delete(attempt)) leading = false;
        // Lost the lock to another tab (not by our own choice): wait for it again.
        if (!closed && current === attempt && !attempt.signal.aborted) request(false);
      });
  };
  request(false);

  return {
    steal() {
      if (closed || leading) return;
      current?.abort();
      request(true);
    },
    release() {
      closed = true;
      current?.abort();
      releaseHeld();
    },
  };
}
