// `npm run bench -- load [--soak]`: 200 users, each with 2 devices holding a WebSocket to the local
// gateway, mixed reads (pull, check-update) and mutations (push) offered at a controlled rate
// (bench/load/): the database in its own process on a durable data directory, the app in another,
// the devices here.
//
//   1. the database's own durable insert rate (insertOne, w:1 j:true, as many clients as the app's
//      pool has connections), on the same server, before any load
//   2. the ramp: the offered rate steps up until p99 passes 200 ms, an error occurs or mutations are
//      left unacknowledged; the last good step is the sustained rate, reported as a ratio to (1)
//   3. convergence: every mutation applied once, both devices of every user equal to the server
//   --soak: then a steady load at half the sustained rate for 20 minutes (after a minute's warm-up),
//      and the app's memory at its start and end (bench/results/load-soak.json)
//
// The default run stays within about three minutes (BENCH_LOAD_USERS and BENCH_LOAD_STEP_MS shorten it).
import { loadavg } from 'node:os';
import { MongoClient } from 'mongodb';
import { utcDateOf } from '../core/dates.ts';
import type { BenchResult, Metric } from './lib/result.ts';
import { signUp } from './lib/sign-up.ts';
import { checkConvergence } from './load/converge.ts';
import { type LoadDevice, type LoadUser, type Meter, openLoadDevice } from './load/device.ts';
import { RAMP_RATES, rampMetrics, runRamp } from './load/ramp.ts';
import { LOAD_DB_NAME, type LoadServers, startLoadServers } from './load/servers.ts';
import { runSoak } from './load/soak.ts';
import { createSink } from './load/step-sink.ts';
import { insertRate } from './mongo/load.ts';
import { createClient } from './sync/http.ts';

const SOAK = process.argv.includes('--soak');
const USERS = Number(process.env.BENCH_LOAD_USERS ?? 200);
const DEVICES_PER_USER = 2;
const STEP_MS = Number(process.env.BENCH_LOAD_STEP_MS ?? 10_000);
const RAMP_BUDGET_MS = 110_000;
const READS_PER_MUTATION = 1;
const SOAK_MS = Number(process.env.BENCH_LOAD_SOAK_MS ?? 20 * 60_000);
/** The app's MongoDB pool (functions/lib/mongo.ts): the concurrency the database sees from it. */
const APP_POOL_SIZE = 10;

const log = (line: string) => console.log(`[load] ${line}`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T, i: number) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

async function openFleet(url: string, meter: Meter): Promise<LoadDevice[]> {
  const today = utcDateOf(Date.now());
  const users = await inBatches(Array.from({ length: USERS }), 4, async (): Promise<LoadUser> => {
    const cookie = await signUp(url, 'load');
    return { url, cookie, client: createClient(url, { cookie }, 8), today, written: 0 };
  });
  const seats = users.flatMap((user) => Array.from({ length: DEVICES_PER_USER }, () => user));
  return inBatches(seats, 20, (user, i) => openLoadDevice(user, meter, i));
}

/** Median of three rounds of durable single-document inserts on the benchmark's database server. */
async function durableInsertRate(mongoUri: string): Promise<number> {
  const client = await new MongoClient(`${mongoUri}&w=1&journal=true`, {
    maxPoolSize: APP_POOL_SIZE,
  }).connect();
  try {
    const rates: number[] = [];
    for (let i = 0; i < 3; i += 1)
      rates.push((await insertRate(client, 'durable', APP_POOL_SIZE, 3_000)).opsPerSecond);
    return rates.sort((a, b) => a - b)[1] ?? 0;
  } finally {
    await client.close();
  }
}

async function measure(
  servers: LoadServers,
  devices: LoadDevice[],
  meter: Meter,
): Promise<Record<string, Metric>> {
  const insertsPerS = await durableInsertRate(servers.mongoUri);
  log(`database: ${insertsPerS} durable inserts/s with ${APP_POOL_SIZE} clients`);
  const ramp = await runRamp(devices, meter, {
    stepMs: STEP_MS,
    budgetMs: RAMP_BUDGET_MS,
    readsPerMutation: READS_PER_MUTATION,
    log,
  });
  const sustained = ramp.sustained?.achievedPerS ?? 0;
  const metrics: Record<string, Metric> = {
    users: { value: USERS, unit: 'users', target: '≥ 200' },
    devices: { value: devices.length, unit: 'WebSockets', target: `= ${USERS * DEVICES_PER_USER}` },
    reads_per_mutation: { value: READS_PER_MUTATION, unit: 'offered reads' },
    ...rampMetrics(ramp),
    db_durable_inserts_per_s: { value: insertsPerS, unit: 'inserts/s' },
    sustained_vs_db_inserts: { value: round(sustained / (insertsPerS || 1), 3), unit: '×' },
  };
  if (SOAK) {
    // Half the sustained rate; half the ramp's first step when even that broke (a very busy machine).
    const plan = {
      mutationsPerS: Math.max(RAMP_RATES[0] ?? 1, sustained) / 2,
      readsPerMutation: READS_PER_MUTATION,
    };
    Object.assign(
      metrics,
      await runSoak(devices, meter, servers, { ...plan, warmUpMs: 60_000, ms: SOAK_MS }, log),
    );
  }
  const c = await checkConvergence(devices, servers.mongoUri, LOAD_DB_NAME);
  const count = (key: 'pokes' | 'streamsApplied' | 'answersApplied' | 'pokePulls' | 'reconnects') =>
    devices.reduce((n, d) => n + d.counters[key], 0);
  Object.assign(metrics, {
    divergent_devices: { value: c.divergent, unit: 'devices', target: '= 0' },
    lost: { value: c.lost, unit: 'mutations', target: '= 0' },
    doubled: { value: c.doubled, unit: 'mutations', target: '= 0' },
    unsettled_devices: { value: c.unsettled, unit: 'devices', target: '= 0' },
    pokes_received: { value: count('pokes'), unit: 'pokes' },
    pokes_applied_without_pull: { value: count('streamsApplied'), unit: 'pokes' },
    push_answers_applied_without_pull: { value: count('answersApplied'), unit: 'answers' },
    pulls_after_poke: { value: count('pokePulls'), unit: 'pulls' },
    socket_reconnects: { value: count('reconnects'), unit: 'reconnects' },
  });
  return metrics;
}

export async function run(): Promise<BenchResult> {
  const loadBefore = loadavg()[0] ?? 0;
  const servers = await startLoadServers();
  const meter: Meter = { sink: createSink() };
  let devices: LoadDevice[] = [];
  try {
    const started = performance.now();
    devices = await openFleet(servers.url, meter);
    log(
      `${USERS} users, ${devices.length} devices connected in ${Math.round(performance.now() - started)} ms`,
    );
    const metrics = await measure(servers, devices, meter);
    metrics.load_before = { value: round(loadBefore), unit: 'load' };
    metrics.load_after = { value: round(loadavg()[0] ?? 0), unit: 'load' };
    return { name: SOAK ? 'load-soak' : 'load', metrics };
  } finally {
    for (const d of devices) d.close();
    for (const user of new Set(devices.map((d) => d.user))) user.client.close();
    await servers.stop();
  }
}
