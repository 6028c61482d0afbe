// One chaos run, entirely derived from its seed:
//
//   servers (db + gateway, child processes) ◄── fault proxy ◄── N simulated devices
//                     └── WebSocket pokes ──► faulty delivery ──┘
//
//   1. sign up, device 0 creates the tasks, every device pulls them (no faults yet)
//   2. faults on; the schedule: devices (clocks skewed by minutes) mutate, go offline/online and
//      reload; the database is SIGKILLed and restarted; the gateway is restarted — while the
//      mutations keep coming; then, outages over, every device online, a few writes of device 0
//      alone, a second apart, which the others take from its pokes
//   3. heal: servers up, faults off, devices online; sync until every outbox is empty and every
//      device is at the server's version (bounded)
//   4. check the invariants (invariants.ts)
import { MongoClient } from 'mongodb';
import { mutationIdsCollection, rejectedCollection } from '../../../functions/lib/sync/collections.ts';
import type { ChaosOptions } from './chaos-options.ts';
import { type ContainerCounts, watchContainers } from './container-faults.ts';

export { type ChaosOptions, DEFAULT_WEIGHTS } from './chaos-options.ts';

import { type Fate, startFaultProxy } from './fault-proxy.ts';
import { checkInvariants, countApplied, type LiveState, liveState } from './invariants.ts';
import { createRng } from './rng.ts';
import { runSchedule } from './schedule.ts';
import { CHAOS_DB_NAME, type ChaosServers, startChaosServers } from './servers.ts';
import { createSimDevice, type SimDevice } from './sim-device.ts';
import { createPokeFaults, type PokeFate } from './sim-pokes.ts';
import { setupTasks } from './workload.ts';

export interface ChaosReport {
  seed: number;
  violations: string[];
  faults: Record<Fate, number> & { databaseKills: number; gatewayRestarts: number; partitions: number };
  /** Container mode only. */
  containers?: ContainerCounts;
  /** What the devices' sockets did to the pokes, while faults were on. */
  pokeFaults: Record<PokeFate, number>;
  /** Pokes' records handed to the devices, applied by them, and pulls they made, summed. */
  pokes: { delivered: number; applied: number; answersApplied: number; pulls: number };
  clockSkewsMs: number[];
  mutations: number;
  durationMs: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function signUp(url: string, seed: number): Promise<string> {
  const res = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `chaos${seed}-${Date.now()}@example.com`,
      password: 'correct horse battery staple',
    }),
  });
  if (res.status !== 201) throw new Error(`signup answered ${res.status}: ${await res.text()}`);
  return (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
}

async function serverState(url: string, cookie: string): Promise<{ version: number; state: LiveState }> {
  const res = await fetch(`${url}/api/sync/pull?since=0`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`pull answered ${res.status}`);
  const { version, changes } = (await res.json()) as { version: number; changes: Record<string, unknown[]> };
  const list = Object.entries(changes).flatMap(([collection, records]) =>
    records.map((record) => ({ collection, record })),
  );
  return { version, state: liveState(list) };
}

