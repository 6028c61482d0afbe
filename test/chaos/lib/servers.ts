// The server side of a chaos run, each in its own process so it can crash for real:
//
//   database  embedded MongoDB on a durable dbPath: SIGKILLed and restarted on the same port/files
//   gateway   the local gateway with every handler: killed (SIGKILL or SIGTERM) and restarted; with
//             `containers`, on the container runtime, idle containers reaped after 15 s, and the
//             WebSocket path's functions provisioned, one container per device (at most 4) each
//
// Why provisioned: the containers are the gateway's children, so a restart here makes every function
// cold at once, which no API Gateway incident does to Lambda. Each socket then waits for three cold
// starts in a row (ticket, authorizer, $connect) while every device reconnects, and comes back only
// after most of a short run. A deployment that needs sockets back within a second provisions those
// functions with provisioned concurrency; the stack provisions none (docs/architecture.md).
//
// Both keep their port across restarts, so clients (through the proxy) and the gateway's cached
// driver client find them again exactly as they would find a restarted server in production.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../infra/local/start-process.ts';
import { TRANSACTION_LIFETIME_LIMIT_SECONDS } from '../../../infra/transaction-lifetime.ts';
import { type Child, spawnChild } from './child.ts';

export const CHAOS_DB_NAME = 'chaos';

export interface ChaosServers {
  mongoUri: string;
  gatewayUrl: string;
  killDatabase(): Promise<void>;
  startDatabase(): Promise<void>;
  restartGateway(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Whether the functions run on the container runtime. */
  containers: boolean;
  /** The gateway's process (the containers' parent), while it runs. */
  gatewayPid(): number | undefined;
  stop(): Promise<void>;
}

const DATABASE_START_MS = 180_000;

/** Container mode: idle containers are reaped this soon, so a run sees many cold starts. */
const CHAOS_CONTAINER_IDLE_MS = 15_000;

/** Provisioned containers per WebSocket-path function: one per device, bounded (init costs CPU). */
const MAX_PROVISIONED = 4;

export async function startChaosServers(opts: {
  brokenPush: boolean;
  /** How many devices will hold sockets (container mode provisions for them). */
  devices?: number;
  /** Default: LOCAL_RUNTIME=containers in this process's environment (npm run test:containers:e2e). */
  containers?: boolean;
}): Promise<ChaosServers> {
  const containers = opts.containers ?? process.env.LOCAL_RUNTIME === 'containers';
  const dataDir = await mkdtemp(join(tmpdir(), 'chaos-'));
  const dbPort = await freePort();
  const gatewayPort = await freePort();
  const mongoUri = `mongodb://127.0.0.1:${dbPort}/?directConnection=true`;
  let database: Child | undefined;
  let gateway: Child | undefined;

  const startDatabase = async () => {
    database = await spawnChild(
      'infra/local/mongo/cli.ts',
      [
        '--port',
        String(dbPort),
        '--dbpath',
        join(dataDir, 'db'),
        '--quiet',
        // As `npm start` and the recommended Atlas setting: a gateway killed mid-transaction holds
        // a user's writes this long, not MongoDB's default minute.
        '--setParameter',
        `transactionLifetimeLimitSeconds=${TRANSACTION_LIFETIME_LIMIT_SECONDS}`,
      ],
      {},
      /^mongodb:\/\//,
      // A restart after a SIGKILL recovers the journal of the whole run so far: minutes of writes in
      // a long run, on a machine the run itself keeps busy.
      DATABASE_START_MS,
    );
  };
  const startGateway = async () => {
    gateway = await spawnChild(
      'test/chaos/lib/gateway-main.ts',
      [],
      {
        PORT: String(gatewayPort),
        MONGODB_URI: mongoUri,
        MONGODB_DB: CHAOS_DB_NAME,
        // Fail fast while the database is down: the handlers answer 503 and clients retry.
        MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1500',
        CHAOS_BROKEN_PUSH: opts.brokenPush ? '1' : '0',
        ...(containers
          ? {
              LOCAL_RUNTIME: 'containers',
              CONTAINER_IDLE_MS: String(CHAOS_CONTAINER_IDLE_MS),
              CHAOS_PROVISIONED: String(Math.min(opts.devices ?? 1, MAX_PROVISIONED)),
            }
          : {}),
      },
      /^gateway http/,
      // The first start in container mode synthesizes the stack and bundles the functions.
      containers ? 240_000 : 60_000,
    );
  };
  try {
    await startDatabase();
    await startGateway();
  } catch (err) {
    await gateway?.kill('SIGKILL');
    await database?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    mongoUri,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    async killDatabase() {
      await database?.kill('SIGKILL');
      database = undefined;
    },
    startDatabase,
    containers,
    gatewayPid: () => gateway?.pid,
    async restartGateway(signal) {
      await gateway?.kill(signal);
      gateway = undefined;
      await startGateway();
    },
    async stop() {
      await gateway?.kill('SIGTERM');
      await database?.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
