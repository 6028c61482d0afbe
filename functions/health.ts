// GET /api/health: is the app up and can it reach its database? 503 while it cannot, so a load
// balancer or `npm start`'s caller can wait for "healthy".
import packageJson from '../package.json' with { type: 'json' };
import { defineHandler } from './lib/http-handler.ts';
import { pingDb } from './lib/mongo.ts';

const PING_TIMEOUT_MS = 1_000;

export const handler = defineHandler({ auth: 'public' }, async () => {
  const up = await pingDb(PING_TIMEOUT_MS);
  return {
    status: up ? 200 : 503,
    body: { ok: up, db: up ? 'up' : 'down', version: packageJson.version },
  };
});
