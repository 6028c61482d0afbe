// The sync backend through the local gateway (real HTTP, authorizer, handler modules, embedded
// MongoDB), beside the original polling design (docs/rules.md) on the same data:
//
//   ours:  poll check-update every 5 s → on a change, pull the delta since the device's version
//   polling:  poll check-update every 5 s → on any change, refetch everything (home + health data)
//
// Metrics: 1,000 devices polling (p99, errors); one mutation through its own function (p50); the
// pull after one change on 10 years of history (bytes on the wire); a full snapshot of those 10 years
// (compressed bytes); and the original design's refetch of the same data.
import { loadavg } from 'node:os';
import { type Db, MongoClient } from 'mongodb';
import { addDays, utcDateOf } from '../core/dates.ts';
import { formatHlc } from '../core/hlc.ts';
import { newDeviceId } from '../core/ids.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult, Metric } from './lib/result.ts';
import { buildHistory, storeHistory } from './sync/history.ts';
import { type Client, createClient, type Reply } from './sync/http.ts';
import { type PollDevice, type PollReport, pollLoad } from './sync/poll-load.ts';
import { startTopology } from './sync/topology.ts';

const DEVICES = Number(process.env.BENCH_SYNC_DEVICES ?? 1_000);
const USERS = 4;
const PERIOD_MS = 5_000;
const POLL_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const MUTATIONS = 200;
const YEARS = 10;
const ACCEPT = { 'accept-encoding': 'br, gzip' };

