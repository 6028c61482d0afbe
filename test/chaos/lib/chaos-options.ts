// What a chaos run is told to do (chaos-run.ts runs it, schedule.ts draws its faults).
import type { FateWeights } from './fault-proxy.ts';
import type { Rng } from './rng.ts';
import type { BrokenPokes } from './sim-pokes.ts';

export interface ChaosOptions {
  seed: number;
  devices: number;
  mutations: number;
  databaseKills: number;
  gatewayRestarts: number;
  weights: FateWeights;
  /** Run against the deliberately broken push (test/chaos/lib/broken-push.ts). */
  brokenPush?: boolean;
  /** Devices other than the first are off by up to this much either way (default 5 minutes). */
  clockOffsetMs?: number;
  /** How long healing may take before the run counts as not converged. */
  healMs?: number;
  /** Wall-clock offset of device i (device 0 keeps the true time); by default up to ±5 minutes. */
  clockSkewMs?: (i: number, rng: Rng) => number;
  /** Long partitions: this many times, one device (not device 0) is cut off for `partitionMs`. */
  partitions?: number;
  partitionMs?: number;
  /** Run the functions on the container runtime (default: as LOCAL_RUNTIME says). */
  containers?: boolean;
  /** Container mode: this many times, one container is SIGKILLed (container-faults.ts). */
  containerKills?: number;
  /** A deliberately wrong poke handling on every device (sim-pokes.ts), to show the suite catches it. */
  brokenPokes?: BrokenPokes;
  log?: (line: string) => void;
}

export const DEFAULT_WEIGHTS: FateWeights = {
  pass: 50,
  drop: 10,
  delay: 10,
  reorder: 10,
  duplicate: 10,
  cut: 10,
};

/** The fixed-seed run of `npm test` (chaos.test.ts), and the base of the suite's other short runs. */
export const SHORT: ChaosOptions = {
  seed: 20_261_128,
  devices: 3,
  mutations: 40,
  databaseKills: 1,
  gatewayRestarts: 1,
  weights: DEFAULT_WEIGHTS,
  healMs: 45_000,
};
