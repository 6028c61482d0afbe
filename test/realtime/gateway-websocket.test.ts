// The local WebSocket API end to end with a real `ws` client: tickets on `$connect`, the heartbeat,
// pokes posted by the mutation functions (or, past a few devices, by `broadcast`), the Management
// API, and 410 clean-up. Everything runs through the real handlers and the embedded MongoDB.
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { describe, expect, it, vi } from 'vitest';
import { issueWsTicket } from '../../functions/lib/auth/ws-tickets.ts';
import { getDb } from '../../functions/lib/mongo.ts';
import { connections } from '../../functions/lib/realtime/connections.ts';
import { DIRECT_POKE_LIMIT } from '../../functions/lib/realtime/poke-other-devices.ts';
import { attachWebSocketApi } from '../../infra/local/websocket-api.ts';
import {
  device,
  handshakeStatus,
  openSocket,
  signUp,
  type TestSocket,
  useRealtimeStack,
  wsTicket,
} from './stack.ts';

const stack = useRealtimeStack();

async function connectDevice(cookie: string, deviceId?: string): Promise<TestSocket> {
  return openSocket(`${stack.ws.url}?ticket=${await wsTicket(stack.url, cookie, deviceId)}`);
}

describe('$connect with a ticket', () => {
  it('opens with a fresh ticket and stores the connection for the user and device', async () => {
    const user = await signUp(stack.url);
    const a = device(stack.url, user.cookie);
    const socket = await connectDevice(user.cookie, a.deviceId);
    const stored = await connections(await getDb())
      .find({ userId: user.userId })
      .toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ userId: user.userId, deviceId: a.deviceId });
    expect(stack.ws.connectionIds()).toContain(stored[0]?._id);
    await socket.close();
    await vi.waitFor(async () =>
      expect(await connections(await getDb()).countDocuments({ userId: user.userId })).toBe(0),
    );
  });

  it('refuses a reused ticket (403), a missing one (401), a made-up one (403) and an expired one (403)', async () => {
    const user = await signUp(stack.url);
    const ticket = await wsTicket(stack.url, user.cookie);
    expect(await handshakeStatus(`${stack.ws.url}?ticket=${ticket}`)).toBe(101);
    expect(await handshakeStatus(`${stack.ws.url}?ticket=${ticket}`)).toBe(403);
    expect(await handshakeStatus(stack.ws.url)).toBe(401);
    expect(await handshakeStatus(`${stack.ws.url}?ticket=${'x'.repeat(43)}`)).toBe(403);
    const expired = await issueWsTicket(await getDb(), user.userId, undefined, new Date(Date.now() - 61_000));
    expect(await handshakeStatus(`${stack.ws.url}?ticket=${expired.ticket}`)).toBe(403);
  });

  it('answers 404 for an upgrade on another path', async () => {
    const user = await signUp(stack.url);
    const ticket = await wsTicket(stack.url, user.cookie);
    expect(await handshakeStatus(`${stack.url.replace('http', 'ws')}/elsewhere?ticket=${ticket}`)).toBe(404);
  });
});

describe('heartbeat', () => {
  it("answers the user's current version", async () => {
    const user = await signUp(stack.url);
    const a = device(stack.url, user.cookie);
    const socket = await connectDevice(user.cookie, a.deviceId);
    socket.socket.send(JSON.stringify({ action: 'heartbeat' }));
    expect(await socket.next()).toEqual({ type: 'heartbeat', version: 0 });
    await a.createTask();
    await a.createTask();
    socket.socket.send(JSON.stringify({ action: 'heartbeat' }));
    expect(await socket.next()).toEqual({ type: 'heartbeat', version: 2 });
    socket.socket.send('not json');
    expect(await socket.next()).toMatchObject({ type: 'error' });
    await socket.close();
  });
});

