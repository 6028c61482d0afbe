// The events API Gateway's WebSocket APIs send, built for the local emulation. Their shape follows the
// recorded `$connect` authorizer request in test/fixtures/aws-events (and AWS's documented message and
// disconnect events): REST-style `headers`/`multiValueHeaders` with the names as sent, a
// `requestContext` with `connectionId`, `routeKey`, `eventType`, `messageDirection`, `connectedAt`,
// and, after `$connect`, the authorizer's context flattened into `requestContext.authorizer`.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { formatRequestTime, LOCAL_ACCOUNT_ID, LOCAL_API_ID, LOCAL_REGION, splitUrl } from './api-event.ts';

export const WEBSOCKET_STAGE = 'local';

/** Everything about a connection that its events repeat. */
export interface ConnectionInfo {
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string;
  domainName: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  /** The `$connect` authorizer's principal and context, repeated on every later route. */
  authorizer?: Record<string, unknown>;
}

/** API Gateway's connection ids look like `L0SM9cOFvHcCIhw=`. */
export function newConnectionId(): string {
  return randomBytes(10).toString('base64');
}

export function connectionInfo(req: IncomingMessage, connectionId: string): ConnectionInfo {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    const value = req.rawHeaders[i + 1] ?? '';
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const { rawQueryString } = splitUrl(req.url ?? '/');
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    query[key] = value;
    multiQuery[key] = [...(multiQuery[key] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  return {
    connectionId,
    connectedAt: Date.now(),
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    userAgent: req.headers['user-agent'] ?? '',
    domainName: (req.headers.host ?? 'localhost').replace(/:\d+$/, ''),
    headers,
    multiValueHeaders,
    ...(hasQuery ? { queryStringParameters: query, multiValueQueryStringParameters: multiQuery } : {}),
  };
}

type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

function requestContext(conn: ConnectionInfo, routeKey: string, eventType: EventType) {
  const now = Date.now();
  return {
    routeKey,
    eventType,
    extendedRequestId: randomBytes(6).toString('base64'),
    requestTime: formatRequestTime(now),
    messageDirection: 'IN',
    stage: WEBSOCKET_STAGE,
    connectedAt: conn.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
    requestId: randomBytes(6).toString('base64'),
    domainName: conn.domainName,
    connectionId: conn.connectionId,
    apiId: LOCAL_API_ID,
  };
}

export function methodArn(routeKey: string): string {
  return `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${LOCAL_API_ID}/${WEBSOCKET_STAGE}/${routeKey}`;
}

/** What the `$connect` REQUEST authorizer receives (cf. websocket-connect-authorizer-request.json). */
export function authorizerEvent(conn: ConnectionInfo) {
  return {
    type: 'REQUEST',
    methodArn: methodArn('$connect'),
    headers: conn.headers,
    multiValueHeaders: conn.multiValueHeaders,
    ...queryFields(conn),
    stageVariables: {},
    requestContext: requestContext(conn, '$connect', 'CONNECT'),
    isBase64Encoded: false,
    body: null,
  };
}

function queryFields(conn: ConnectionInfo) {
  return conn.queryStringParameters
    ? {
        queryStringParameters: conn.queryStringParameters,
        multiValueQueryStringParameters: conn.multiValueQueryStringParameters,
      }
    : {};
}

function withAuthorizer(conn: ConnectionInfo, context: ReturnType<typeof requestContext>) {
  return conn.authorizer ? { ...context, authorizer: conn.authorizer } : context;
}

export function connectEvent(conn: ConnectionInfo) {
  return {
    headers: conn.headers,
    multiValueHeaders: conn.multiValueHeaders,
    ...queryFields(conn),
    requestContext: withAuthorizer(conn, requestContext(conn, '$connect', 'CONNECT')),
    isBase64Encoded: false,
  };
}

export function messageEvent(conn: ConnectionInfo, body: string, routeKey = '$default') {
  return {
    requestContext: {
      ...withAuthorizer(conn, requestContext(conn, routeKey, 'MESSAGE')),
      messageId: randomBytes(6).toString('base64'),
    },
    body,
    isBase64Encoded: false,
  };
}

export function disconnectEvent(conn: ConnectionInfo, statusCode: number, reason: string) {
  return {
    headers: { Host: conn.headers.Host ?? conn.domainName, 'x-api-key': '', 'x-restapi': '' },
    multiValueHeaders: { Host: [conn.headers.Host ?? conn.domainName] },
    requestContext: {
      ...withAuthorizer(conn, requestContext(conn, '$disconnect', 'DISCONNECT')),
      disconnectStatusCode: statusCode,
      disconnectReason: reason,
    },
    isBase64Encoded: false,
  };
}
