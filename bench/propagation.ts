// `npm run bench -- propagation`: propagation latency and bytes per sync against history size, push
// (ours) beside the original polling design (docs/rules.md), measured in the same run on the same data:
//
//   stream device A writes (per-mutation endpoint) → B's WebSocket poke carries the record, and B
//          stands at its fromVersion; latency = A's request sent → the poke is in; bytes = the poke
//   push   the same writes, as the poke-then-pull design: B pulls the delta since its version after
//          the poke; latency = A's request sent → B has the change; bytes = the pull's body on
//          the wire (the poke itself, ~60 B over an open socket without records, is not counted)
//   polling B polls check-update every 5 s; on needsUpdate it refetches home + health data and
//          marks itself synced; latency = A's request sent → the refetch done; bytes = the refetch's
//          bodies (its check-update polls, every 5 s whatever happens, are not counted either)
//
// History sizes: 0, 1, 3 and 10 years of one user's data (bench/sync/history.ts). Processes as in
// the sync benchmark: database, app (`npm start`), and the devices here.
import { MongoClient } from 'mongodb';
import { utcDateOf } from '../core/dates.ts';
import { newDeviceId } from '../core/ids.ts';
import { device, openSocket, signUp, wsTicket } from '../test/realtime/stack.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult, Metric } from './lib/result.ts';
import { startPollingDevice } from './propagation/polling-device.ts';
import { buildHistory, storeHistory } from './sync/history.ts';
import { type Client, createClient } from './sync/http.ts';
import { startTopology } from './sync/topology.ts';

const YEARS = [0, 1, 3, 10];
const PUSH_SAMPLES = Number(process.env.BENCH_PROPAGATION_PUSH_SAMPLES ?? 30);
/**
 * Untimed rounds before the samples (one write per size each): the first writes are otherwise also
 * the first calls of the mutation function and the poke path in this app (module import, SDK client,
 * sockets) — a cold start, which bench/cold-start.ts measures on its own. A warm Lambda container
 * serves many requests.
 */
const PUSH_WARM_UP = 10;
const POLL_SAMPLES = Number(process.env.BENCH_PROPAGATION_POLL_SAMPLES ?? 6);
const POLL_MS = 5_000;
/** BENCH_PROPAGATION_POLLING=0: leave the (slow, 5 s a sample) polling design out of a quick run. */
const SKIP_POLLING = process.env.BENCH_PROPAGATION_POLLING === '0';
const ACCEPT = { 'accept-encoding': 'br, gzip' };

type Writer = ReturnType<typeof device>;
interface Sample {
  ms: number;
  bytes: number;
}
interface Poked {
  version?: number;
  stream?: { fromVersion: number; toVersion: number };
}
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A lost poke or a stuck poller must fail the benchmark, not hang `npm run bench`. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function currentVersion(client: Client, deviceId: string): Promise<number> {
  const reply = await client.send('GET', `/api/sync/check-update?deviceId=${deviceId}`);
  return (reply.json as { version: number }).version;
}

interface PushSampler {
  /** One write (i < 0: untimed warm-up) and B's reception of it. */
  step(i: number): Promise<void>;
  samples(): { pulled: Sample[]; streamed: Sample[] };
  close(): Promise<void>;
}

/**
 * Each write: from A's request until B has the change from the poke's records (`streamed`, when the
 * poke carried them and continued from B's version), and until B, woken by the poke, has pulled the
 * delta (`pulled`), in the same run from the same writes.
 */
async function openPushSampler(
  url: string,
  cookie: string,
  writer: Writer,
  today: string,
): Promise<PushSampler> {
  const reader = createClient(url, { cookie });
  const deviceId = newDeviceId();
  let version = await currentVersion(reader, deviceId);
  const socket = await openSocket(
    `${url.replace(/^http/, 'ws')}/ws?ticket=${await wsTicket(url, cookie, deviceId)}`,
  );
  const pulled: Sample[] = [];
  const streamed: Sample[] = [];
  return {
    async step(i) {
      const sent = performance.now();
      const value = 70 + ((i + PUSH_WARM_UP) % 50) / 10;
      const write = writer.mutate('PUT', `/api/weights/${today}`, { value, unit: 'kg' });
      const nextPoke = () => within(15_000, 'poke', socket.next()) as Promise<Poked>;
      let poke = await nextPoke();
      while ((poke.version ?? 0) <= version) poke = await nextPoke();
      const poked = performance.now();
      if (i >= 0 && poke.stream?.fromVersion === version) {
        streamed.push({ ms: poked - sent, bytes: Buffer.byteLength(JSON.stringify(poke)) });
      }
      const pull = await reader.send('GET', `/api/sync/pull?since=${version}`, { headers: ACCEPT });
      if (i >= 0) pulled.push({ ms: performance.now() - sent, bytes: pull.wireBytes });
      version = (pull.json as { version: number }).version;
      await write;
      await sleep(20 + Math.random() * 30);
    },
    samples: () => ({ pulled, streamed }),
    async close() {
      await socket.close();
      reader.close();
    },
  };
}

