// The device clock's offset to the server's, so that stamps are made on the server's time scale: a
// phone whose clock is a year off must neither be refused (ClockAhead) nor lose every conflict.
//
//   device:  sentAt ──── request ────►                ◄──── answer ──── receivedAt
//   server:                          serverTime (in push, pull and check-update answers)
//   offset ≈ serverTime − (sentAt + receivedAt) / 2, off by at most half the round trip
//
// Of the recent samples the one with the shortest round trip wins (the least uncertain). A sample
// that disagrees with the estimate by more than both uncertainties means the device clock itself
// was changed: the older samples are dropped.
import type { SyncTransport } from './transport.ts';

export interface ClockOffset {
  /** The device clock corrected by the estimate: what stamps are made from. */
  now(): number;
  offsetMs(): number;
  /** One exchange, timed on the device clock, and the server's time in its answer. */
  sample(sentAt: number, serverTime: number, receivedAt: number): void;
}

export interface ClockOffsetOptions {
  /** The device clock (injected for tests). */
  now?: () => number;
  /** A persisted estimate, so a reload before the first answer does not stamp with the raw clock. */
  initialOffsetMs?: number;
  onChange?(offsetMs: number): void;
}

interface Sample {
  offsetMs: number;
  roundTripMs: number;
}

const WINDOW = 8;
/** Slack for the server answering late in its request (serialization, compression) and clock noise. */
const DISAGREEMENT_SLACK_MS = 1_000;

export function createClockOffset(options: ClockOffsetOptions = {}): ClockOffset {
  const deviceNow = options.now ?? Date.now;
  let samples: Sample[] = [];
  let estimate = Number.isFinite(options.initialOffsetMs) ? (options.initialOffsetMs as number) : 0;
  let best: Sample | undefined;

  const settle = () => {
    best = samples.reduce<Sample | undefined>(
      (b, s) => (!b || s.roundTripMs < b.roundTripMs ? s : b),
      undefined,
    );
    if (best && best.offsetMs !== estimate) {
      estimate = best.offsetMs;
      options.onChange?.(estimate);
    }
  };

  return {
    now: () => deviceNow() + estimate,
    offsetMs: () => estimate,
    sample(sentAt, serverTime, receivedAt) {
      const roundTripMs = receivedAt - sentAt;
      // A device clock changed mid-request gives a negative or absurd round trip: no information.
      if (![sentAt, serverTime, receivedAt].every(Number.isFinite) || roundTripMs < 0) return;
      const next = { offsetMs: Math.round(serverTime - (sentAt + receivedAt) / 2), roundTripMs };
      const jumped =
        best !== undefined &&
        Math.abs(next.offsetMs - best.offsetMs) >
          (next.roundTripMs + best.roundTripMs) / 2 + DISAGREEMENT_SLACK_MS;
      samples = jumped ? [next] : [...samples.slice(-(WINDOW - 1)), next];
      settle();
    },
  };
}

/** A transport that feeds `offset` from the server time in every push and pull answer. */
export function sampleServerTime(
  transport: SyncTransport,
  offset: ClockOffset,
  now: () => number = Date.now,
): SyncTransport {
  const timed = async <R extends { serverTime?: number | undefined }>(
    request: () => Promise<R>,
  ): Promise<R> => {
    const sentAt = now();
    const answer = await request();
    if (typeof answer.serverTime === 'number') offset.sample(sentAt, answer.serverTime, now());
    return answer;
  };
  return {
    push: (deviceId, mutations) => timed(() => transport.push(deviceId, mutations)),
    pull: (since, collections) => timed(() => transport.pull(since, collections)),
    ...(transport.markSynced ? { markSynced: transport.markSynced.bind(transport) } : {}),
  };
}
