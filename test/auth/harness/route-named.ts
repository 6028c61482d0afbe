// One embedded MongoDB server per test file, reached through the real driver and the app's own
// cached client (getDb), with every index the app installs.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { ensureIndexes } from '../../../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../../../functions/lib/mongo.ts';
import { type HttpRoute, httpRoutes } from '../../../infra/routes.ts';
import { startTestMongo } from '../../support/mongo.ts';

export interface AuthTestDb {
  db: Db;
  uri: string;
  stop(): Promise<void>;
}

export async function startAuthTestDb(): Promise<AuthTestDb> {
  const mongo = await startTestMongo();
  process.env.MONGODB_URI = mongo.uri;
  process.env.MONGODB_DB = `auth_${randomUUID().slice(0, 8)}`;
  const db = await getDb();
  await ensureIndexes(db);
  return {
    db,
    uri: mongo.uri,
    stop: async () => {
      await closeMongoClient();
      await mongo.stop();
    },
  };
}

export function routeNamed(name: string): HttpRoute {
  const route = httpRoutes.find((r) => r.name === name);
  if (!route) throw new Error(`No route named ${name} in infra/routes.ts`);
  return route;
}
