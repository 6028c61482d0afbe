// A deliberately broken push handler, for the test that proves the chaos suite catches it: before
// handing the batch to the real push it rewinds the device's lastMutationId to just before the batch,
// so replays and retried batches are applied again instead of being recognised as duplicates.
// Only test/chaos/lib/gateway-main.ts routes to it, and only under CHAOS_BROKEN_PUSH=1.
import { defineHandler } from '../../../functions/lib/http-handler.ts';
import { getDb } from '../../../functions/lib/mongo.ts';
import { mutationIdsCollection } from '../../../functions/lib/sync/collections.ts';
import { push } from '../../../functions/lib/sync/push.ts';
import { pushRequestSchema } from '../../../functions/lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', body: pushRequestSchema }, async (req) => {
  const { deviceId, mutations } = req.body;
  const db = await getDb();
  const first = mutations[0];
  if (first) {
    // The device's counter document (see functions/lib/sync/mutation-ids.ts).
    await mutationIdsCollection(db).updateOne(
      { _id: deviceId, userId: req.userId },
      { $set: { lastMutationId: first.id - 1 } },
    );
  }
  const result = await push({ db, userId: req.userId, deviceId, mutations });
  return { status: 200, body: result };
});
