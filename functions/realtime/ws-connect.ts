// `$connect`, behind ws-authorizer: remembers the connection as the user's, for the device the ticket
// named, so that `broadcast` can find it (and skip it for that device's own writes), and for the
// session that asked for the ticket, so that revoking the session closes it.
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';
import { saveConnection } from '../lib/realtime/connections.ts';
import { parseWebSocketEvent, type WebSocketResult } from '../lib/realtime/websocket-event.ts';

async function handle(event: unknown): Promise<WebSocketResult> {
  const { requestContext } = parseWebSocketEvent(event);
  const userId = requestContext.authorizer?.userId;
  // Only reachable if the route were deployed without its authorizer: refuse rather than store an orphan.
  if (!userId) return { statusCode: 401 };
  await saveConnection(await getDb(), {
    connectionId: requestContext.connectionId,
    userId,
    deviceId: requestContext.authorizer?.deviceId || undefined,
    sessionId: requestContext.authorizer?.sessionId || undefined,
  });
  return { statusCode: 200 };
}

export const handler = withInvocationLog('$connect', handle, (result) => ({ status: result.statusCode }));
