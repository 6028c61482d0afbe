// The mutation side of the fan-out against a stand-in Lambda Invoke endpoint that counts calls, with
// the connections stored in the embedded MongoDB through the real driver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../../functions/lib/mongo.ts';
import { invokeBroadcast } from '../../functions/lib/realtime/broadcast-invoker.ts';
import { connections, saveConnection } from '../../functions/lib/realtime/connections.ts';
import { MAX_HANDED_TARGETS } from '../../functions/lib/realtime/websocket-event.ts';
import { useTestMongo } from '../support/mongo.ts';

useTestMongo();
let lambda: Server;
const invoked: Array<{ path: string; type: string | undefined; body: unknown }> = [];

beforeAll(async () => {
  lambda = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      invoked.push({
        path: req.url ?? '',
        type: req.headers['x-amz-invocation-type'] as string,
        body: JSON.parse(body),
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => lambda.listen(0, '127.0.0.1', resolve));
  process.env.LAMBDA_ENDPOINT = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
  process.env.BROADCAST_FUNCTION_NAME = 'broadcast';
});
afterAll(async () => {
  delete process.env.BROADCAST_FUNCTION_NAME;
  await new Promise((resolve) => lambda.close(resolve));
});
beforeEach(async () => {
  invoked.length = 0;
  await connections(await getDb()).deleteMany({});
});

const write = {
  userId: 'user-a',
  version: 7,
  sourceDeviceId: 'device_1_source',
  collections: ['tasks'] as const,
};

describe('invokeBroadcast', () => {
  it('does not invoke when nobody but the source device is connected', async () => {
    const db = await getDb();
    await saveConnection(db, { connectionId: 'c-src', userId: 'user-a', deviceId: 'device_1_source' });
    await saveConnection(db, { connectionId: 'c-other-user', userId: 'user-b', deviceId: 'device_2_b' });
    await invokeBroadcast({ ...write, collections: [...write.collections] });
    expect(invoked).toEqual([]);
  });

  it.each([
    { name: "another of the user's devices", conn: { userId: 'user-a', deviceId: 'device_3_other' } },
    { name: 'a connection of the user that named no device', conn: { userId: 'user-a' } },
  ])('invokes broadcast asynchronously once when $name is connected', async ({ conn }) => {
    await saveConnection(await getDb(), { connectionId: 'c-1', ...conn });
    await invokeBroadcast({ ...write, collections: [...write.collections] });
    expect(invoked).toHaveLength(1);
    expect(invoked[0]?.path).toContain('/functions/broadcast/invocations');
    expect(invoked[0]?.type).toBe('Event');
    // The connections the invoker read are handed over: broadcast posts without reading them again.
    expect(invoked[0]?.body).toEqual({ ...write, collections: ['tasks'], targets: ['c-1'] });
  });

  it('hands over every connection but the source device’s, and none when there are too many', async () => {
    const db = await getDb();
    await saveConnection(db, { connectionId: 'c-src', userId: 'user-a', deviceId: 'device_1_source' });
    await saveConnection(db, { connectionId: 'c-b', userId: 'user-b', deviceId: 'device_2_b' });
    for (const id of ['c-1', 'c-2']) {
      await saveConnection(db, { connectionId: id, userId: 'user-a', deviceId: `device_3_${id}` });
    }
    await invokeBroadcast({ ...write, collections: [...write.collections] });
    expect((invoked[0]?.body as { targets?: string[] } | undefined)?.targets?.sort()).toEqual(['c-1', 'c-2']);

    for (let i = 0; i < MAX_HANDED_TARGETS; i += 1) {
      await saveConnection(db, { connectionId: `many-${i}`, userId: 'user-a', deviceId: `device_4_${i}` });
    }
    await invokeBroadcast({ ...write, collections: [...write.collections] });
    expect(invoked).toHaveLength(2);
    // Past the bound the event stays small and broadcast reads the connections itself.
    expect(invoked[1]?.body).toEqual({ ...write, collections: ['tasks'] });
  });
});
