// POST /api/sync/mark-update {deviceId} → {ok: true}: flags the device as needing a fresh pull.
import { whileAccountExists } from '../lib/auth/account-guard.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { markUpdate } from '../lib/sync/device-sync.ts';
import { markUpdateRequestSchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', body: markUpdateRequestSchema }, async (req) => {
  const db = await getDb();
  await whileAccountExists(db, req.userId, () => markUpdate(db, req.userId, req.body.deviceId));
  return { status: 200, body: { ok: true } };
});
