// GET /api/dashboard?date=YYYY-MM-DD → points today / this week / total, completion rates, streaks,
// better percentage and weight changes as of that day (core's dashboard).
import { dashboard } from '../../core/stats/index.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { dayOf, loadSnapshot } from '../lib/sync/load-snapshot.ts';
import { readDayQuerySchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', query: readDayQuerySchema }, async (req) => {
  const snapshot = await loadSnapshot(await getDb(), req.userId);
  return { status: 200, body: dashboard(snapshot, dayOf(snapshot, req.query.date)) };
});