/** Each write at a random phase of the polling device's 5 s timer: from A's request until B's refetch is done. */
async function pollingSamples(url: string, cookie: string, writer: Writer, today: string): Promise<Sample[]> {
  const reader = createClient(url, { cookie });
  const poller = startPollingDevice(reader, newDeviceId(), today, POLL_MS);
  const samples: Sample[] = [];
  try {
    await sleep(POLL_MS + 500); // registered and synced once
    for (let i = 0; i < POLL_SAMPLES; i += 1) {
      await sleep(Math.random() * POLL_MS);
      const sent = performance.now();
      await writer.mutate('PUT', `/api/weights/${today}`, { value: 80 + (i % 50) / 10, unit: 'kg' });
      const refetch = await within(60_000, 'polling refetch', poller.refetchAfter(sent));
      samples.push({ ms: refetch.doneAt - sent, bytes: refetch.bytes });
    }
  } finally {
    poller.stop();
    await sleep(POLL_MS); // let its last tick finish before the client closes
    reader.close();
  }
  return samples;
}

const round = (n: number) => Math.round(n * 10) / 10;
const TARGETS: Record<string, { p50: string; p99: string } | undefined> = {
  stream: { p50: '≤ 15', p99: '≤ 50' },
  push: { p50: '≤ 50', p99: '≤ 200' },
};
function summarize(prefix: string, years: number, samples: Sample[]): Record<string, Metric> {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const bytes = samples.map((s) => s.bytes).sort((a, b) => a - b);
  const targets = TARGETS[prefix];
  return {
    [`${prefix}_propagation_p50_y${years}`]: {
      value: round(percentile(ms, 50)),
      unit: 'ms',
      ...(targets ? { target: targets.p50 } : {}),
    },
    [`${prefix}_propagation_p99_y${years}`]: {
      value: round(percentile(ms, 99)),
      unit: 'ms',
      ...(targets ? { target: targets.p99 } : {}),
    },
    [`${prefix}_bytes_per_sync_y${years}`]: {
      value: percentile(bytes, 50),
      unit: 'B',
      ...(targets ? { target: '≤ 2048' } : {}),
    },
    [`${prefix}_samples_y${years}`]: { value: samples.length, unit: 'syncs' },
  };
}

export async function run(): Promise<BenchResult> {
  const app = await startTopology();
  const mongo = await new MongoClient(app.mongoUri).connect();
  const metrics: Record<string, Metric> = {};
  try {
    const today = utcDateOf(Date.now());
    const sizes = [];
    for (const years of YEARS) {
      const user = await signUp(app.url);
      const history = years
        ? await storeHistory(mongo.db(app.dbName), user.userId, buildHistory(today, years))
        : { records: 0 };
      const writer = device(app.url, user.cookie);
      sizes.push({
        years,
        user,
        history,
        writer,
        push: await openPushSampler(app.url, user.cookie, writer, today),
      });
    }
    // The sizes take turns, one write each: every size is measured on the same warm app. Measured
    // one after the other, the first size also paid the app's warm-up (V8 still optimising the
    // write and poke paths), and an empty history read slower than ten years.
    try {
      for (let i = -PUSH_WARM_UP; i < PUSH_SAMPLES; i += 1) {
        for (const size of sizes) await size.push.step(i);
      }
    } finally {
      for (const size of sizes) await size.push.close();
    }
    for (const { years, user, history, writer, push } of sizes) {
      const { pulled, streamed } = push.samples();
      const polled = SKIP_POLLING ? [] : await pollingSamples(app.url, user.cookie, writer, today);
      Object.assign(
        metrics,
        { [`history_records_y${years}`]: { value: history.records, unit: 'records' } },
        summarize('stream', years, streamed),
        summarize('push', years, pulled),
        polled.length ? summarize('polling', years, polled) : {},
      );
      console.log(`[propagation] ${years} y (${history.records} records) done`);
    }
    return { name: 'propagation', metrics };
  } finally {
    await mongo.close();
    await app.stop();
  }
}
