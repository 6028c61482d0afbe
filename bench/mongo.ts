// Embedded MongoDB server: durable insert throughput (1 and 32 clients), findOne-by-_id latency in
// a 100,000-document collection, and memory per byte of BSON data. The server runs in its own
// process (as `npm run db` does), started with --expose-gc so its memory figures follow a full GC;
// the insert rates are also measured with the server in the benchmark's process (as `npm start`
// and the tests run it).
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { calculateObjectSize } from 'bson';
import { type Document, MongoClient } from 'mongodb';
import { startMongoServer } from '../infra/local/mongo/index.ts';
import type { BenchResult } from './lib/result.ts';

const cli = resolve(import.meta.dirname, '../infra/local/mongo/cli.ts');
const DOCS = 100_000;

async function startServer(dbPath: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', cli, '--port', '0', '--dbpath', dbPath, '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const uri = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  return { child, uri };
}

function task(i: number): Document {
  return {
    userId: `user-${i % 100}`,
    id: `0190f3c2-${String(i).padStart(8, '0')}-7000-8000-000000000000`,
    title: `Task number ${i}`,
    schedule: { kind: 'weekly', days: [1, 3, 5] },
    hlc: `${1_700_000_000_000 + i}:0000:device-a`,
    _v: i,
  };
}

interface Rate {
  opsPerSecond: number;
  /** Median latency of one insert: the rate without the stalls a busy shared machine adds. */
  medianMs: number;
}

async function insertRate(
  client: MongoClient,
  collection: string,
  concurrency: number,
  ms: number,
): Promise<Rate> {
  const coll = client.db('bench').collection(collection);
  const latencies: number[] = [];
  const until = Date.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; Date.now() < until; i++) {
        const start = performance.now();
        await coll.insertOne(task(worker * 1_000_000 + i));
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    opsPerSecond: Math.round(latencies.length / ((performance.now() - started) / 1000)),
    medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0,
  };
}

interface Memory {
  /** JS heap plus Buffers/ArrayBuffers: what the stored data costs. */
  data: number;
  /** Resident set size: what the process costs the machine. */
  resident: number;
}

async function serverMemory(client: MongoClient): Promise<Memory> {
  const status = await client.db('admin').command({ serverStatus: 1 });
  const mem = status.mem as { heapUsedBytes: number; arrayBuffersBytes: number; residentBytes: number };
  return { data: mem.heapUsedBytes + mem.arrayBuffersBytes, resident: mem.residentBytes };
}

async function findLatencies(client: MongoClient, ids: unknown[], samples: number): Promise<number[]> {
  const coll = client.db('bench').collection('big');
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const id = ids[Math.floor(Math.random() * ids.length)];
    const start = performance.now();
    await coll.findOne({ _id: id as never });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/**
 * The disk's own append + fdatasync latency in the data directory: one durable insert from one
 * client cannot be faster, so this puts the insert rates in context on a busy machine.
 */
function fsyncMedianMs(dir: string): number {
  const fd = openSync(join(dir, 'fsync-probe'), 'a');
  const record = Buffer.alloc(200, 1);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    writeSync(fd, record);
    fdatasyncSync(fd);
    times.push(performance.now() - start);
  }
  closeSync(fd);
  return times.sort((a, b) => a - b)[100]!;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** The same durable inserts with the server in this process, as `npm start` and the tests run it. */
async function inProcessRates(dir: string): Promise<{ single: Rate; many: Rate }> {
  const server = await startMongoServer({ port: 0, dbPath: join(dir, 'in-process') });
  const client = await new MongoClient(server.uri, { maxPoolSize: 32 }).connect();
  try {
    return {
      single: await insertRate(client, 'single', 1, 3_000),
      many: await insertRate(client, 'many', 32, 3_000),
    };
  } finally {
    await client.close();
    await server.stop();
  }
}

export async function run(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'mongo-bench-'));
  const inProcess = await inProcessRates(dir);
  const { child, uri } = await startServer(join(dir, 'child'));
  const client = await new MongoClient(uri, { maxPoolSize: 32 }).connect();
  try {
    const fsyncMs = fsyncMedianMs(dir);
    const single = await insertRate(client, 'single', 1, 3_000);
    const many = await insertRate(client, 'many', 32, 3_000);
    await client.db('bench').collection('single').drop();
    await client.db('bench').collection('many').drop();

    const before = await serverMemory(client);
    const big = client.db('bench').collection('big');
    let bsonBytes = 0;
    const ids: unknown[] = [];
    for (let start = 0; start < DOCS; start += 1_000) {
      const batch = Array.from({ length: 1_000 }, (_, i) => task(start + i));
      await big.insertMany(batch);
      for (const doc of batch) {
        bsonBytes += calculateObjectSize(doc);
        ids.push(doc._id);
      }
    }
    const after = await serverMemory(client);
    await findLatencies(client, ids, 500);
    const latencies = await findLatencies(client, ids, 5_000);
    return {
      name: 'mongo',
      metrics: {
        diskFdatasyncMedian: { value: round(fsyncMs), unit: 'ms' },
        insertOneDurable1Client: { value: single.opsPerSecond, unit: 'ops/s', target: '≥ 1500' },
        insertOneDurable1ClientMedianLatency: {
          value: round(single.medianMs),
          unit: 'ms',
          target: '≤ 0.667',
        },
        insertOneDurable32Clients: { value: many.opsPerSecond, unit: 'ops/s', target: '≥ 5000' },
        insertOneDurable1ClientInProcess: {
          value: inProcess.single.opsPerSecond,
          unit: 'ops/s',
          target: '≥ 1500',
        },
        insertOneDurable1ClientInProcessMedianLatency: {
          value: round(inProcess.single.medianMs),
          unit: 'ms',
          target: '≤ 0.667',
        },
        insertOneDurable32ClientsInProcess: {
          value: inProcess.many.opsPerSecond,
          unit: 'ops/s',
          target: '≥ 5000',
        },
        findOneByIdMedian100k: {
          value: round(latencies[Math.floor(latencies.length / 2)]!),
          unit: 'ms',
          target: '≤ 0.5',
        },
        findOneByIdP99100k: { value: round(latencies[Math.floor(latencies.length * 0.99)]!), unit: 'ms' },
        heapPerDataByte: {
          value: round((after.data - before.data) / bsonBytes, 2),
          unit: '× BSON size',
          target: '≤ 3',
        },
        residentPerDataByte: {
          value: round((after.resident - before.resident) / bsonBytes, 2),
          unit: '× BSON size',
          target: '≤ 3',
        },
        dataBsonBytes: { value: bsonBytes, unit: 'bytes' },
      },
    };
  } finally {
    await client.close();
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    await rm(dir, { recursive: true, force: true });
  }
}
