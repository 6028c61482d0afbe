// `npm run bench -- containers`: the container runtime (LOCAL_RUNTIME=containers) beside the in-process
// mode, on one embedded database:
//
//   cold start   every function of the route table started from its bundle in a fresh container,
//                RUNS times (idle containers reaped at once, so each call is cold): the init duration
//                of Lambda's REPORT line, median and max per function and over all of them
//   warm invoke  GET /api/health (one function, one database ping) one request at a time, the two
//                gateways alternating request by request: the median of each, the difference, the ratio
//   connections  N devices (1, 10, 100) syncing at once (check-update, push, pull; a throttled request
//                or failed request is sent again), then serverStatus().connections.current, less what
//                was open before: one pool per container, against the in-process mode's one client
//
// Containers are limited by the reserved concurrency the stack derives from its connection budget,
// so at 100 devices requests are throttled (counted) and the connections stay within the budget.
import { loadavg } from 'node:os';
import { type Db, MongoClient } from 'mongodb';
import { ensureIndexes } from '../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../functions/lib/mongo.ts';
import type { ContainerHost } from '../infra/local/containers/container-host.ts';
import { createLocalGateway, type LocalGateway } from '../infra/local/gateway.ts';
import { allFunctions } from '../infra/routes.ts';
import { DEVICES_PER_ACCOUNT, runDevices, signUpAccounts } from './containers/devices.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult, Metric } from './lib/result.ts';
import { startDatabase, stopChild } from './sync/topology.ts';

const RUNS = Number(process.env.BENCH_CONTAINER_RUNS ?? 3);
const WARM_ROUNDS = Number(process.env.BENCH_CONTAINER_WARM_ROUNDS ?? 200);
const DEVICES = (process.env.BENCH_CONTAINER_DEVICES ?? '1,10,100').split(',').map(Number);
const DATABASE = 'bench_containers';

const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

async function openConnections(admin: Db): Promise<number> {
  const status = await admin.command({ serverStatus: 1 });
  return (status.connections as { current: number }).current;
}

/** Waits until the server has seen a closed gateway's sockets go (at most 10 s). */
async function settle(admin: Db, atMost: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await openConnections(admin)) > atMost && Date.now() < deadline)
    await new Promise((done) => setTimeout(done, 50));
}

const containerGateway = (opts: { idleMs?: number } = {}) =>
  createLocalGateway({ port: 0, runtime: 'containers', containers: { ...opts, log: () => undefined } });

function containerHost(gateway: LocalGateway): ContainerHost {
  const host = gateway.functions;
  if (!('stats' in host)) throw new Error('not a container host');
  return host as ContainerHost;
}

async function coldStarts(): Promise<Record<string, Metric>> {
  const gateway = await containerGateway({ idleMs: 0 });
  try {
    for (let i = 0; i < RUNS; i += 1) {
      for (const fn of allFunctions()) {
        await gateway.functions.invoke(fn.name, {});
        // Reaping runs on a 0 ms timer after the answer: let it, so the next call starts cold.
        await new Promise((done) => setTimeout(done, 20));
      }
    }
    const inits = containerHost(gateway).stats().initMs;
    const all = Object.values(inits).flat();
    const metrics: Record<string, Metric> = {
      init_median_all: { value: round(median(all)), unit: 'ms' },
      init_max_all: { value: round(Math.max(...all)), unit: 'ms' },
    };
    for (const [name, samples] of Object.entries(inits)) {
      if (!samples.length) continue;
      metrics[`init_median_${name}`] = { value: round(median(samples)), unit: 'ms' };
      metrics[`init_max_${name}`] = { value: round(Math.max(...samples)), unit: 'ms' };
    }
    return metrics;
  } finally {
    await gateway.close();
  }
}

