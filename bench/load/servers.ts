// The processes of the load benchmark, as a deployment would have them: the embedded database in its
// own process on a durable data directory (journaled, so its insert rate is the durable one), the app
// (bench/load/app-main.ts: gateway, functions, WebSocket API) in another, the devices in this one.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { freePort } from '../../infra/local/start-process.ts';
import { TRANSACTION_LIFETIME_LIMIT_SECONDS } from '../../infra/transaction-lifetime.ts';
import { spawnChild } from '../../test/chaos/lib/child.ts';
import { stopChild } from '../sync/topology.ts';
import type { AppMessage, ProcessMemory } from './app-messages.ts';

export const LOAD_DB_NAME = 'bench_load';

export interface LoadServers {
  url: string;
  mongoUri: string;
  /** The app process after a full GC, and the database's own figures (serverStatus). */
  memory(): Promise<{ app: ProcessMemory; db: { rss: number; heapUsed: number } }>;
  stop(): Promise<void>;
}

function nextMessage<T extends AppMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<AppMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`app process exited (${code})`));
    const onMessage = (message: AppMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<AppMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function startLoadServers(): Promise<LoadServers> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-load-'));
  const port = await freePort();
  const mongoUri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  const lifetime = `transactionLifetimeLimitSeconds=${TRANSACTION_LIFETIME_LIMIT_SECONDS}`;
  const db = await spawnChild(
    'infra/local/mongo/cli.ts',
    ['--port', String(port), '--dbpath', join(dataDir, 'db'), '--quiet', '--setParameter', lifetime],
    {},
    /^mongodb:\/\//,
  );
  const app = fork(fileURLToPath(new URL('./app-main.ts', import.meta.url)), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, MONGODB_URI: mongoUri, MONGODB_DB: LOAD_DB_NAME, LOCAL_RUNTIME: 'in-process' },
    // Its stdout is the functions' one log line per invocation (CloudWatch's part in the cloud): written
    // and discarded, so it costs what logging costs without flooding the benchmark's output.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const stop = async () => {
    await stopChild(app);
    await db.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  };
  let url: string;
  try {
    url = (await nextMessage(app, 'ready')).url;
  } catch (err) {
    await stop();
    throw err;
  }
  const admin = await new MongoClient(mongoUri).connect();
  return {
    url,
    mongoUri,
    async memory() {
      const reply = nextMessage(app, 'memory');
      app.send({ type: 'memory' });
      const status = await admin.db('admin').command({ serverStatus: 1 });
      const mem = status.mem as { heapUsedBytes: number; residentBytes: number };
      return { app: (await reply).memory, db: { rss: mem.residentBytes, heapUsed: mem.heapUsedBytes } };
    },
    async stop() {
      await admin.close();
      await stop();
    },
  };
}
