// POST /api/sync/notify-change {sourceDeviceId, collections?} → {ok: true, version, notified}
// Every write already flags the other devices; this stays for clients of the original polling design (docs/rules.md) and forces a pull.
import { whileAccountExists } from '../lib/auth/account-guard.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { notifyChange } from '../lib/sync/device-sync.ts';
import { notifyChangeRequestSchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', body: notifyChangeRequestSchema }, async (req) => {
  const { sourceDeviceId, collections } = req.body;
  const db = await getDb();
  const result = await whileAccountExists(db, req.userId, () =>
    notifyChange(db, req.userId, sourceDeviceId, collections),
  );
  return { status: 200, body: { ok: true, ...result } };
});
