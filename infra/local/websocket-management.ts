// The API Gateway Management API of the local WebSocket API, as `@aws-sdk/client-apigatewaymanagementapi`
// calls it with `endpoint` set to `<gateway>/<path>`:
//
//   POST   …/@connections/{id}   body = the message   → 200            (PostToConnection)
//   GET    …/@connections/{id}                         → 200 {connectedAt, identity, lastActiveAt}
//   DELETE …/@connections/{id}                         → 204, the socket is closed
//   unknown or closed connection                       → 410 GoneException
//
// Only SigV4-signed requests by the local credentials get this far (local-api-guard.ts), as only
// callers with `execute-api:ManageConnections` reach the real one.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalApiGuard, sendRefusal } from './local-api-guard.ts';
import { readRequestBody } from './request-body.ts';
import type { ConnectionInfo } from './websocket-events.ts';

/** API Gateway's limit for one WebSocket message. */
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface LiveConnection {
  readonly info: ConnectionInfo;
  lastActiveAt: number;
  send(data: Buffer): Promise<void>;
  close(code: number, reason: string): void;
}

export type ConnectionLookup = (connectionId: string) => LiveConnection | undefined;

function reply(res: ServerResponse, status: number, body?: unknown, errorType?: string): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

const gone = (res: ServerResponse) => reply(res, 410, { message: null }, 'GoneException');

export async function handleManagement(
  lookup: ConnectionLookup,
  guard: LocalApiGuard,
  req: IncomingMessage,
  res: ServerResponse,
  rawConnectionId: string,
): Promise<void> {
  const admitted = guard.admit(req);
  if (admitted) {
    req.resume();
    return sendRefusal(res, admitted);
  }
  const read = await readRequestBody(req, MAX_MESSAGE_BYTES);
  // An oversized message cannot be checked against its signature; it is refused either way.
  if (!read.ok) return reply(res, 413, { message: 'Message too long' }, 'PayloadTooLargeException');
  const refused = await guard.verify(req, read.body, 'execute-api');
  if (refused) return sendRefusal(res, refused);
  const connection = lookup(safeDecode(rawConnectionId));
  if (!connection) return gone(res);
  switch (req.method) {
    case 'POST':
      try {
        await connection.send(read.body);
      } catch {
        return gone(res);
      }
      return reply(res, 200);
    case 'GET':
      return reply(res, 200, {
        connectedAt: new Date(connection.info.connectedAt).toISOString(),
        identity: { sourceIp: connection.info.sourceIp, userAgent: connection.info.userAgent },
        lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
      });
    case 'DELETE':
      connection.close(1000, '');
      res.writeHead(204, { 'x-amzn-requestid': randomUUID() });
      res.end();
      return;
    default:
      return reply(res, 405, { message: `Method ${req.method} not allowed` }, 'ForbiddenException');
  }
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
