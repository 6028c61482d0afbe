// `$default`: the client's heartbeat. It keeps the connection inside API Gateway's 10-minute idle
// timeout, and its answer carries the user's current version, so a client that missed a poke (a lost
// async invocation, a post that failed) notices it is behind and pulls. The route returns its
// response to the client (`returnResponse` on the route).
//
//   {"action":"heartbeat"} ──► {"type":"heartbeat","version":V}
//   anything else          ──► 400 {"type":"error"}
//   unknown connection     ──► 410 {"type":"gone"}: the client reconnects
import * as v from 'valibot';
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';
import { findConnection } from '../lib/realtime/connections.ts';
import {
  type HeartbeatAnswer,
  heartbeatRequestSchema,
  parseWebSocketEvent,
  type WebSocketResult,
} from '../lib/realtime/websocket-event.ts';
import { readVersion } from '../lib/sync/versions.ts';

function parseBody(body: string | null | undefined): unknown {
  try {
    return JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
}

async function handle(event: unknown): Promise<WebSocketResult> {
  const { requestContext, body } = parseWebSocketEvent(event);
  if (!v.is(heartbeatRequestSchema, parseBody(body))) {
    return {
      statusCode: 400,
      body: JSON.stringify({ type: 'error', message: 'Send {"action":"heartbeat"}' }),
    };
  }
  const db = await getDb();
  const connection = await findConnection(db, requestContext.connectionId);
  if (!connection) return { statusCode: 410, body: JSON.stringify({ type: 'gone' }) };
  const answer: HeartbeatAnswer = { type: 'heartbeat', version: await readVersion(db, connection.userId) };
  return { statusCode: 200, body: JSON.stringify(answer) };
}

export const handler = withInvocationLog('$default', handle, (result) => ({ status: result.statusCode }));
