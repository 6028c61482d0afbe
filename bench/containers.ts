// `npm run bench -- containers`: the container runtime (LOCAL_RUNTIME=containers) beside the in-process
// mode, on one embedded database:
//
//   cold start   every function of the route table started from its bundle in a fresh container,
//                RUNS times (idle containers reaped at once, so each call is cold): the init duration
//                of Lambda's REPORT line, median and max per function and over all of them
//   warm invoke  GET /api/health (one function, one database ping) one request at a time, the two
//                gateways alternating round by round: the median of each and the difference
//   connections  N devices (1, 10, 100) each sending GET /api/health at once, then the database
//                connections open on the server: one pool per container, against one shared pool
//
// The embedded server's serverStatus has no `connections` section, so connections are counted as the
// established TCP sockets on its port (`ss`), which is what serverStatus().connections.current counts.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureIndexes } from '../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../functions/lib/mongo.ts';
import type { ContainerHost } from '../infra/local/containers/container-host.ts';
import { createLocalGateway, type LocalGateway } from '../infra/local/gateway.ts';
import { startMongoServer } from '../infra/local/mongo/index.ts';
import { allFunctions } from '../infra/routes.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult, Metric } from './lib/result.ts';

const RUNS = Number(process.env.BENCH_CONTAINER_RUNS ?? 3);
const WARM_ROUNDS = Number(process.env.BENCH_CONTAINER_WARM_ROUNDS ?? 200);
const DEVICES = [1, 10, 100];

const round = (n: number) => Math.round(n * 100) / 100;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

function establishedOn(port: number): number {
  const out = execFileSync('ss', ['-Htn', 'state', 'established', `( sport = :${port} )`], {
    encoding: 'utf8',
  });
  return out.split('\n').filter((line) => line.trim()).length;
}

async function coldStarts(mongoUri: string): Promise<Record<string, Metric>> {
  const gateway = await createLocalGateway({
    port: 0,
    runtime: 'containers',
    env: { MONGODB_URI: mongoUri },
    containers: { idleMs: 0, log: () => undefined },
  });
  const host = gateway.functions;
  if (!('stats' in host) || typeof host.stats !== 'function') throw new Error('not a container host');
  try {
    for (let i = 0; i < RUNS; i += 1) {
      for (const fn of allFunctions()) {
        await gateway.functions.invoke(fn.name, {});
        // Reaping runs on a 0 ms timer after the answer: let it, so the next call starts cold.
        await new Promise((done) => setTimeout(done, 20));
      }
    }
    const inits = (host as ContainerHost).stats().initMs;
    const metrics: Record<string, Metric> = {};
    const all = Object.values(inits).flat();
    metrics.init_median_all = { value: round(median(all)), unit: 'ms' };
    metrics.init_max_all = { value: round(Math.max(...all)), unit: 'ms' };
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

async function devices(gateway: LocalGateway, count: number, mongoPort: number): Promise<number> {
  await Promise.all(Array.from({ length: count }, () => timedHealth(gateway)));
  return establishedOn(mongoPort);
}

export async function run(): Promise<BenchResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-containers-'));
  const mongo = await startMongoServer({ port: 0, host: '127.0.0.1', dbPath: join(dataDir, 'db') });
  const port = Number(/:(\d+)/.exec(mongo.uri)?.[1]);
  process.env.MONGODB_URI = mongo.uri;
  await ensureIndexes(await getDb());
  try {
    const metrics = await coldStarts(mongo.uri);
    const inProcess = await createLocalGateway({ port: 0, runtime: 'in-process' });
    const containers = await createLocalGateway({
      port: 0,
      runtime: 'containers',
      containers: { log: () => undefined },
    });
    try {
      await timedHealth(inProcess);
      await timedHealth(containers);
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < WARM_ROUNDS; i += 1) {
        a.push(await timedHealth(inProcess));
        b.push(await timedHealth(containers));
      }
      metrics.warm_health_p50_in_process = { value: round(median(a)), unit: 'ms' };
      metrics.warm_health_p50_containers = { value: round(median(b)), unit: 'ms' };
      metrics.warm_invoke_overhead_p50 = { value: round(median(b) - median(a)), unit: 'ms' };
      for (const n of DEVICES) {
        metrics[`mongo_connections_in_process_${n}_devices`] = {
          value: await devices(inProcess, n, port),
          unit: 'connections',
        };
        metrics[`mongo_connections_containers_${n}_devices`] = {
          value: await devices(containers, n, port),
          unit: 'connections',
        };
      }
    } finally {
      await inProcess.close();
      await containers.close();
    }
    metrics.load_average_1m = { value: round(loadavg()[0] ?? 0), unit: '' };
    return { name: 'containers', metrics };
  } finally {
    await closeMongoClient();
    await mongo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
