// `npm run bench -- contention`: writes of one account from many devices at once, through the local
// gateway (real HTTP, the functions' 10 s timeout, the embedded database in its own process):
//
//   one account   10 devices push small batches in parallel, as fast as they are answered
//   ten accounts  the same load spread over 10 accounts (no sharing at all): the reference
//   retries       one device sends the same batch 20 times at once (a client retrying), 10 rounds
//   largest       one push of the 1,000 mutations the schema allows
//
// Every scenario checks what landed: each distinct record exactly once (lost, doubled), and every
// answer a 200 (errors: 5xx, 504 timeouts). Ratios compare the one-account and ten-account rates
// measured in this run.
import { loadavg } from 'node:os';
import { addDays, utcDateOf } from '../core/dates.ts';
import { formatHlc } from '../core/hlc.ts';
import { newDeviceId } from '../core/ids.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult, Metric } from './lib/result.ts';
import { signUp } from './lib/sign-up.ts';
import { type Client, createClient } from './sync/http.ts';
import { startTopology } from './sync/topology.ts';

const DEVICES = 10;
const ROUNDS = Number(process.env.BENCH_CONTENTION_ROUNDS ?? 40);
const BATCH = 2;
const RETRY_SENDS = 20;
const RETRY_ROUNDS = 10;
const LARGEST = 1_000;

interface Writer {
  client: Client;
  deviceId: string;
  next: number;
}

interface Outcome {
  latencies: number[];
  errors: number;
  acknowledged: number;
  ms: number;
}

const today = utcDateOf(Date.now());

function envelopes(w: Writer, count: number, dayOffset: (i: number) => number) {
  return Array.from({ length: count }, () => {
    const id = w.next;
    w.next += 1;
    const hlc = formatHlc({ wallMs: Date.now(), counter: id, deviceId: w.deviceId });
    return {
      id,
      name: 'logWeight',
      args: { date: addDays(today, -dayOffset(id)), value: 70, unit: 'kg' },
      hlc,
    };
  });
}

/** Each writer pushes ROUNDS batches of distinct weights, one after the other; all writers at once. */
async function parallelWriters(
  writers: Writer[],
  offsetOf: (w: number, id: number) => number,
): Promise<Outcome> {
  const latencies: number[] = [];
  let errors = 0;
  let acknowledged = 0;
  const started = performance.now();
  await Promise.all(
    writers.map(async (w, index) => {
      for (let round = 0; round < ROUNDS; round += 1) {
        let batch = envelopes(w, BATCH, (id) => offsetOf(index, id));
        while (batch.length > 0) {
          const reply = await w.client.send('POST', '/api/sync/push', {
            body: { deviceId: w.deviceId, mutations: batch },
          });
          latencies.push(reply.ms);
          if (reply.status !== 200) {
            errors += 1;
            continue; // as the client's outbox: send again what was not acknowledged
          }
          const last = (reply.json as { lastMutationId: number }).lastMutationId;
          acknowledged += batch.filter((m) => m.id <= last).length;
          batch = batch.filter((m) => m.id > last);
        }
      }
    }),
  );
  return {
    latencies: latencies.sort((a, b) => a - b),
    errors,
    acknowledged,
    ms: performance.now() - started,
  };
}

async function weightIds(client: Client): Promise<string[]> {
  const reply = await client.send('GET', '/api/sync/pull?since=0&collections=weights');
  const weights = (reply.json as { changes: { weights?: Array<{ id: string }> } }).changes.weights ?? [];
  return weights.map((w) => w.id);
}

function landed(ids: string[], expected: number): { lost: number; doubled: number } {
  return { lost: Math.max(0, expected - new Set(ids).size), doubled: ids.length - new Set(ids).size };
}

async function accounts(url: string, n: number): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i += 1) clients.push(createClient(url, { cookie: await signUp(url, 'contention') }));
  return clients;
}

function summarize(
  prefix: string,
  o: Outcome,
  check: { lost: number; doubled: number },
): Record<string, Metric> {
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    [`${prefix}_push_p50`]: { value: round(percentile(o.latencies, 50)), unit: 'ms' },
    [`${prefix}_push_p99`]: { value: round(percentile(o.latencies, 99)), unit: 'ms', target: '≤ 300' },
    [`${prefix}_errors`]: { value: o.errors, unit: 'responses', target: '= 0' },
    [`${prefix}_mutations_per_s`]: { value: round((o.acknowledged / o.ms) * 1000), unit: 'mutations/s' },
    [`${prefix}_lost`]: { value: check.lost, unit: 'records', target: '= 0' },
    [`${prefix}_doubled`]: { value: check.doubled, unit: 'records', target: '= 0' },
  };
}

