// The embedded MongoDB-compatible server for tests, reached through the official driver.
//
//   startTestMongo()  a server on a free port: `new MongoClient(uri)`; stop it yourself
//   startAppDb()      a server plus a fresh database wired the way the handlers find it
//                     (MONGODB_URI / MONGODB_DB → getDb()), with every index the app installs
//   useTestServer()   startTestMongo() for a whole test file: started in beforeAll, stopped in afterAll
//   useTestClient(n)  the same with a connected client and its database `n`
//   useTestMongo()    startAppDb() for a whole test file
import { randomUUID } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';
import { ensureIndexes } from '../../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../../functions/lib/mongo.ts';
import { startMongoServer } from '../../infra/local/mongo/index.ts';
import { type Started, useStarted } from './use-started.ts';

export interface TestMongo {
  uri: string;
  stop(): Promise<void>;
}

export async function startTestMongo(): Promise<TestMongo> {
  const server = await startMongoServer({ port: 0, host: '127.0.0.1' });
  return { uri: server.uri, stop: () => server.stop() };
}

/** The file's server; reading it before the file's beforeAll hooks ran throws. */
export function useTestServer(): Started<TestMongo> {
  return useStarted('useTestServer()', startTestMongo);
}

export interface TestClient extends TestMongo {
  port: number;
  client: MongoClient;
  /** The client's database named by `useTestClient(name)`. */
  db: Db;
}

/** The file's server and a client connected to it; reading them before beforeAll ran throws. */
export function useTestClient(dbName = 'test'): Started<TestClient> {
  return useStarted('useTestClient()', async () => {
    const mongo = await startTestMongo();
    const client = await new MongoClient(mongo.uri).connect();
    return {
      uri: mongo.uri,
      port: Number(new URL(mongo.uri).port),
      client,
      db: client.db(dbName),
      async stop() {
        await client.close();
        await mongo.stop();
      },
    };
  });
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
export function useTestMongo(): Started<AppDb> {
  return useStarted('useTestMongo()', startAppDb);
}
