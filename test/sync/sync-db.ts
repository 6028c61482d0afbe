// A fresh database on the embedded MongoDB server for one test file, wired the way the handlers
// find it (MONGODB_URI / MONGODB_DB → getDb()), with the sync indexes in place.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { closeMongoClient, getDb } from '../../functions/lib/mongo.ts';
import { ensureSyncIndexes } from '../../functions/lib/sync/indexes.ts';
import { startTestMongo } from '../support/mongo.ts';

export interface SyncDb {
  db: Db;
  uri: string;
  stop(): Promise<void>;
}

export async function startSyncDb(): Promise<SyncDb> {
  const mongo = await startTestMongo();
  process.env.MONGODB_URI = mongo.uri;
  process.env.MONGODB_DB = `sync_${randomUUID().slice(0, 8)}`;
  const db = await getDb();
  await ensureSyncIndexes(db);
  return {
    db,
    uri: mongo.uri,
    async stop() {
      await closeMongoClient();
      await mongo.stop();
    },
  };
}
