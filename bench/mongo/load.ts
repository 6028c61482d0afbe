// Load generation for bench/mongo.ts: durable `insertOne` loops through the official driver, run
// either in the benchmark's process or spread over worker processes. The driver costs about as
// much CPU per insert as the server does (measured: ≈ 140 µs vs ≈ 100 µs with 32 clients), so a
// single driver process saturates one core before the server does; to measure the server, 32
// clients are spread over two worker processes (this file, forked with `--load-worker`).
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Document, MongoClient } from 'mongodb';

const WORKER_FLAG = '--load-worker';

export function task(i: number): Document {
  return {
    userId: `user-${i % 100}`,
    id: `0190f3c2-${String(i).padStart(8, '0')}-7000-8000-000000000000`,
    title: `Task number ${i}`,
    schedule: { kind: 'weekly', days: [1, 3, 5] },
    hlc: `${1_700_000_000_000 + i}:0000:device-a`,
    _v: i,
  };
}

export interface Rate {
  opsPerSecond: number;
  /** Median latency of one insert: the rate without the stalls a busy shared machine adds. */
  medianMs: number;
}

interface Counted {
  ops: number;
  elapsedMs: number;
  latencies: number[];
}

/** `concurrency` clients each inserting one document at a time for `ms` milliseconds. */
async function insertLoop(
  client: MongoClient,
  collection: string,
  concurrency: number,
  ms: number,
  seed: number,
) {
  const coll = client.db('bench').collection(collection);
  const latencies: number[] = [];
  const until = Date.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; Date.now() < until; i++) {
        const start = performance.now();
        await coll.insertOne(task(seed + worker * 1_000_000 + i));
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { ops: latencies.length, elapsedMs: performance.now() - started, latencies } satisfies Counted;
}

function toRate(counted: Counted[]): Rate {
  const ops = counted.reduce((sum, c) => sum + c.ops, 0);
  const elapsedMs = Math.max(...counted.map((c) => c.elapsedMs));
  const latencies = counted.flatMap((c) => c.latencies).sort((a, b) => a - b);
  return {
    opsPerSecond: Math.round(ops / (elapsedMs / 1000)),
    medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
  };
}

let seeds = 0;

/** Inserts from this process (one driver, `concurrency` pooled connections). */
export async function insertRate(client: MongoClient, collection: string, concurrency: number, ms: number) {
  return toRate([await insertLoop(client, collection, concurrency, ms, ++seeds * 100_000_000)]);
}

type ToWorker = { round: number; collection: string; ms: number } | { exit: true };
type FromWorker = { ready: true } | ({ round: number } & Counted);

export interface LoadWorkers {
  /** One round: every worker starts together and inserts for `ms`; the rate is their sum. */
  round(collection: string, ms: number): Promise<Rate>;
  close(): Promise<void>;
}

/** `processes` forked drivers with `clientsPerProcess` concurrent clients (connections) each. */
export async function startLoadWorkers(uri: string, processes: number, clientsPerProcess: number) {
  const file = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = Array.from({ length: processes }, (_, index) =>
    fork(file, [WORKER_FLAG, uri, String(clientsPerProcess), String(index + 1)], {
      execArgv: ['--import', 'tsx'],
    }),
  );
  await Promise.all(children.map((child) => nextMessage(child)));
  let rounds = 0;
  const workers: LoadWorkers = {
    async round(collection, ms) {
      const round = ++rounds;
      const replies = children.map((child) => nextMessage(child));
      for (const child of children) child.send({ round, collection, ms } satisfies ToWorker);
      return toRate((await Promise.all(replies)) as Counted[]);
    },
    async close() {
      const exits = children.map((child) => new Promise((done) => child.once('exit', done)));
      for (const child of children) child.send({ exit: true } satisfies ToWorker);
      await Promise.all(exits);
    },
  };
  return workers;
}

function nextMessage(child: ChildProcess): Promise<FromWorker> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`load worker exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as FromWorker);
    });
  });
}

async function workerMain(uri: string, clients: number, index: number): Promise<void> {
  const client = await new MongoClient(uri, { maxPoolSize: clients }).connect();
  // Open every pooled connection before the first measured round.
  await insertLoop(client, 'warmup', clients, 300, index * 1_000_000_000);
  process.send?.({ ready: true } satisfies FromWorker);
  // A benchmark that dies must not leave its load running.
  process.once('disconnect', () => process.exit(0));
  process.on('message', (message: ToWorker) => {
    if ('exit' in message) {
      void client.close().then(() => process.exit(0));
      return;
    }
    const seed = index * 1_000_000_000 + message.round * 10_000_000;
    void insertLoop(client, message.collection, clients, message.ms, seed).then((counted) =>
      process.send?.({ round: message.round, ...counted } satisfies FromWorker),
    );
  });
}

if (process.argv[2] === WORKER_FLAG) {
  await workerMain(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
}
