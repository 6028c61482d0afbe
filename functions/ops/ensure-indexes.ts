// Deploy step: a CDK Trigger runs this after every deployment that changes it, so each index the app
// relies on exists before traffic does (creating an existing index is a no-op).
import { ensureIndexes } from '../lib/indexes.ts';
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';

async function handle(): Promise<{ ok: true; durationMs: number }> {
  const started = Date.now();
  await ensureIndexes(await getDb());
  return { ok: true, durationMs: Date.now() - started };
}

export const handler = withInvocationLog('ensure-indexes', handle);
