// POST /api/sync/push {deviceId, mutations: [{id, name, args, hlc}]}
//   → {lastMutationId, version, results: [{id, status: applied | duplicate | rejected, error?}]}
// In order and exactly once; a gap in ids → 409 {error: "MutationIdGap", expected}.
import { whileAccountExists } from '../lib/auth/account-guard.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { push } from '../lib/sync/push.ts';
import { pushRequestSchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', body: pushRequestSchema }, async (req) => {
  const { deviceId, mutations } = req.body;
  const db = await getDb();
  const result = await whileAccountExists(db, req.userId, () =>
    push({ db, userId: req.userId, deviceId, mutations }),
  );
  return { status: 200, body: { ...result, serverTime: Date.now() } };
});
