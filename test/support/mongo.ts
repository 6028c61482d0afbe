// The embedded MongoDB-compatible server for tests, reached through the official driver.
//
//   startTestMongo()  a server on a free port: `new MongoClient(uri)`; stop it yourself
//   startAppDb()      a server plus a fresh database wired the way the handlers find it
//                     (MONGODB_URI / MONGODB_DB → getDb()), with every index the app installs
//   useTestMongo()    startAppDb() for a whole test file: started in beforeAll, stopped in afterAll
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { ensureIndexes } from '../../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../../functions/lib/mongo.ts';
import { startMongoServer } from '../../infra/local/mongo/index.ts';

export interface TestMongo {
  uri: string;
  stop(): Promise<void>;
}

export async function startTestMongo(): Promise<TestMongo> {
  const server = await startMongoServer({ port: 0, host: '127.0.0.1' });
  return { uri: server.uri, stop: () => server.stop() };
}

export interface AppDb {
  db: Db;
  uri: string;
  stop(): Promise<void>;
}

export async function startAppDb(): Promise<AppDb> {
  const mongo = await startTestMongo();
  process.env.MONGODB_URI = mongo.uri;
  process.env.MONGODB_DB = `test_${randomUUID().slice(0, 8)}`;
  const db = await getDb();
  await ensureIndexes(db);
  return {
    db,
    uri: mongo.uri,
    async stop() {
      await closeMongoClient();
      await mongo.stop();
    },
  };
}

/** The file's database; reading it before the file's beforeAll hooks ran throws. */
export function useTestMongo(): Pick<AppDb, 'db' | 'uri'> {
  let current: AppDb | undefined;
  beforeAll(async () => {
    current = await startAppDb();
  });
  afterAll(async () => {
    await current?.stop();
  });
  const started = () => {
    if (!current) throw new Error('useTestMongo(): the database starts in beforeAll');
    return current;
  };
  return {
    get db() {
      return started().db;
    },
    get uri() {
      return started().uri;
    },
  };
}
