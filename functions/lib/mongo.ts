// One cached MongoDB client per container (per process locally). The connection *promise* is cached
// at module scope so concurrent cold invocations share one connect; a failed connect is forgotten so
// the next invocation tries again. Handlers never close it.
import { type Db, MongoClient } from 'mongodb';
import { resolveMongoUri } from './mongo-uri.ts';
import { traceMongoCommands, tracingEnabled } from './tracing.ts';

/** Local runs only: in the cloud every function gets its stage's database name (MONGODB_DB). */
const LOCAL_DB_NAME = 'routine_sync';

/**
 * Pool settings for Lambda. A container runs one invocation at a time, so a pool of 2 (set by the
 * stack in MONGODB_MAX_POOL_SIZE) covers a handler's parallel reads; more connections would not add
 * throughput on ~1/3 vCPU, only count against the cluster's limit. A frozen container's sockets may
 * have been dropped by the network while it slept: maxIdleTimeMS makes the pool discard, at the next
 * checkout, a connection idle for longer than the shortest idle timeout on the way (AWS NAT gateways:
 * 350 s) instead of failing an operation on it first. minPoolSize 0: no connections opened ahead of use.
 */
export const LAMBDA_POOL_OPTIONS = { minPoolSize: 0, maxIdleTimeMS: 300_000 } as const;

let clientPromise: Promise<MongoClient> | undefined;
/** The client behind `clientPromise`, known before it connects so that shutdown can abort a connect. */
let currentClient: MongoClient | undefined;

function connect(): Promise<MongoClient> {
  return resolveMongoUri().then(async (uri) => {
    const client = new MongoClient(uri, {
      ...LAMBDA_POOL_OPTIONS,
      maxPoolSize: Number(process.env.MONGODB_MAX_POOL_SIZE ?? 10),
      serverSelectionTimeoutMS: Number(process.env.MONGODB_SERVER_SELECTION_TIMEOUT_MS ?? 5_000),
      connectTimeoutMS: 5_000,
      retryWrites: true,
      appName: 'routine-sync',
      monitorCommands: tracingEnabled(process.env),
    });
    currentClient = client;
    if (tracingEnabled(process.env)) await traceMongoCommands(client);
    return client.connect();
  });
}

export function getMongoClient(): Promise<MongoClient> {
  if (!clientPromise) {
    clientPromise = connect().catch((err: unknown) => {
      clientPromise = undefined;
      throw err;
    });
  }
  return clientPromise;
}

// `client.db()` builds a new handle each call; handlers call getDb() on every request.
const dbHandles = new WeakMap<MongoClient, Map<string, Db>>();

export async function getDb(): Promise<Db> {
  const client = await getMongoClient();
  const name = databaseName(process.env);
  const handles = dbHandles.get(client) ?? new Map<string, Db>();
  dbHandles.set(client, handles);
  const db = handles.get(name) ?? client.db(name);
  handles.set(name, db);
  return db;
}

/** MONGODB_DB, or the local default; a cloud function (secret ARN set) without it is a broken deployment. */
export function databaseName(env: NodeJS.ProcessEnv): string {
  if (env.MONGODB_DB) return env.MONGODB_DB;
  if (env.MONGODB_SECRET_ARN && !env.MONGODB_URI) {
    throw new Error('MONGODB_DB is not set: the stack sets it per stage (infra/cloud/stack-config.ts)');
  }
  return LOCAL_DB_NAME;
}

/** For tests and the local gateway's shutdown only; a Lambda handler never calls this. */
export async function closeMongoClient(): Promise<void> {
  const pending = clientPromise;
  const client = currentClient;
  clientPromise = undefined;
  currentClient = undefined;
  await client?.close();
  await pending?.catch(() => undefined);
}

let pingInFlight: Promise<boolean> | undefined;

/**
 * True when the database answers a ping within `timeoutMs`. Never throws: health checks must answer
 * quickly while the driver is still waiting out its server-selection timeout. Concurrent callers
 * share one ping, so a burst of health checks costs the database one round trip, not one each.
 */
export function pingDb(timeoutMs = 1_000): Promise<boolean> {
  pingInFlight ??= pingOnce(timeoutMs).finally(() => {
    pingInFlight = undefined;
  });
  return pingInFlight;
}

async function pingOnce(timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((done) => {
    timer = setTimeout(() => done(false), timeoutMs);
  });
  const ping = getDb()
    .then((db) => db.command({ ping: 1 }))
    .then(
      (reply) => reply.ok === 1,
      () => false,
    );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