async function oneAccount(url: string): Promise<Record<string, Metric>> {
  const [owner] = await accounts(url, 1);
  if (!owner) throw new Error('no account');
  const writers = Array.from({ length: DEVICES }, () => ({
    client: owner,
    deviceId: newDeviceId(),
    next: 1,
  }));
  const outcome = await parallelWriters(writers, (w, id) => w * 1_000 + id);
  return summarize('one_account', outcome, landed(await weightIds(owner), DEVICES * ROUNDS * BATCH));
}

async function tenAccounts(url: string): Promise<Record<string, Metric>> {
  const clients = await accounts(url, DEVICES);
  const writers = clients.map((client) => ({ client, deviceId: newDeviceId(), next: 1 }));
  const outcome = await parallelWriters(writers, (_, id) => id);
  const ids = (await Promise.all(clients.map(weightIds))).map((list) => landed(list, ROUNDS * BATCH));
  const check = {
    lost: ids.reduce((n, c) => n + c.lost, 0),
    doubled: ids.reduce((n, c) => n + c.doubled, 0),
  };
  return summarize('ten_accounts', outcome, check);
}

/** The same batch sent RETRY_SENDS times at once: every answer 200, each mutation applied once. */
async function retries(url: string): Promise<Record<string, Metric>> {
  const [client] = await accounts(url, 1);
  if (!client) throw new Error('no account');
  const writer = { client, deviceId: newDeviceId(), next: 1 };
  const latencies: number[] = [];
  let errors = 0;
  let applied = 0;
  const started = performance.now();
  for (let round = 0; round < RETRY_ROUNDS; round += 1) {
    const batch = envelopes(writer, 5, (id) => id);
    const replies = await Promise.all(
      Array.from({ length: RETRY_SENDS }, () =>
        client.send('POST', '/api/sync/push', { body: { deviceId: writer.deviceId, mutations: batch } }),
      ),
    );
    for (const reply of replies) {
      latencies.push(reply.ms);
      if (reply.status !== 200) errors += 1;
      else
        applied += (reply.json as { results: Array<{ status: string }> }).results.filter(
          (r) => r.status === 'applied',
        ).length;
    }
  }
  const outcome = {
    latencies: latencies.sort((a, b) => a - b),
    errors,
    acknowledged: applied,
    ms: performance.now() - started,
  };
  const expected = RETRY_ROUNDS * 5;
  const check = landed(await weightIds(client), expected);
  return {
    ...summarize('retries', outcome, check),
    retries_applied: { value: applied, unit: 'mutations', target: `= ${expected}` },
  };
}

async function largest(url: string): Promise<Record<string, Metric>> {
  const [client] = await accounts(url, 1);
  if (!client) throw new Error('no account');
  const writer = { client, deviceId: newDeviceId(), next: 1 };
  const batch = envelopes(writer, LARGEST, (id) => id % 700);
  const reply = await client.send('POST', '/api/sync/push', {
    body: { deviceId: writer.deviceId, mutations: batch },
  });
  return {
    largest_push_ms: { value: Math.round(reply.ms), unit: 'ms', target: '≤ 2000' },
    largest_push_status: { value: reply.status, unit: 'HTTP', target: '= 200' },
  };
}

export async function run(): Promise<BenchResult> {
  const loadBefore = loadavg()[0] ?? 0;
  const app = await startTopology();
  try {
    const one = await oneAccount(app.url);
    const ten = await tenAccounts(app.url);
    const metrics: Record<string, Metric> = {
      ...one,
      ...ten,
      ...(await retries(app.url)),
      ...(await largest(app.url)),
    };
    const ratio =
      (one.one_account_mutations_per_s?.value ?? 0) / (ten.ten_accounts_mutations_per_s?.value || 1);
    metrics.one_vs_ten_accounts_rate = { value: Math.round(ratio * 100) / 100, unit: '×' };
    metrics.load_before = { value: Math.round(loadBefore * 10) / 10, unit: 'load' };
    metrics.load_after = { value: Math.round((loadavg()[0] ?? 0) * 10) / 10, unit: 'load' };
    return { name: 'contention', metrics };
  } finally {
    await app.stop();
  }
}
