// One cached MongoDB client per container (per process locally). The connection *promise* is cached
// at module scope so concurrent cold invocations share one connect; a failed connect is forgotten so
// the next invocation tries again. Handlers never close it.
import { type Db, MongoClient } from 'mongodb';
import { resolveMongoUri } from './mongo-uri.ts';

const DEFAULT_DB_NAME = 'routine_sync';

let clientPromise: Promise<MongoClient> | undefined;

function connect(): Promise<MongoClient> {
  return resolveMongoUri().then((uri) => {
    const client = new MongoClient(uri, {
      maxPoolSize: Number(process.env.MONGODB_MAX_POOL_SIZE ?? 10),
      minPoolSize: 0,
      serverSelectionTimeoutMS: Number(process.env.MONGODB_SERVER_SELECTION_TIMEOUT_MS ?? 5_000),
      connectTimeoutMS: 5_000,
      retryWrites: true,
      appName: 'routine-sync',
    });
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

export async function getDb(): Promise<Db> {
  const client = await getMongoClient();
  return client.db(process.env.MONGODB_DB ?? DEFAULT_DB_NAME);
}

/** For tests and the local gateway's shutdown only; a Lambda handler never calls this. */
export async function closeMongoClient(): Promise<void> {
  const pending = clientPromise;
  clientPromise = undefined;
  if (pending) await (await pending.catch(() => undefined))?.close();
}

/**
 * True when the database answers a ping within `timeoutMs`. Never throws: health checks must answer
 * quickly while the driver is still waiting out its server-selection timeout.
 */
export async function pingDb(timeoutMs = 1_000): Promise<boolean> {
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