async function timedHealth(gateway: LocalGateway): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${gateway.url}/api/health`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`/api/health answered ${res.status}`);
  return performance.now() - started;
}

async function warmInvokes(inProcess: LocalGateway): Promise<Record<string, Metric>> {
  const containers = await containerGateway();
  try {
    await timedHealth(inProcess);
    await timedHealth(containers);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < WARM_ROUNDS; i += 1) {
      a.push(await timedHealth(inProcess));
      b.push(await timedHealth(containers));
    }
    return {
      warm_health_p50_in_process: { value: round(median(a)), unit: 'ms' },
      warm_health_p50_containers: { value: round(median(b)), unit: 'ms' },
      warm_invoke_overhead_p50: { value: round(median(b) - median(a)), unit: 'ms' },
      warm_invoke_ratio_p50: { value: round(median(b) / median(a)), unit: '×' },
    };
  } finally {
    await containers.close();
  }
}

/** The in-process gateway's one client: its connections, less the bench's own (`ownConnections`). */
async function inProcessConnections(inProcess: LocalGateway, admin: Db, own: number, cookies: string[]) {
  const metrics: Record<string, Metric> = {};
  for (const n of DEVICES) {
    const run = await runDevices(inProcess.url, cookies, n);
    const open = (await openConnections(admin)) - own;
    metrics[`mongo_connections_in_process_${n}_devices`] = { value: open, unit: 'connections' };
    metrics[`resent_in_process_${n}_devices`] = { value: run.throttled + run.failed, unit: 'requests' };
  }
  return metrics;
}

/** A fresh container gateway per N: the connections its containers hold once the devices are done. */
async function containerConnections(admin: Db, cookies: string[]) {
  const metrics: Record<string, Metric> = {};
  for (const n of DEVICES) {
    const before = await openConnections(admin);
    const gateway = await containerGateway();
    try {
      const run = await runDevices(gateway.url, cookies, n);
      const open = (await openConnections(admin)) - before;
      const live = Object.values(containerHost(gateway).stats().containers).reduce((x, y) => x + y, 0);
      metrics[`mongo_connections_containers_${n}_devices`] = { value: open, unit: 'connections' };
      metrics[`containers_${n}_devices`] = { value: live, unit: 'containers' };
      metrics[`mongo_connections_per_container_${n}_devices`] = { value: round(open / live), unit: '' };
      metrics[`throttled_containers_${n}_devices`] = { value: run.throttled, unit: 'requests' };
      metrics[`other_5xx_containers_${n}_devices`] = { value: run.failed, unit: 'requests' };
    } finally {
      await gateway.close();
      await settle(admin, before);
    }
  }
  return metrics;
}

export async function run(): Promise<BenchResult> {
  // The database in a process of its own, as in a deployment: in this one it would share an event
  // loop with both gateways and the devices, and time the containers out.
  const mongo = await startDatabase();
  const adminClient = await new MongoClient(mongo.uri).connect();
  const admin = adminClient.db('admin');
  // Both modes use this database: the in-process functions read MONGODB_DB, the containers take it
  // over the stage's.
  process.env.MONGODB_URI = mongo.uri;
  process.env.MONGODB_DB = DATABASE;
  try {
    const own = await openConnections(admin);
    await ensureIndexes(await getDb());
    const metrics = await coldStarts();
    const inProcess = await createLocalGateway({ port: 0, runtime: 'in-process' });
    try {
      const cookies = await signUpAccounts(
        inProcess.url,
        Math.ceil(Math.max(...DEVICES) / DEVICES_PER_ACCOUNT),
      );
      // Before any container gateway starts: each points this process's LAMBDA_ENDPOINT (which the
      // in-process functions call) at itself.
      Object.assign(metrics, await inProcessConnections(inProcess, admin, own, cookies));
      Object.assign(metrics, await warmInvokes(inProcess));
      Object.assign(metrics, await containerConnections(admin, cookies));
    } finally {
      await inProcess.close();
    }
    metrics.load_average_1m = { value: round(loadavg()[0] ?? 0), unit: '' };
    return { name: 'containers', metrics };
  } finally {
    await closeMongoClient();
    await adminClient.close();
    await stopChild(mongo.child);
  }
}
