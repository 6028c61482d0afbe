// The WebSocket handlers called directly with API Gateway-shaped events, against the embedded
// MongoDB through the real driver; and the local emulation's events against the recorded one.
import { readFileSync } from 'node:fs';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { issueWsTicket } from '../../functions/lib/auth/ws-tickets.ts';
import { getDb } from '../../functions/lib/mongo.ts';
import { CONNECTION_MAX_AGE_SECONDS, connections } from '../../functions/lib/realtime/connections.ts';
import { versionsCollection } from '../../functions/lib/sync/collections.ts';
import { handler as broadcast } from '../../functions/realtime/broadcast.ts';
import { handler as wsAuthorizer } from '../../functions/realtime/ws-authorizer.ts';
import { handler as wsConnect } from '../../functions/realtime/ws-connect.ts';
import { handler as wsDefault } from '../../functions/realtime/ws-default.ts';
import { handler as wsDisconnect } from '../../functions/realtime/ws-disconnect.ts';
import {
  authorizerEvent,
  type ConnectionInfo,
  connectEvent,
  disconnectEvent,
  messageEvent,
} from '../../infra/local/websocket-events.ts';
import { useTestMongo } from '../support/mongo.ts';

const recorded = JSON.parse(
  readFileSync(
    new URL('../fixtures/aws-events/websocket-connect-authorizer-request.json', import.meta.url),
    'utf8',
  ),
) as APIGatewayRequestAuthorizerEvent;

useTestMongo();

let ids = 0;
function info(authorizer?: Record<string, unknown>): ConnectionInfo {
  ids += 1;
  return {
    connectionId: `conn${ids}=`,
    connectedAt: Date.now(),
    sourceIp: '127.0.0.1',
    userAgent: 'vitest',
    domainName: 'localhost',
    headers: { Host: 'localhost', Upgrade: 'websocket' },
    multiValueHeaders: { Host: ['localhost'], Upgrade: ['websocket'] },
    ...(authorizer ? { authorizer } : {}),
  };
}

function withTicket(ticket: string | undefined): APIGatewayRequestAuthorizerEvent {
  return { ...recorded, queryStringParameters: ticket === undefined ? {} : { ticket } };
}

describe('ws-authorizer', () => {
  it('allows a fresh ticket once, with the user and device as context, for the method ARN', async () => {
    const db = await getDb();
    const { ticket } = await issueWsTicket(db, 'user-1', 'device_1700000000000_abcd');
    const allowed = await wsAuthorizer(withTicket(ticket));
    expect(allowed).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: recorded.methodArn }],
      },
      // No session behind this ticket (issued directly): the session id is empty.
      context: { userId: 'user-1', deviceId: 'device_1700000000000_abcd', sessionId: '' },
    });
    const reused = await wsAuthorizer(withTicket(ticket));
    expect(reused.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    expect(reused.context).toBeUndefined();
  });

  it('denies an expired ticket and a malformed one; a missing one is Unauthorized (401)', async () => {
    const db = await getDb();
    const expired = await issueWsTicket(db, 'user-1', undefined, new Date(Date.now() - 60_001));
    expect((await wsAuthorizer(withTicket(expired.ticket))).policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect((await wsAuthorizer(withTicket('nope'))).policyDocument.Statement[0]?.Effect).toBe('Deny');
    await expect(wsAuthorizer(withTicket(undefined))).rejects.toThrow('Unauthorized');
  });

  it('gives a device-less ticket an empty deviceId (context values must be strings)', async () => {
    const { ticket } = await issueWsTicket(await getDb(), 'user-2');
    expect((await wsAuthorizer(withTicket(ticket))).context).toEqual({
      userId: 'user-2',
      deviceId: '',
      sessionId: '',
    });
  });
});

describe('ws-connect, ws-disconnect', () => {
  it('stores the connection for the authorized user and device, and forgets it on disconnect', async () => {
    const conn = info({ principalId: 'user-3', userId: 'user-3', deviceId: 'device_1700000000000_dev3' });
    expect(await wsConnect(connectEvent(conn))).toEqual({ statusCode: 200 });
    const stored = await connections(await getDb()).findOne({ _id: conn.connectionId });
    expect(stored).toMatchObject({ userId: 'user-3', deviceId: 'device_1700000000000_dev3' });
    expect(stored?.connectedAt).toBeInstanceOf(Date);
    expect(await wsDisconnect(disconnectEvent(conn, 1001, 'Going away'))).toEqual({ statusCode: 200 });
    expect(await connections(await getDb()).findOne({ _id: conn.connectionId })).toBeNull();
  });

  it('stores no deviceId for a device-less ticket, and refuses a connect without a user', async () => {
    const conn = info({ principalId: 'user-4', userId: 'user-4', deviceId: '' });
    await wsConnect(connectEvent(conn));
    const stored = await connections(await getDb()).findOne({ _id: conn.connectionId });
    expect(stored && 'deviceId' in stored).toBe(false);
    const orphan = info();
    expect(await wsConnect(connectEvent(orphan))).toEqual({ statusCode: 401 });
    expect(await connections(await getDb()).findOne({ _id: orphan.connectionId })).toBeNull();
  });

  it('keeps connections no longer than API Gateway does (2 h TTL index)', async () => {
    const indexes = await connections(await getDb()).indexes();
    const ttl = indexes.find((i) => i.name === 'max_age_ttl');
    expect(ttl).toMatchObject({ key: { connectedAt: 1 }, expireAfterSeconds: CONNECTION_MAX_AGE_SECONDS });
    expect(CONNECTION_MAX_AGE_SECONDS).toBe(7200);
  });
});

