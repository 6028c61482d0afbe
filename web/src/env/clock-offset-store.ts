// The clock offset estimate, kept in localStorage (per browser: it is the device clock's offset,
// whoever is signed in), so that a reload while offline still stamps on the server's time scale.
import { type ClockOffset, createClockOffset } from '../sync/clock-offset.ts';

const KEY = 'routine-sync:clock-offset-ms';

export function openClockOffset(storage: Storage | undefined = globalThis.localStorage): ClockOffset {
  const saved = Number(safely(() => storage?.getItem(KEY)));
  return createClockOffset({
    ...(Number.isFinite(saved) ? { initialOffsetMs: saved } : {}),
    onChange: (offsetMs) => safely(() => storage?.setItem(KEY, String(offsetMs))),
  });
}

/** Private modes and full quotas throw on access: the estimate then lives for this page only. */
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
