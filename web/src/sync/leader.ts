// One tab per device leads the network work. A Web Lock is held for as long as the tab leads; the
// browser releases it when the tab closes or crashes, and the next waiting tab takes over.

export interface Leadership {
  /** Stops leading (or waiting to lead). */
  release(): void;
}

/** Calls `lead` when this tab becomes the leader; `lead` returns what to run when leadership ends. */
export function electLeader(lockName: string, lead: () => () => void): Leadership {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) {
    const stop = lead();
    return { release: stop };
  }
  const abort = new AbortController();
  let stop: (() => void) | undefined;
  let releaseLock: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    releaseLock = resolve;
  });
  locks
    .request(lockName, { signal: abort.signal }, async () => {
      stop = lead();
      await held;
    })
    .catch(() => {
      // Aborted while waiting: this tab simply never led.
    });
  return {
    release() {
      abort.abort();
      stop?.();
      stop = undefined;
      releaseLock();
    },
  };
}
