// POST /api/sync/push {deviceId, mutations: [{id, name, args, hlc}]}
//   → {lastMutationId, version, results: [{id, status: applied | duplicate | rejected, error?}]}
// In order and exactly once; a gap in ids → 409 {error: "MutationIdGap", expected}.
import { whileAccountExists } from '../lib/auth/account-guard.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { answerPush, commitPush, notifyPush } from '../lib/sync/push.ts';
import { pushRequestSchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', body: pushRequestSchema }, async (req) => {
  const { deviceId, mutations } = req.body;
  const db = await getDb();
  // The fan-out runs beside the deletion check (see account-guard.ts), not before it.
  const pushed = await whileAccountExists(
    db,
    req.userId,
    () => commitPush({ db, userId: req.userId, deviceId, mutations }),
    notifyPush,
  );
  return { status: 200, body: { ...answerPush(pushed), serverTime: Date.now() } };
});
