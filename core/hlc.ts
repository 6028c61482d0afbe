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
const MAX_WALL_MS = 10 ** WALL_DIGITS - 1;

/**
 * How far ahead of the clock that judges it a stamp may be: the one bound on clock drift. The server
 * refuses a mutation stamped further ahead of its own clock (`ClockAhead`), clocks never move past it
 * when they observe a stamp, and a stored stamp beyond it ranks below every stamp within it. Clients
 * stamp with their clock corrected by their estimated offset to the server's, which is off by about
 * half a round trip, so a minute is ample for honest devices while it caps how long one bad clock can
 * win conflicts.
 */
export const MAX_CLOCK_DRIFT_MS = 60_000;

export type Hlc = string;

export interface HlcParts {
  wallMs: number;
  counter: number;
  deviceId: string;
}

export interface HlcClock {
  /** A new stamp, greater than every stamp issued or observed so far. */
  next(): Hlc;
  /**
   * Take a stamp seen from elsewhere into account, so the next local stamp is greater. Never throws:
   * a malformed stamp, or one beyond the drift bound, is ignored.
   */
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

/** Whether `hlc`'s wall time is more than the drift bound ahead of `nowMs` (a clock gone wrong). */
export function isBeyondDrift(hlc: Hlc, nowMs: number): boolean {
  const match = HLC_PATTERN.exec(hlc);
  return match !== null && Number(match[1]) > nowMs + MAX_CLOCK_DRIFT_MS;
}

/**
 * Last-writer-wins order as judged at `nowMs`: a stamp beyond the drift bound (one written by a broken
 * clock, say `999999999999999:…`) ranks below every stamp within it, so it can never make a later real
 * edit lose; otherwise the plain order of `compareHlc`.
 */
export function compareHlcAt(a: Hlc, b: Hlc, nowMs: number): number {
  const aBeyond = isBeyondDrift(a, nowMs);
  if (aBeyond !== isBeyondDrift(b, nowMs)) return aBeyond ? -1 : 1;
  return compareHlc(a, b);
}

/** Wall time as a clock may use it: whole ms, never NaN, negative or too wide for a stamp. */
function clampWall(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(Math.floor(ms), MAX_WALL_MS - 2 * MAX_CLOCK_DRIFT_MS);
}

/**
 * A clock for `deviceId` reading wall time from `now` (injected, so tests drive it; in the app it is
 * the device clock corrected by its offset to the server). `last` restores the latest stamp persisted
 * before a reload, so the clock never repeats itself after a restart.
 *
 * Bound: the clock never runs more than MAX_CLOCK_DRIFT_MS ahead of `now`. An observed stamp beyond
 * that is ignored (it ranks below sane stamps anyway, see compareHlcAt), a restored one too, and when
 * `now` jumps back by more than the bound (its offset was corrected) the clock restarts from it: the
 * stamps issued before were beyond the bound, and the server refuses them for re-stamping.
 */
export function createHlc(deviceId: string, now: () => number, last?: Hlc): HlcClock {
  formatHlc({ wallMs: 0, counter: 0, deviceId }); // validates the device id once, up front
  let wallMs = 0;
  let counter = 0;
  let physicalMark = 0;
  // Small steps back (offset jitter, a clock nudged by NTP) are held, so stamps keep increasing.
  const physicalNow = () => {
    const t = clampWall(now());
    if (t >= physicalMark || physicalMark - t > MAX_CLOCK_DRIFT_MS) physicalMark = t;
    return physicalMark;
  };
  const adopt = (stamp: Hlc) => {
    if (!isHlc(stamp) || isBeyondDrift(stamp, physicalNow())) return;
    const parts = parseHlc(stamp);
    if (parts.wallMs > wallMs || (parts.wallMs === wallMs && parts.counter > counter)) {
      wallMs = parts.wallMs;
      counter = parts.counter;
    }
  };
  if (last !== undefined) adopt(last);
  return {
    next() {
      const physical = physicalNow();
      if (wallMs > physical + MAX_CLOCK_DRIFT_MS) {
        wallMs = 0;
        counter = 0;
      }
      if (physical > wallMs) {
        wallMs = physical;
        counter = 0;
      } else if (counter < MAX_COUNTER) {
        counter += 1;
      } else {
        // Only a burst of a million stamps within one millisecond gets here; borrow the next ms.
        wallMs += 1;
        counter = 0;
      }
      return formatHlc({ wallMs, counter, deviceId });
    },
    observe: adopt,
    latest() {
      return formatHlc({ wallMs, counter, deviceId });
    },
  };
}
