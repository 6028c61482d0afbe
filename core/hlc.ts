// Hybrid logical clock: every write is stamped with one, and last-writer-wins compares stamps.
//
// A stamp is `WWWWWWWWWWWWWWW:CCCCCC:deviceId` — wall time in ms (15 digits), a counter (6 digits)
// and the device id. The fixed widths make plain string order equal clock order, so stores and
// indexes can sort stamps as strings, and two devices can never produce the same stamp (the device
// id breaks ties). A clock never goes behind the largest stamp it has issued or observed, so an edit
// made after seeing another device's edit always wins over it, whatever the wall clocks say.

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
const HLC_PATTERN = /^(\d{15}):(\d{6}):([A-Za-z0-9_-]{1,64})$/;

export type Hlc = string;

export interface HlcParts {
  wallMs: number;
  counter: number;
  deviceId: string;
}

export interface HlcClock {
  /** A new stamp, greater than every stamp issued or observed so far. */
  next(): Hlc;
  /** Take a stamp seen from elsewhere into account, so the next local stamp is greater. */
  observe(remote: Hlc): void;
  /** The last stamp issued or observed (the zero stamp when none). */
  latest(): Hlc;
}

export function isHlc(value: unknown): value is Hlc {
  return typeof value === 'string' && HLC_PATTERN.test(value);
}

export function formatHlc(parts: HlcParts): Hlc {
  if (!Number.isSafeInteger(parts.wallMs) || parts.wallMs < 0 || parts.wallMs >= 10 ** WALL_DIGITS) {
    throw new RangeError(`HLC wall time out of range: ${parts.wallMs}`);
  }
  if (!Number.isInteger(parts.counter) || parts.counter < 0 || parts.counter > MAX_COUNTER) {
    throw new RangeError(`HLC counter out of range: ${parts.counter}`);
  }
  const wall = String(parts.wallMs).padStart(WALL_DIGITS, '0');
  const counter = String(parts.counter).padStart(COUNTER_DIGITS, '0');
  const hlc = `${wall}:${counter}:${parts.deviceId}`;
  if (!HLC_PATTERN.test(hlc)) throw new RangeError(`Invalid HLC device id: ${parts.deviceId}`);
  return hlc;
}

export function parseHlc(hlc: Hlc): HlcParts {
  const match = HLC_PATTERN.exec(hlc);
  if (!match) throw new RangeError(`Invalid HLC stamp: ${hlc}`);
  return { wallMs: Number(match[1]), counter: Number(match[2]), deviceId: match[3] ?? '' };
}

/** Negative when `a` happened before `b`; 0 only for the same stamp. */
export function compareHlc(a: Hlc, b: Hlc): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A clock for `deviceId` reading wall time from `now` (injected, so tests drive it). `last` restores
 * the latest stamp persisted before a reload, so the clock never repeats itself after a restart.
 */
export function createHlc(deviceId: string, now: () => number, last?: Hlc): HlcClock {
  let wallMs = 0;
  let counter = 0;
  if (last !== undefined) {
    const parts = parseHlc(last);
    wallMs = parts.wallMs;
    counter = parts.counter;
  }
  formatHlc({ wallMs, counter, deviceId }); // validates the device id once, up front
  return {
    next() {
      const physical = Math.floor(now());
      if (physical > wallMs) {
        wallMs = physical;
        counter = 0;
      } else {
        counter += 1;
        // Only a burst of a million stamps within one millisecond gets here; borrow the next ms.
        if (counter > MAX_COUNTER) {
          wallMs += 1;
          counter = 0;
        }
      }
      return formatHlc({ wallMs, counter, deviceId });
    },
    observe(remote) {
      const parts = parseHlc(remote);
      if (parts.wallMs > wallMs || (parts.wallMs === wallMs && parts.counter > counter)) {
        wallMs = parts.wallMs;
        counter = parts.counter;
      }
    },
    latest() {
      return formatHlc({ wallMs, counter, deviceId });
    },
  };
}
