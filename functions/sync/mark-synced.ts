// POST /api/sync/mark-synced {deviceId, version?} → {ok: true, lastSync, needsUpdate, version}
// Never clears needsUpdate for a device still behind the user's version (see device-sync.ts).
import { whileAccountExists } from '../lib/auth/account-guard.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { markSynced } from '../lib/sync/device-sync.ts';
import { markSyncedRequestSchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', body: markSyncedRequestSchema }, async (req) => {
  const db = await getDb();
  const { userId, body } = req;
  const result = await whileAccountExists(db, userId, () =>
    markSynced(db, userId, body.deviceId, body.version),
  );
  return { status: 200, body: { ok: true, ...result } };
});
