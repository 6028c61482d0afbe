// Every index the app relies on, ensured idempotently: at local gateway start-up and by the deploy
// step. Each area owns its own list; this file only gathers them.
import type { Db } from 'mongodb';
import { ensureAuthIndexes } from './auth/collections.ts';
import { ensureRealtimeIndexes } from './realtime/connections.ts';
import { ensureSyncIndexes } from './sync/indexes.ts';

type IndexInstaller = (db: Db) => Promise<void>;

// Add each area's installer here (auth, sync, realtime) in the same commit as its collections.
const installers: IndexInstaller[] = [ensureAuthIndexes, ensureSyncIndexes, ensureRealtimeIndexes];

export async function ensureIndexes(db: Db): Promise<void> {
  for (const install of installers) await install(db);
}