describe('pokes', () => {
  it("reach the user's other devices only: never the source device, never another user", async () => {
    const alice = await signUp(stack.url);
    const bob = await signUp(stack.url);
    const a = device(stack.url, alice.cookie);
    const b = device(stack.url, alice.cookie);
    const c = device(stack.url, bob.cookie);
    const [sa, sb, sc] = await Promise.all([
      connectDevice(alice.cookie, a.deviceId),
      connectDevice(alice.cookie, b.deviceId),
      connectDevice(bob.cookie, c.deviceId),
    ]);
    const first = await a.createTask('From A');
    // The poke carries the task itself: B stands at the version before and applies it without a pull.
    expect(await sb.next()).toMatchObject({
      type: 'poke',
      version: first.version,
      collections: ['tasks'],
      stream: {
        fromVersion: first.version - 1,
        toVersion: first.version,
        changes: { tasks: [{ title: 'From A' }] },
      },
    });
    const second = await b.createTask('From B');
    // A's first message is the poke for B's write: it never got one for its own.
    expect(await sa.next()).toMatchObject({ type: 'poke', version: second.version, collections: ['tasks'] });
    // Bob's socket has received nothing but the answer to its own heartbeat.
    sc.socket.send(JSON.stringify({ action: 'heartbeat' }));
    expect(await sc.next()).toEqual({ type: 'heartbeat', version: 0 });
    expect(sc.received).toHaveLength(1);
    expect(sb.received).toHaveLength(1);
    await Promise.all([sa.close(), sb.close(), sc.close()]);
  });

  it(`come from the writer itself up to ${DIRECT_POKE_LIMIT} other devices, and from one broadcast run past that`, async () => {
    const user = await signUp(stack.url);
    const writer = device(stack.url, user.cookie);
    const others = Array.from({ length: DIRECT_POKE_LIMIT + 1 }, () => device(stack.url, user.cookie));
    const invoke = vi.spyOn(stack.gateway.functions, 'invoke');
    const broadcasts = () => invoke.mock.calls.filter(([name]) => name === 'broadcast').length;
    try {
      const first = await connectDevice(user.cookie, others[0]?.deviceId);
      const one = await writer.createTask('Seen by one');
      expect(await first.next()).toMatchObject({ type: 'poke', version: one.version });
      expect(broadcasts()).toBe(0);

      const rest = await Promise.all(others.slice(1).map((d) => connectDevice(user.cookie, d.deviceId)));
      const all = await writer.createTask('Seen by all');
      for (const socket of [first, ...rest]) {
        expect(await socket.next()).toMatchObject({ type: 'poke', version: all.version });
      }
      expect(broadcasts()).toBe(1);
      await Promise.all([first, ...rest].map((socket) => socket.close()));
    } finally {
      invoke.mockRestore();
    }
  });

  it('drop a connection that answers 410 Gone and keep the live ones', async () => {
    const user = await signUp(stack.url);
    const a = device(stack.url, user.cookie);
    const b = device(stack.url, user.cookie);
    const sb = await connectDevice(user.cookie, b.deviceId);
    const db = await getDb();
    // A connection whose $disconnect never arrived (API Gateway delivers it on a best-effort basis).
    const stale = {
      _id: 'gone-connection=',
      userId: user.userId,
      connectedAt: new Date(Date.now() - 60_000),
    };
    await connections(db).insertOne(stale);
    const { version } = await a.createTask();
    expect(await sb.next()).toMatchObject({ type: 'poke', version });
    await vi.waitFor(async () => expect(await connections(db).findOne({ _id: stale._id })).toBeNull());
    expect(await connections(db).countDocuments({ userId: user.userId })).toBe(1);
    await sb.close();
  });
});

describe('Management API (@connections) through @aws-sdk/client-apigatewaymanagementapi', () => {
  const client = () =>
    new ApiGatewayManagementApiClient({
      endpoint: stack.ws.managementEndpoint,
      region: 'us-east-1',
      credentials: stack.gateway.credentials,
    });

  it('posts, describes and deletes a connection; a closed one is Gone', async () => {
    const user = await signUp(stack.url);
    const socket = await connectDevice(user.cookie);
    const id = (await connections(await getDb()).findOne({ userId: user.userId }))?._id ?? '';
    const api = client();
    await api.send(
      new PostToConnectionCommand({ ConnectionId: id, Data: new TextEncoder().encode('{"hi":1}') }),
    );
    expect(await socket.next()).toEqual({ hi: 1 });
    const described = await api.send(new GetConnectionCommand({ ConnectionId: id }));
    expect(described.ConnectedAt).toBeInstanceOf(Date);
    expect(described.Identity?.SourceIp).toBe('127.0.0.1');
    const closed = new Promise<number>((done) => socket.socket.once('close', (code) => done(code)));
    await api.send(new DeleteConnectionCommand({ ConnectionId: id }));
    expect(await closed).toBe(1000);
    await expect(
      api.send(new PostToConnectionCommand({ ConnectionId: id, Data: new Uint8Array([1]) })),
    ).rejects.toBeInstanceOf(GoneException);
    await vi.waitFor(async () => expect(await connections(await getDb()).findOne({ _id: id })).toBeNull());
  });
});

describe("API Gateway's connection limits", () => {
  it('closes an idle connection (1001) and one past its maximum age, each with a $disconnect', async () => {
    const short = attachWebSocketApi(stack.gateway, {
      path: '/ws-short',
      idleTimeoutMs: 300,
      maxAgeMs: 1_500,
    });
    try {
      const user = await signUp(stack.url);
      const closedWith = (s: TestSocket) => new Promise<number>((done) => s.socket.once('close', done));
      const idle = await openSocket(`${short.url}?ticket=${await wsTicket(stack.url, user.cookie)}`);
      expect(await closedWith(idle)).toBe(1001);
      // Heartbeats keep it past the idle timeout, but not past the maximum age.
      const busy = await openSocket(`${short.url}?ticket=${await wsTicket(stack.url, user.cookie)}`);
      const beats = setInterval(() => busy.socket.send(JSON.stringify({ action: 'heartbeat' })), 100);
      const opened = Date.now();
      expect(await closedWith(busy)).toBe(1001);
      clearInterval(beats);
      expect(busy.received.length).toBeGreaterThan(3);
      expect(Date.now() - opened).toBeGreaterThanOrEqual(1_400);
      await vi.waitFor(async () =>
        expect(await connections(await getDb()).countDocuments({ userId: user.userId })).toBe(0),
      );
    } finally {
      await short.stop();
    }
    expect(process.env.WS_MANAGEMENT_ENDPOINT).toBe(stack.ws.managementEndpoint);
  });
});
