// GET /api/sync/check-update?deviceId= → {needsUpdate, lastSync, version, collections}
// The first call from a device registers it for the signed-in user.
import { whileAccountExists } from '../lib/auth/account-guard.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { checkUpdate } from '../lib/sync/device-sync.ts';
import { checkUpdateQuerySchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', query: checkUpdateQuerySchema }, async (req) => {
  const db = await getDb();
  const result = await checkUpdate(db, req.userId, req.query.deviceId, (write) =>
    whileAccountExists(db, req.userId, write),
  );
  return { status: 200, body: { ...result, serverTime: Date.now() } };
});
