// GET /api/sync/pull?since=V&collections=a,b → {version, changes: {<collection>: Record[]}, reset?}
// since=0 is a full snapshot; a `since` the server never reached answers `reset: true` and a snapshot.
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';
import { pull } from '../lib/sync/pull.ts';
import { pullQuerySchema } from '../lib/sync/request-schemas.ts';

export const handler = defineHandler({ auth: 'session', query: pullQuerySchema }, async (req) => {
  const result = await pull(await getDb(), req.userId, req.query.since, req.query.collections);
  return { status: 200, body: { ...result, serverTime: Date.now() } };
});
