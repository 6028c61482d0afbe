// The server side of the real-time tests, started per test file on free ports (`useRealtimeStack()`):
// the embedded MongoDB, the local gateway with the WebSocket API attached, and small clients for it
// (accounts, tickets, `ws` sockets that queue what they receive, mutations through the HTTP API).

import type { Db } from 'mongodb';
import WebSocket from 'ws';
import { createHlc } from '../../core/hlc.ts';
import { newDeviceId, newId } from '../../core/ids.ts';
import { ensureIndexes } from '../../functions/lib/indexes.ts';
import { closeMongoClient, getDb } from '../../functions/lib/mongo.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import {
  attachWebSocketApi,
  type LocalWebSocketApi,
  type WebSocketApiOptions,
} from '../../infra/local/websocket-api.ts';
import { startTestMongo } from '../support/mongo.ts';
import { type Started, useStarted } from '../support/use-started.ts';

export interface RealtimeStack {
  /** The gateway's base URL. */
  url: string;
  gateway: LocalGateway;
  ws: LocalWebSocketApi;
  /** The database the handlers use. */
  db: Db;
  stop(): Promise<void>;
}

export async function startRealtimeStack(options: WebSocketApiOptions = {}): Promise<RealtimeStack> {
  const mongo = await startTestMongo();
  const gateway = await createLocalGateway({ port: 0, host: '127.0.0.1', env: { MONGODB_URI: mongo.uri } });
  const db = await getDb();
  await ensureIndexes(db);
  const ws = attachWebSocketApi(gateway, options);
  return {
    url: gateway.url,
    gateway,
    ws,
    db,
    async stop() {
      await ws.stop();
      await gateway.close();
      await closeMongoClient();
      await mongo.stop();
    },
  };
}

/** The stack for a whole test file: started in beforeAll, stopped in afterAll. */
export function useRealtimeStack(options: WebSocketApiOptions = {}): Started<RealtimeStack> {
  return useStarted('useRealtimeStack()', () => startRealtimeStack(options));
}

let accounts = 0;

/** Signs a new account up and answers its session cookie (`sid=…`). */
export async function signUp(
  baseUrl: string,
  account = {
    email: `rt${Date.now()}${++accounts}@example.com`,
    password: 'correct horse battery staple 42',
  },
): Promise<{ cookie: string; userId: string }> {
  const res = await fetch(`${baseUrl}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  if (res.status !== 201) throw new Error(`signup answered ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const me = (await (await fetch(`${baseUrl}/api/auth/me`, { headers: { cookie } })).json()) as {
    userId: string;
  };
  return { cookie, userId: me.userId };
}

export async function wsTicket(baseUrl: string, cookie: string, deviceId?: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/sync/ws-ticket`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(deviceId ? { deviceId } : {}),
  });
  if (res.status !== 200) throw new Error(`ws-ticket answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { ticket: string }).ticket;
}

/** A `ws` client that queues every text message it receives. */
export interface TestSocket {
  socket: WebSocket;
  received: unknown[];
  next(): Promise<unknown>;
  close(): Promise<void>;
}

export function openSocket(url: string): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const received: unknown[] = [];
    const waiters: Array<(m: unknown) => void> = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as unknown;
      received.push(message);
      waiters.shift()?.(message);
    });
    let read = 0;
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        received,
        next: () => {
          const at = read++;
          if (at < received.length) return Promise.resolve(received[at]);
          return new Promise((done) => waiters.push(done));
        },
        close: () =>
          new Promise((done) => {
            if (socket.readyState === WebSocket.CLOSED) return done();
            socket.once('close', () => done());
            socket.close();
          }),
      }),
    );
  });
}

/** Status of a refused handshake (or 101 when it opened). */
export function handshakeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      resolve(101);
      socket.close();
    });
    socket.once('error', (err) => (socket.readyState === WebSocket.CLOSED ? undefined : reject(err)));
  });
}

/** A device of one account that writes through the per-mutation HTTP endpoints. */
export function device(baseUrl: string, cookie: string) {
  const deviceId = newDeviceId();
  const clock = createHlc(deviceId, Date.now);
  let mutationId = 0;
  async function mutate(method: string, path: string, args: unknown): Promise<{ version: number }> {
    mutationId += 1;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        cookie,
        'x-device-id': deviceId,
        'x-mutation-id': String(mutationId),
        'x-hlc': clock.next(),
      },
      body: JSON.stringify(args),
    });
    if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { version: number };
  }
  return {
    deviceId,
    mutate,
    async createTask(title = 'Stretch'): Promise<{ version: number; id: string }> {
      const id = newId();
      const args = {
        id,
        title,
        points: 1,
        weekdays: [0, 1, 2, 3, 4, 5, 6],
        createdOn: localToday(),
        order: mutationId + 1,
      };
      return { ...(await mutate('POST', '/api/tasks', args)), id };
    },
  };
}

/** The local calendar date, as the browser's Today screen computes it. */
export function localToday(): string {
  return new Date().toLocaleDateString('sv');
}
