// Invoked asynchronously (InvocationType "Event") by the mutation functions after each committed
// write: pokes the user's other connections and drops the gone ones (see lib/realtime/fan-out.ts).
import * as v from 'valibot';
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';
import { managementSender } from '../lib/realtime/connection-sender.ts';
import { type FanOutResult, fanOut } from '../lib/realtime/fan-out.ts';
import { broadcastEventSchema } from '../lib/realtime/websocket-event.ts';

type FanOutCounts = Omit<FanOutResult, 'failedIds'>;

async function handle(event: unknown): Promise<FanOutCounts> {
  // A malformed event is a bug in the caller; throwing lets Lambda's async retries and logs show it.
  const write = v.parse(broadcastEventSchema, event);
  const { sent, gone, failed } = await fanOut(await getDb(), managementSender(), write);
  return { sent, gone, failed };
}

// The summary line's counts feed the PokesFailed alarm (infra/cloud/monitoring.ts).
export const handler = withInvocationLog('broadcast', handle, (result) => ({ ...result }));
