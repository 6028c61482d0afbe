// Which tab of a device leads the network work, and what keeps that true when a leader hangs:
//
//   leader:    holds the Web Lock ─► posts "leader-alive" every 4 s
//   follower:  hears "leader-alive" / "status" / "pulled" ─► leader is alive
//              silent for 15 s while this page is visible ─► steal the lock (frozen or hung leader)
//
// The lock itself (electLeader) hands over when a leader closes or crashes; the watchdog covers the
// tab that keeps its lock while frozen or hibernated.
import type { Leadership } from '../sync/leader.ts';
import type { TabChannel, TabMessage } from '../sync/tab-channel.ts';
import { repeat, type Timers } from '../sync/timers.ts';

export const LEADER_HEARTBEAT_MS = 4_000;
/** Several missed heartbeats: the leader is frozen, hibernated or throttled in a background tab. */
export const LEADER_TIMEOUT_MS = 15_000;

export type ElectLeader = (lockName: string, lead: () => () => void) => Leadership;

export interface LeadershipDeps {
  lockName: string;
  channel: TabChannel;
  timers: Timers;
  isPageVisible(): boolean;
  elect: ElectLeader;
  /** Called when this tab starts leading; returns what to run when it stops. */
  lead(): () => void;
}

/** Messages only a live leader sends. */
function isLeaderSign(message: TabMessage): boolean {
  return message.type === 'leader-alive' || message.type === 'status' || message.type === 'pulled';
}

export function startLeadership(deps: LeadershipDeps): { release(): void } {
  const { channel, timers } = deps;
  let leading = false;
  let lastLeaderSeen = timers.now();
  const unsubscribe = channel.subscribe((message) => {
    if (isLeaderSign(message)) lastLeaderSeen = timers.now();
  });
  const leadership = deps.elect(deps.lockName, () => {
    leading = true;
    const stopLeading = deps.lead();
    const stopHeartbeat = repeat(timers, LEADER_HEARTBEAT_MS, () => channel.post({ type: 'leader-alive' }));
    return () => {
      stopHeartbeat();
      // The next leader gets a full timeout to show itself before this tab would steal back.
      lastLeaderSeen = timers.now();
      leading = false;
      stopLeading();
    };
  });
  const stopWatchdog = repeat(timers, LEADER_HEARTBEAT_MS, () => {
    const silent = timers.now() - lastLeaderSeen > LEADER_TIMEOUT_MS;
    if (!leading && silent && deps.isPageVisible()) leadership.steal();
  });
  return {
    release() {
      stopWatchdog();
      leadership.release();
      unsubscribe();
    },
  };
}