/** Syncs every device until all outboxes are empty and all are at the server's version. */
async function heal(
  devices: readonly SimDevice[],
  url: string,
  cookie: string,
  deadline: number,
): Promise<boolean> {
  while (Date.now() < deadline) {
    await Promise.all(devices.map((d) => d.syncNow()));
    const { version } = await serverState(url, cookie).catch(() => ({ version: -1 }));
    const settled = devices.every((d) => {
      const r = d.replica();
      const versions = Object.values(r.versions.value);
      return r.pending.value.length === 0 && versions.every((v) => v === version);
    });
    if (settled) return true;
    await sleep(200);
  }
  return false;
}

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const rng = createRng(opts.seed);
  const servers = await startChaosServers({
    brokenPush: opts.brokenPush ?? false,
    devices: opts.devices,
    ...(opts.containers !== undefined ? { containers: opts.containers } : {}),
  });
  const containers = servers.containers ? watchContainers(servers.gatewayPid) : undefined;
  const appliedAnswers = new Map<string, number>();
  const proxy = await startFaultProxy({
    target: servers.gatewayUrl,
    rng: rng.fork('proxy'),
    weights: opts.weights,
    onPushAnswer: (body, up) => countApplied(appliedAnswers, body, up.status, up.body),
  });
  const devices: SimDevice[] = [];
  const pokeFaults = createPokeFaults(rng.fork('pokes'));
  const realtime = {
    socketUrl: `${servers.gatewayUrl.replace(/^http/, 'ws')}/ws`,
    faults: pokeFaults,
    ...(opts.brokenPokes ? { broken: opts.brokenPokes } : {}),
  };
  try {
    const cookie = await signUp(servers.gatewayUrl, opts.seed);
    const skews = rng.fork('clocks');
    const clockSkewsMs: number[] = [];
    for (let i = 0; i < opts.devices; i += 1) {
      // Up to five minutes either way by default; device 0 (which creates the tasks) keeps the true time.
      const maxSkewMs = opts.clockOffsetMs ?? 300_000;
      const skewMs = i === 0 ? 0 : (opts.clockSkewMs?.(i, skews) ?? skews.int(2 * maxSkewMs) - maxSkewMs);
      clockSkewsMs.push(skewMs);
      devices.push(await createSimDevice(proxy.url, cookie, i, skewMs, realtime));
    }
    const [first] = devices;
    if (!first) throw new Error('no devices');
    const tasks = setupTasks(3);
    for (const t of tasks) await first.mutate(t.name, t.args);
    // Every device connects, pulls and opens its socket; containers also start cold, each function on
    // first use, seconds apiece on a busy machine.
    const setupMs = servers.containers ? 180_000 : 120_000;
    if (!(await heal(devices, servers.gatewayUrl, cookie, Date.now() + setupMs)))
      throw new Error('setup did not sync');
    const taskIds = tasks.map((t) => (t.args as { id: string }).id);

    proxy.setFaults(true);
    pokeFaults.on = true;
    await runSchedule(opts, rng.fork('schedule'), devices, servers, taskIds, log, containers);
    proxy.setFaults(false);
    pokeFaults.on = false;
    for (const d of devices) d.setOnline(true);
    const healed = await heal(devices, servers.gatewayUrl, cookie, Date.now() + (opts.healMs ?? 60_000));

    devices.forEach((d, i) => {
      const { delivered, applied, answersApplied, pulls } = d.pokes.counts;
      const days = Math.round((clockSkewsMs[i] ?? 0) / 86_400_000);
      log(
        `${d.deviceId} (clock ${days} d off): pokes' records handed ${delivered}, applied ${applied}, push answers' records applied ${answersApplied}, pulls ${pulls}`,
      );
    });
    const violations = healed ? [] : ['converged: the devices did not settle at the server version in time'];
    violations.push(...checkInvariants(devices, await serverFacts(servers, cookie, appliedAnswers)));
    return {
      seed: opts.seed,
      violations,
      faults: {
        ...proxy.counts,
        databaseKills: opts.databaseKills,
        gatewayRestarts: opts.gatewayRestarts,
        partitions: opts.partitions ?? 0,
      },
      ...(containers ? { containers: containers.counts } : {}),
      pokeFaults: pokeFaults.counts,
      pokes: {
        delivered: devices.reduce((n, d) => n + d.pokes.counts.delivered, 0),
        applied: devices.reduce((n, d) => n + d.pokes.counts.applied, 0),
        answersApplied: devices.reduce((n, d) => n + d.pokes.counts.answersApplied, 0),
        pulls: devices.reduce((n, d) => n + d.pokes.counts.pulls, 0),
      },
      clockSkewsMs,
      mutations: devices.reduce((n, d) => n + d.queued.length, 0),
      durationMs: Date.now() - started,
    };
  } finally {
    containers?.stop();
    for (const d of devices) d.stop();
    await proxy.close();
    await servers.stop();
  }
}

async function serverFacts(servers: ChaosServers, cookie: string, appliedAnswers: Map<string, number>) {
  const { state } = await serverState(servers.gatewayUrl, cookie);
  const client = await new MongoClient(servers.mongoUri).connect();
  try {
    const db = client.db(CHAOS_DB_NAME);
    // A device's lastMutationId lives in its own counter document (see functions/lib/sync/versions.ts).
    const counters = await mutationIdsCollection(db).find({}).toArray();
    return {
      state,
      lastMutationIds: new Map(counters.map((d) => [d._id, d.lastMutationId])),
      rejectedCount: await rejectedCollection(db).countDocuments({}),
      appliedAnswers,
    };
  } finally {
    await client.close();
  }
}
