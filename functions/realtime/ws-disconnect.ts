// `$disconnect`: forgets the connection. API Gateway delivers it on a best-effort basis, which is why
// `broadcast` also drops connections that answer 410 and the TTL index drops them after 2 hours.
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';
import { removeConnection } from '../lib/realtime/connections.ts';
import { parseWebSocketEvent, type WebSocketResult } from '../lib/realtime/websocket-event.ts';

async function handle(event: unknown): Promise<WebSocketResult> {
  const { requestContext } = parseWebSocketEvent(event);
  await removeConnection(await getDb(), requestContext.connectionId);
  return { statusCode: 200 };
}

export const handler = withInvocationLog('$disconnect', handle, (result) => ({ status: result.statusCode }));
