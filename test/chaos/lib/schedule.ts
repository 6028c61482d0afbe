// The fault schedule of a chaos run: outages run in the background while the devices keep working.
import type { ChaosOptions } from './chaos-options.ts';
import type { ContainerWatch } from './container-faults.ts';
import type { Rng } from './rng.ts';
import type { ChaosServers } from './servers.ts';
import type { SimDevice } from './sim-device.ts';
import { randomCall } from './workload.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Container mode spaces the mutations this much wider: its requests take longer (a process boundary
 * each, a cold start now and then), and at in-process pace every poke would reach a device still
 * waiting for its own last write's pull, so the run would say little about pokes.
 */
export const CONTAINER_PACE = 3;

/**
 * The run ends as most days go: every device online, one in use and the others watching, so that the
 * watchers apply its pokes (faults still on) instead of pulling after writes of their own.
 */
export const WATCHED_WRITES = 5;
const WATCHED_GAP_MS = 1_000;
/** How long the watched writes wait for every socket to be open again (after a restart, say). */
const SOCKETS_BACK_MS = 60_000;

/** Distinct mutation indices (1 … mutations − 1) at which something happens, `count` draws. */
function moments(rng: Rng, count: number, mutations: number): Set<number> {
  return new Set(Array.from({ length: count }, () => 1 + rng.int(mutations - 1)));
}

export async function runSchedule(
  opts: ChaosOptions,
  rng: Rng,
  devices: readonly SimDevice[],
  servers: ChaosServers,
  taskIds: readonly string[],
  log: (line: string) => void,
  containers?: ContainerWatch,
): Promise<void> {
  const outages: Promise<void>[] = [];
  const pace = servers.containers ? CONTAINER_PACE : 1;
  const crashAt = moments(rng, opts.databaseKills, opts.mutations);
  const restartAt = moments(rng, opts.gatewayRestarts, opts.mutations);
  const containerKillAt = moments(rng, containers ? (opts.containerKills ?? 0) : 0, opts.mutations);
  let outage: Promise<void> = Promise.resolve();
  const serially = (label: string, fn: () => Promise<void>) => {
    // One outage at a time keeps the run bounded; each still overlaps the devices' work.
    outage = outage.then(async () => {
      log(label);
      await fn();
    });
    outages.push(outage);
    // Seen by Promise.all below; until then a failed restart must not crash the process unhandled.
    outage.catch(() => undefined);
  };
  const partitionAt = moments(rng, opts.partitions ?? 0, opts.mutations);
  const partitioned = new Set<SimDevice>();
  for (let i = 1; i <= opts.mutations; i += 1) {
    if (partitionAt.has(i) && devices.length > 1) {
      const cut = rng.pick(devices.slice(1));
      const ms = opts.partitionMs ?? 60_000;
      log(`partition: ${cut.deviceId} offline for ${ms} ms while the others write`);
      partitioned.add(cut);
      cut.setOnline(false);
      outages.push(
        sleep(ms).then(() => {
          partitioned.delete(cut);
          cut.setOnline(true);
        }),
      );
    }
    if (crashAt.has(i)) {
      const downMs = 200 + rng.int(800);
      serially(`database: SIGKILL, down ${downMs} ms`, async () => {
        await servers.killDatabase();
        await sleep(downMs);
        await servers.startDatabase();
      });
    }
    if (containerKillAt.has(i) && containers?.killOne(rng)) log('container: SIGKILL');
    if (restartAt.has(i)) {
      const signal = rng.chance(0.5) ? 'SIGKILL' : 'SIGTERM';
      serially(`gateway: ${signal} and restart`, () => servers.restartGateway(signal));
    }
    const device = rng.pick(devices);
    if (rng.chance(0.08)) device.setOnline(false);
    else if (rng.chance(0.15) && !partitioned.has(device)) device.setOnline(true);
    if (rng.chance(0.03)) await device.reload();
    const call = randomCall(rng, taskIds);
    await device.mutate(call.name, call.args);
    await sleep((10 + rng.int(90)) * pace);
  }
  await Promise.all(outages);
  if (devices.length < 2) return;
  for (const device of devices) device.setOnline(true);
  const socketsBy = Date.now() + SOCKETS_BACK_MS;
  while (!devices.every((d) => d.pokeConnected()) && Date.now() < socketsBy) await sleep(100);
  for (let i = 0; i < WATCHED_WRITES; i += 1) {
    await sleep(WATCHED_GAP_MS);
    const call = randomCall(rng, taskIds);
    await devices[0]?.mutate(call.name, call.args);
  }
}
