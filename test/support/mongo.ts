// An in-memory embedded MongoDB-compatible server on a free port, for tests that need a database.
// Use it through the official driver: `new MongoClient(uri)`; stop it in afterAll.
import { startMongoServer } from '../../infra/local/mongo/index.ts';

export interface TestMongo {
  uri: string;
  stop(): Promise<void>;
}

export async function startTestMongo(): Promise<TestMongo> {
  const server = await startMongoServer({ port: 0, host: '127.0.0.1' });
  return { uri: server.uri, stop: () => server.stop() };
}