async function signUp(url: string, i: number): Promise<{ cookie: string; userId: string }> {
  const reply = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench${i}@example.com`, password: 'correct horse battery staple' }),
  });
  if (reply.status !== 201) throw new Error(`signup → ${reply.status} ${await reply.text()}`);
  const cookie = (reply.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const { userId } = (await reply.json()) as { userId: string };
  return { cookie, userId };
}

/** One mutation at a time through `PUT /api/weights/{date}`: latency and status of each. */
async function mutationLatencies(client: Client, today: string): Promise<Measured['mutation']> {
  const deviceId = newDeviceId();
  const times: number[] = [];
  let errors = 0;
  for (let i = 1; i <= MUTATIONS; i += 1) {
    const date = addDays(today, -(i % 300));
    const headers = {
      'x-device-id': deviceId,
      'x-mutation-id': String(i),
      'x-hlc': formatHlc({ wallMs: Date.now(), counter: i, deviceId }),
    };
    const reply = await client.send('PUT', `/api/weights/${date}`, {
      body: { value: 70 + (i % 10), unit: 'kg' },
      headers,
    });
    if (reply.status !== 200) errors += 1;
    times.push(reply.ms);
  }
  times.sort((a, b) => a - b);
  // The machine is shared: the load while timing says how comparable two runs' latencies are.
  const load = loadavg()[0] ?? 0;
  return { p50: percentile(times, 50), p99: percentile(times, 99), errors, load };
}

interface SyncCost {
  bytes: number;
  rawBytes: number;
  ms: number;
}

/** Ours after one change: the delta pull since the device's version. */
async function deltaAfterOneChange(client: Client, since: number): Promise<SyncCost> {
  const reply = await client.send('GET', `/api/sync/pull?since=${since}`, { headers: ACCEPT });
  return { bytes: reply.wireBytes, rawBytes: JSON.stringify(reply.json).length, ms: reply.ms };
}

/** The original polling design after any change: refetch the home and health data (what its screens show). */
async function pollingRefetch(
  client: Client,
  today: string,
  accept: Record<string, string>,
): Promise<SyncCost> {
  const home = await client.send('GET', `/api/home?date=${today}`, { headers: accept });
  const health = await client.send('GET', `/api/health-data?date=${today}`, { headers: accept });
  return {
    bytes: home.wireBytes + health.wireBytes,
    rawBytes: JSON.stringify(home.json).length + JSON.stringify(health.json).length,
    ms: home.ms + health.ms,
  };
}

const benchStart = performance.now();
function phase(what: string): void {
  console.log(`[sync] ${((performance.now() - benchStart) / 1000).toFixed(1)} s: ${what}`);
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Measured {
  records: number;
  poll: PollReport;
  mutation: { p50: number; p99: number; errors: number; load: number };
  ours: SyncCost;
  polling: SyncCost;
  pollingUncompressed: SyncCost;
  snapshot: { br: Reply; gzip: Reply; raw: Reply };
}

function metricsOf(r: Measured): Record<string, Metric> {
  const { poll, mutation, ours, polling, snapshot } = r;
  return {
    history_records: { value: r.records, unit: 'records' },
    check_update_devices: { value: DEVICES, unit: 'devices', target: `each every ${PERIOD_MS / 1000} s` },
    check_update_rate: {
      value: round(poll.requests / (POLL_MS / 1000), 1),
      unit: 'req/s',
      target: `${(DEVICES * 1000) / PERIOD_MS}`,
    },
    check_update_p50: { value: poll.p50Ms, unit: 'ms' },
    check_update_p99: { value: poll.p99Ms, unit: 'ms', target: '< 20' },
    check_update_errors: { value: poll.errors, unit: 'requests', target: '0' },
    mutation_p50: { value: round(mutation.p50), unit: 'ms', target: '< 10' },
    mutation_p99: { value: round(mutation.p99), unit: 'ms' },
    mutation_errors: { value: mutation.errors, unit: 'requests', target: '0' },
    mutation_load_avg_1m: { value: round(mutation.load), unit: 'load' },
    pull_after_one_change_bytes: { value: ours.bytes, unit: 'B', target: '≤ 2048' },
    pull_after_one_change_ms: { value: round(ours.ms), unit: 'ms' },
    polling_refetch_after_one_change_bytes: {
      value: polling.bytes,
      unit: 'B',
      target: 'polling, compressed',
    },
    polling_refetch_uncompressed_bytes: {
      value: r.pollingUncompressed.bytes,
      unit: 'B',
      target: 'original design as shipped',
    },
    polling_refetch_after_one_change_ms: { value: round(polling.ms), unit: 'ms', target: 'original design' },
    polling_vs_ours_bytes_per_change: { value: round(polling.bytes / Math.max(1, ours.bytes), 1), unit: '×' },
    bytes_per_change_all_devices_ours: { value: ours.bytes * (DEVICES - 1), unit: 'B' },
    bytes_per_change_all_devices_polling: {
      value: polling.bytes * (DEVICES - 1),
      unit: 'B',
      target: 'original design',
    },
    full_snapshot_br_bytes: { value: snapshot.br.wireBytes, unit: 'B', target: '≤ 307200' },
    full_snapshot_gzip_bytes: { value: snapshot.gzip.wireBytes, unit: 'B' },
    full_snapshot_uncompressed_bytes: { value: snapshot.raw.wireBytes, unit: 'B' },
    full_snapshot_ms: { value: round(snapshot.br.ms), unit: 'ms' },
  };
}

async function pullSnapshots(client: Client): Promise<Measured['snapshot']> {
  const path = '/api/sync/pull?since=0';
  const br = await client.send('GET', path, { headers: ACCEPT });
  const gzip = await client.send('GET', path, { headers: { 'accept-encoding': 'gzip' } });
  const raw = await client.send('GET', path);
  return { br, gzip, raw };
}

async function poll(
  url: string,
  users: readonly { cookie: string }[],
  clients: Client[],
): Promise<PollReport> {
  const devices: PollDevice[] = [];
  for (let i = 0; i < DEVICES; i += 1) {
    const client = createClient(url, { cookie: users[i % users.length]?.cookie ?? '' }, 8);
    clients.push(client);
    devices.push({ client, deviceId: newDeviceId(Date.now() + i) });
  }
  phase(`polling: ${DEVICES} devices, ${PERIOD_MS / 1000} s to connect, then ${POLL_MS / 1000} s measured`);
  return pollLoad(devices, PERIOD_MS, POLL_MS);
}

async function measure(url: string, db: Db, clients: Client[]): Promise<Measured> {
  const users = [];
  for (let i = 0; i < USERS; i += 1) users.push(await signUp(url, i));
  const owner = users[0] as { cookie: string; userId: string };
  const today = utcDateOf(Date.now());
  const history = await storeHistory(db, owner.userId, buildHistory(today, YEARS));
  phase(`${history.records} records of ${YEARS} years stored at version ${history.version}`);
  const client = createClient(url, { cookie: owner.cookie });
  clients.push(client);
  const snapshot = await pullSnapshots(client);
  const mutation = await mutationLatencies(client, today);
  phase(
    `snapshots pulled, mutations timed (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  // A device that has everything but the last change:
  const ours = await deltaAfterOneChange(client, history.version + MUTATIONS - 1);
  const polling = await pollingRefetch(client, today, ACCEPT);
  const pollingUncompressed = await pollingRefetch(client, today, {});
  const pollReport = await poll(url, users, clients);
  return {
    records: history.records,
    poll: pollReport,
    mutation,
    ours,
    polling,
    pollingUncompressed,
    snapshot,
  };
}

export async function run(): Promise<BenchResult> {
  const app = await startTopology();
  phase('database and app up');
  const mongo = await new MongoClient(app.mongoUri).connect();
  const clients: Client[] = [];
  try {
    const measured = await measure(app.url, mongo.db(app.dbName), clients);
    return { name: 'sync', metrics: metricsOf(measured) };
  } finally {
    for (const client of clients) client.close();
    await mongo.close();
    await app.stop();
  }
}
