// GET /api/health-data[?date=YYYY-MM-DD] → the health screen's data: every weight with its 7-day
// trend and the recent changes (core's healthData). Without a date: today in the user's time zone.
import { healthData } from '../../core/stats/index.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { dayOf, loadSnapshot, optionalDayQuerySchema } from '../lib/sync/load-snapshot.ts';

export const handler = defineHandler({ auth: 'session', query: optionalDayQuerySchema }, async (req) => {
  const snapshot = await loadSnapshot(await getDb(), req.userId);
  return { status: 200, body: healthData(snapshot, dayOf(snapshot, req.query.date)) };
});
