// Open-loop load: mutations and reads are offered at a fixed rate whatever the answers, each to a
// random device (a device whose previous push is still in flight queues it, as the app's outbox
// does), so a slow server shows as latency and backlog, never as a lower offered rate.
import type { LoadDevice } from './device.ts';

export interface StepPlan {
  mutationsPerS: number;
  /** Reads offered per mutation, alternately a pull and a check-update. */
  readsPerMutation: number;
  ms: number;
}

const TICK_MS = 5;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const pick = (devices: readonly LoadDevice[]) => devices[Math.floor(Math.random() * devices.length)];

/** Offers the plan's load for `plan.ms`; answers how long it took (the ticks' lateness included). */
export async function offerLoad(devices: readonly LoadDevice[], plan: StepPlan): Promise<number> {
  const started = performance.now();
  let mutations = 0;
  let reads = 0;
  for (let elapsed = 0; elapsed < plan.ms; elapsed = performance.now() - started) {
    const seconds = elapsed / 1000;
    for (; mutations < Math.floor(plan.mutationsPerS * seconds); mutations += 1)
      pick(devices)?.offerMutation();
    const dueReads = Math.floor(plan.mutationsPerS * plan.readsPerMutation * seconds);
    for (; reads < dueReads; reads += 1) pick(devices)?.offerRead(reads % 2 === 0 ? 'pull' : 'check');
    await sleep(TICK_MS);
  }
  return performance.now() - started;
}

/** Waits until no device has anything queued or in flight; false if that takes longer than `ms`. */
export async function drain(devices: readonly LoadDevice[], ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (devices.some((d) => d.busy())) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}
