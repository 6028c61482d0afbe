// Faults of the container runtime (LOCAL_RUNTIME=containers) for a chaos run. The gateway's
// containers are its child processes (infra/local/containers/container.ts: one `node runtime.mjs`
// each, SIGSTOPped between invocations); they are found in /proc, so the runtime needs no hook:
//
//   kill            SIGKILL one container: a running one dies mid-invocation, a stopped one frozen
//   reaped          containers that exited without being killed here: reaped after the idle time
//                   (the run sets CONTAINER_IDLE_MS to 15 s) or crashed; those of a gateway that was
//                   restarted are not counted (they die with it)
import { readdirSync, readFileSync } from 'node:fs';
import type { Rng } from './rng.ts';

const POLL_MS = 250;

export interface ContainerCounts {
  killedMidInvocation: number;
  killedFrozen: number;
  reaped: number;
}

export interface ContainerWatch {
  /** Kills one of the gateway's containers, a running one if any; false when there is none. */
  killOne(rng: Rng): boolean;
  readonly counts: ContainerCounts;
  stop(): void;
}

interface Proc {
  pid: number;
  state: string;
}

function containersOf(parent: number): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== parent) continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('runtime.mjs')) continue;
      found.push({ pid: Number(entry), state: fields[0] ?? '' });
    } catch {
      // The process ended while it was being read.
    }
  }
  return found;
}

export function watchContainers(gatewayPid: () => number | undefined): ContainerWatch {
  const counts: ContainerCounts = { killedMidInvocation: 0, killedFrozen: 0, reaped: 0 };
  const killed = new Set<number>();
  let seen = new Set<number>();
  let seenUnder: number | undefined;
  const poll = () => {
    const parent = gatewayPid();
    const now = new Set(parent === undefined ? [] : containersOf(parent).map((p) => p.pid));
    if (parent === seenUnder) {
      for (const pid of seen) if (!now.has(pid) && !killed.delete(pid)) counts.reaped += 1;
    }
    seen = now;
    seenUnder = parent;
  };
  const timer = setInterval(poll, POLL_MS);
  return {
    counts,
    killOne(rng) {
      const parent = gatewayPid();
      if (parent === undefined) return false;
      const all = containersOf(parent);
      const running = all.filter((p) => p.state !== 'T');
      const victim = running.length ? rng.pick(running) : all.length ? rng.pick(all) : undefined;
      if (!victim) return false;
      try {
        process.kill(victim.pid, 'SIGKILL');
      } catch {
        return false;
      }
      killed.add(victim.pid);
      if (victim.state === 'T') counts.killedFrozen += 1;
      else counts.killedMidInvocation += 1;
      return true;
    },
    stop: () => clearInterval(timer),
  };
}