describe('ws-default', () => {
  it("answers a heartbeat with the user's current version", async () => {
    const db = await getDb();
    const conn = info({ principalId: 'user-5', userId: 'user-5', deviceId: '' });
    await wsConnect(connectEvent(conn));
    const beat = messageEvent(conn, JSON.stringify({ action: 'heartbeat' }));
    expect(await wsDefault(beat)).toEqual({ statusCode: 200, body: '{"type":"heartbeat","version":0}' });
    await versionsCollection(db).insertOne({ _id: 'user-5', version: 42, stable: 42 });
    expect(await wsDefault(beat)).toEqual({ statusCode: 200, body: '{"type":"heartbeat","version":42}' });
  });

  it('answers 400 to anything but a heartbeat and 410 for an unknown connection', async () => {
    const conn = info({ principalId: 'user-6', userId: 'user-6', deviceId: '' });
    await wsConnect(connectEvent(conn));
    for (const body of ['hello', '{"action":"other"}', '']) {
      expect((await wsDefault(messageEvent(conn, body))).statusCode).toBe(400);
    }
    const unknown = messageEvent(info(), JSON.stringify({ action: 'heartbeat' }));
    expect(await wsDefault(unknown)).toEqual({ statusCode: 410, body: '{"type":"gone"}' });
  });
});

describe('broadcast', () => {
  it('refuses an event that is not a committed write', async () => {
    process.env.WS_MANAGEMENT_ENDPOINT = 'http://127.0.0.1:9/ws';
    for (const event of [{}, { userId: 'u', version: 0, sourceDeviceId: 'x', collections: [] }]) {
      await expect(broadcast(event)).rejects.toThrow();
    }
  });

  it('pokes nobody when the user has no other connection', async () => {
    process.env.WS_MANAGEMENT_ENDPOINT = 'http://127.0.0.1:9/ws';
    const source = info({ principalId: 'user-7', userId: 'user-7', deviceId: 'device_1700000000000_src7' });
    await wsConnect(connectEvent(source));
    const write = {
      userId: 'user-7',
      version: 3,
      sourceDeviceId: 'device_1700000000000_src7',
      collections: ['tasks'],
    };
    expect(await broadcast(write)).toEqual({ sent: 0, gone: 0, failed: 0 });
  });
});

describe('local emulation events', () => {
  /** Every key path of a JSON value (array items are not descended into). */
  function keyPaths(value: unknown, prefix = ''): string[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
  }

  it('gives the $connect authorizer every field of the recorded AWS event', () => {
    const event = authorizerEvent({
      ...info(),
      queryStringParameters: { ticket: 't' },
      multiValueQueryStringParameters: { ticket: ['t'] },
    });
    const ours = new Set(keyPaths(event));
    const missing = keyPaths(recorded).filter(
      (p) =>
        !ours.has(p) &&
        !/^(headers|multiValueHeaders|queryStringParameters|multiValueQueryStringParameters)\./.test(p),
    );
    expect(missing).toEqual([]);
    expect(event.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
    });
    expect(event.methodArn).toMatch(/^arn:aws:execute-api:[a-z0-9-]+:\d{12}:[^/]+\/[^/]+\/\$connect$/);
  });

  it('shapes $default and $disconnect as API Gateway does', () => {
    const conn = info({ principalId: 'u', userId: 'u' });
    const message = messageEvent(conn, '{}');
    expect(message.requestContext).toMatchObject({
      routeKey: '$default',
      eventType: 'MESSAGE',
      connectionId: conn.connectionId,
      authorizer: { principalId: 'u', userId: 'u' },
    });
    expect(message.requestContext.messageId).toEqual(expect.any(String));
    const gone = disconnectEvent(conn, 1006, '');
    expect(gone.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: 1006,
    });
  });
});
