// The mutation side of the fan-out against stand-ins for the Lambda Invoke API and the WebSocket
// Management API that record calls (the latter answers scripted statuses), with the connections
// stored in the embedded MongoDB through the real driver.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../../functions/lib/mongo.ts';
import { connections, saveConnection } from '../../functions/lib/realtime/connections.ts';
import { DIRECT_POKE_LIMIT, pokeOtherDevices } from '../../functions/lib/realtime/poke-other-devices.ts';
import { MAX_HANDED_TARGETS } from '../../functions/lib/realtime/websocket-event.ts';
import { useTestMongo } from '../support/mongo.ts';

useTestMongo();

interface Call {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An HTTP stand-in that records each request and answers `status(path)`. */
async function recorder(
  status: (path: string) => number,
): Promise<{ server: Server; url: string; calls: Call[] }> {
  const calls: Call[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '';
      calls.push({ path, headers: req.headers, body });
      res.writeHead(status(path), { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

let lambda: Awaited<ReturnType<typeof recorder>>;
let management: Awaited<ReturnType<typeof recorder>>;
/** Connection id → the Management API's answer to a post to it (200 when not listed). */
const answers = new Map<string, number>();
const saved = { id: process.env.AWS_ACCESS_KEY_ID };

beforeAll(async () => {
  delete process.env.AWS_ACCESS_KEY_ID; // sign with the local credentials (awsClientConfig)
  lambda = await recorder(() => 202);
  management = await recorder((path) => answers.get(decodeURIComponent(path.split('/').at(-1) ?? '')) ?? 200);
  process.env.LAMBDA_ENDPOINT = lambda.url;
  process.env.BROADCAST_FUNCTION_NAME = 'broadcast';
});
afterAll(async () => {
  delete process.env.BROADCAST_FUNCTION_NAME;
  delete process.env.WS_MANAGEMENT_ENDPOINT;
  if (saved.id !== undefined) process.env.AWS_ACCESS_KEY_ID = saved.id;
  for (const { server } of [lambda, management]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
beforeEach(async () => {
  lambda.calls.length = 0;
  management.calls.length = 0;
  answers.clear();
  process.env.WS_MANAGEMENT_ENDPOINT = `${management.url}/live`;
  await connections(await getDb()).deleteMany({});
});

const write = {
  userId: 'user-a',
  version: 7,
  sourceDeviceId: 'device_1_source',
  collections: ['tasks' as const],
};
const poke = { type: 'poke', version: 7, collections: ['tasks'] };
const invocations = () =>
  lambda.calls.map((c) => ({
    path: c.path,
    type: c.headers['x-amz-invocation-type'],
    body: JSON.parse(c.body),
  }));
const posted = () =>
  management.calls.map((c) => ({
    to: decodeURIComponent(c.path.split('/').at(-1) ?? ''),
    body: JSON.parse(c.body),
  }));

async function connect(ids: string[], userId = 'user-a'): Promise<void> {
  const db = await getDb();
  for (const id of ids) await saveConnection(db, { connectionId: id, userId, deviceId: `device_2_${id}` });
}

describe('pokeOtherDevices', () => {
  it('neither posts nor invokes when nobody but the source device is connected', async () => {
    const db = await getDb();
    await saveConnection(db, { connectionId: 'c-src', userId: 'user-a', deviceId: 'device_1_source' });
    await connect(['c-other-user'], 'user-b');
    await pokeOtherDevices({ ...write });
    expect(posted()).toEqual([]);
    expect(invocations()).toEqual([]);
  });

  it.each([
    { name: "another of the user's device", conn: { userId: 'user-a', deviceId: 'device_3_other' } },
    { name: 'a connection of the user that named no device', conn: { userId: 'user-a' } },
  ])('posts the poke itself to $name, with no Lambda invocation', async ({ conn }) => {
    await saveConnection(await getDb(), { connectionId: 'c-1', ...conn });
    const stream = { fromVersion: 6, toVersion: 7, changes: { tasks: [] } };
    await pokeOtherDevices({ ...write, stream });
    expect(posted()).toEqual([{ to: 'c-1', body: { ...poke, stream } }]);
    expect(management.calls[0]?.path).toBe('/live/@connections/c-1');
    expect(management.calls[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\//);
    expect(invocations()).toEqual([]);
  });

  it(`posts to up to ${DIRECT_POKE_LIMIT} connections at once`, async () => {
    const ids = Array.from({ length: DIRECT_POKE_LIMIT }, (_, i) => `c-${i}`);
    await connect(ids);
    await pokeOtherDevices({ ...write });
    expect(
      posted()
        .map((p) => p.to)
        .sort(),
    ).toEqual(ids);
    expect(invocations()).toEqual([]);
  });

  it('tries a failing post once and hands only that connection to broadcast', async () => {
    await connect(['c-ok', 'c-busy', 'c-down']);
    answers.set('c-busy', 429).set('c-down', 503);
    await pokeOtherDevices({ ...write });
    expect(
      posted()
        .map((p) => p.to)
        .sort(),
    ).toEqual(['c-busy', 'c-down', 'c-ok']);
    expect(invocations()).toHaveLength(1);
    expect(invocations()[0]?.type).toBe('Event');
    expect(invocations()[0]?.path).toContain('/functions/broadcast/invocations');
    const event = invocations()[0]?.body as { targets: string[] };
    expect(event).toEqual({ ...write, targets: expect.any(Array) });
    expect(event.targets.sort()).toEqual(['c-busy', 'c-down']);
  });

  it('drops a gone connection (410) instead of handing it on', async () => {
    const db = await getDb();
    await saveConnection(
      db,
      { connectionId: 'c-gone', userId: 'user-a', deviceId: 'device_5_x' },
      new Date(0),
    );
    answers.set('c-gone', 410);
    await pokeOtherDevices({ ...write });
    expect(posted().map((p) => p.to)).toEqual(['c-gone']);
    expect(invocations()).toEqual([]);
    expect(await connections(db).countDocuments({ _id: 'c-gone' })).toBe(0);
  });

  it(`invokes broadcast with the connections past ${DIRECT_POKE_LIMIT}, and without them past ${MAX_HANDED_TARGETS}`, async () => {
    const few = Array.from({ length: DIRECT_POKE_LIMIT + 1 }, (_, i) => `c-${i}`);
    await connect(few);
    await pokeOtherDevices({ ...write });
    expect(posted()).toEqual([]);
    expect((invocations()[0]?.body as { targets?: string[] } | undefined)?.targets?.sort()).toEqual(
      few.sort(),
    );

    await connect(Array.from({ length: MAX_HANDED_TARGETS }, (_, i) => `many-${i}`));
    await pokeOtherDevices({ ...write });
    expect(posted()).toEqual([]);
    // Past the bound the event stays small and broadcast reads the connections itself.
    expect(invocations()[1]?.body).toEqual(write);
  });

  it('invokes broadcast, as before, when the function has no Management API endpoint', async () => {
    delete process.env.WS_MANAGEMENT_ENDPOINT;
    await connect(['c-1']);
    await pokeOtherDevices({ ...write });
    expect(posted()).toEqual([]);
    expect(invocations().map((i) => i.body)).toEqual([{ ...write, targets: ['c-1'] }]);
  });
});
