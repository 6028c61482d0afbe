// Invoked asynchronously (InvocationType "Event") by the mutation functions after each committed
// write: pokes the user's other connections and drops the gone ones (see lib/realtime/fan-out.ts).
import * as v from 'valibot';
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';
import { managementSender } from '../lib/realtime/connection-sender.ts';
import { type FanOutResult, fanOut } from '../lib/realtime/fan-out.ts';
import { broadcastEventSchema } from '../lib/realtime/websocket-event.ts';

async function handle(event: unknown): Promise<FanOutResult> {
  // A malformed event is a bug in the caller; throwing lets Lambda's async retries and logs show it.
  const write = v.parse(broadcastEventSchema, event);
  return fanOut(await getDb(), managementSender(), write);
}

export const handler = withInvocationLog('broadcast', handle, (result) => ({ ...result }));
