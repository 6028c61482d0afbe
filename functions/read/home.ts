// GET /api/home?date=YYYY-MM-DD → the home screen's data: the day's tasks with their status and
// points, progress, total points, better percentage and streak (core's homeData).
import { homeData } from '../../core/stats/index.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { dayOf, loadSnapshot } from '../lib/sync/load-snapshot.ts';
import { readDayQuerySchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', query: readDayQuerySchema }, async (req) => {
  const snapshot = await loadSnapshot(await getDb(), req.userId);
  return { status: 200, body: homeData(snapshot, dayOf(snapshot, req.query.date)) };
});
