// The browser's real-time client against the local WebSocket API, with `ws` in place of the
// browser's WebSocket: real tickets, real pokes from `broadcast`, real heartbeats answered by
// `$default`, a connection dropped through the Management API.
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { getDb } from '../../functions/lib/mongo.ts';
import { connections } from '../../functions/lib/realtime/connections.ts';
import { createRealtimeClient, type OpenSocket } from '../../web/src/realtime/realtime-client.ts';
import type { Poke } from '../../web/src/sync/sync-manager.ts';
import { device, signUp, useRealtimeStack, wsTicket } from './stack.ts';

const openWs: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.on('open', () => handlers.onOpen());
  socket.on('message', (data) => handlers.onMessage(String(data)));
  socket.on('close', () => handlers.onClose());
  socket.on('error', () => undefined); // 'close' follows
  return { send: (data) => socket.send(data), close: () => socket.close() };
};

const stack = useRealtimeStack();

function observedClient(cookie: string, deviceId: string, known: { version: number }, heartbeatMs = 60_000) {
  const pokes: Poke[] = [];
  const changes: boolean[] = [];
  let tickets = 0;
  const source = createRealtimeClient({
    socketUrl: async () => stack.ws.url,
    fetchTicket: () => {
      tickets += 1;
      return wsTicket(stack.gateway.url, cookie, deviceId);
    },
    openSocket: openWs,
    knownVersion: () => known.version,
    heartbeatMs,
    random: () => 0,
  });
  const stop = source.start({
    onPoke: (poke) => pokes.push(poke),
    onConnectionChange: (connected) => changes.push(connected),
  });
  return { pokes, changes, stop, tickets: () => tickets };
}

/** A shared machine can take seconds to open a socket; this waits for behaviour, it times nothing. */
const SETTLE = { timeout: 15_000 };

describe('realtime client against the local WebSocket API', () => {
  it('connects with a ticket, passes pokes on, and reconnects with a fresh ticket when dropped', async () => {
    const user = await signUp(stack.gateway.url);
    const a = device(stack.gateway.url, user.cookie);
    const b = device(stack.gateway.url, user.cookie);
    const client = observedClient(user.cookie, b.deviceId, { version: 0 });
    await vi.waitFor(() => expect(client.changes).toEqual([true]), SETTLE);

    const { version } = await a.createTask();
    await vi.waitFor(() =>
      expect(client.pokes).toMatchObject([
        { version, collections: ['tasks'], stream: { fromVersion: version - 1, toVersion: version } },
      ]),
    );

    const db = await getDb();
    const id = (await connections(db).findOne({ userId: user.userId }))?._id ?? '';
    const management = new ApiGatewayManagementApiClient({
      endpoint: stack.ws.managementEndpoint,
      region: 'us-east-1',
      credentials: stack.gateway.credentials,
    });
    await management.send(new DeleteConnectionCommand({ ConnectionId: id }));
    await vi.waitFor(() => expect(client.changes).toEqual([true, false, true]), SETTLE);
    expect(client.tickets()).toBe(2);

    const next = await a.createTask();
    await vi.waitFor(() =>
      expect(client.pokes.at(-1)).toMatchObject({ version: next.version, collections: ['tasks'] }),
    );
    client.stop();
    await vi.waitFor(async () =>
      expect(await connections(db).countDocuments({ userId: user.userId })).toBe(0),
    );
  });

  it('turns a heartbeat answer into a pull only when the device is behind', async () => {
    const user = await signUp(stack.gateway.url);
    const a = device(stack.gateway.url, user.cookie);
    await a.createTask();
    await a.createTask();
    const known = { version: 2 };
    const b = device(stack.gateway.url, user.cookie);
    const client = observedClient(user.cookie, b.deviceId, known, 50);
    await vi.waitFor(() => expect(client.changes).toEqual([true]), SETTLE);
    // Several heartbeats go by while the device is current: no pull.
    await new Promise((done) => setTimeout(done, 300));
    expect(client.pokes).toEqual([]);
    // The device falls behind (as if it had missed a poke): the next answer makes it pull.
    known.version = 1;
    await vi.waitFor(() => expect(client.pokes).toContainEqual({ version: 2 }));
    client.stop();
  });

  it('stays down without a WebSocket API and asks for no ticket', async () => {
    let tickets = 0;
    const changes: boolean[] = [];
    const source = createRealtimeClient({
      socketUrl: async () => null,
      fetchTicket: async () => {
        tickets += 1;
        return 'unused';
      },
      openSocket: openWs,
      knownVersion: () => 0,
    });
    const stop = source.start({ onPoke: () => undefined, onConnectionChange: (c) => changes.push(c) });
    await new Promise((done) => setTimeout(done, 50));
    stop();
    expect({ tickets, changes }).toEqual({ tickets: 0, changes: [] });
  });
});
