// Database unreachable → 503 with Retry-After on every sync endpoint, and nothing half-written.

import { describe, expect, it } from 'vitest';
import { closeMongoClient } from '../../functions/lib/mongo.ts';
import { handler as checkUpdate } from '../../functions/sync/check-update.ts';
import { handler as pull } from '../../functions/sync/pull.ts';
import { handler as createTask } from '../../functions/tasks/create-task.ts';
import { useTestMongo } from '../support/mongo.ts';
import { call } from './call.ts';
import { newTestDeviceId, TestDevice } from './devices.ts';
import { createTaskArgs, newUserId } from './fixtures.ts';

const _env = useTestMongo();

describe('database unreachable', () => {
  it('answers 503 with Retry-After, and a retry after recovery applies the mutation once', async () => {
    const device = new TestDevice(newUserId());
    const liveUri = process.env.MONGODB_URI;
    await closeMongoClient();
    process.env.MONGODB_URI = 'mongodb://127.0.0.1:9/?directConnection=true';
    process.env.MONGODB_SERVER_SELECTION_TIMEOUT_MS = '200';
    const task = createTaskArgs();
    const headers = { 'x-device-id': device.deviceId, 'x-mutation-id': '1', 'x-hlc': device.hlc() };
    const write = () =>
      call(createTask, { method: 'POST', path: '/api/tasks', body: task, headers, userId: device.userId });
    try {
      for (const answer of [
        await write(),
        await device.pull(0),
        await call(checkUpdate, {
          path: '/api/sync/check-update',
          query: { deviceId: newTestDeviceId() },
          userId: device.userId,
        }),
      ]) {
        expect(answer.status).toBe(503);
        expect(answer.headers['retry-after']).toMatch(/^\d+$/);
        expect(answer.body).toMatchObject({ error: 'ServiceUnavailable' });
      }
    } finally {
      await closeMongoClient();
      process.env.MONGODB_URI = liveUri;
      delete process.env.MONGODB_SERVER_SELECTION_TIMEOUT_MS;
    }
    expect((await write()).body).toEqual({ version: 1, status: 'applied' });
    expect((await write()).body).toEqual({ version: 1, status: 'duplicate' });
    expect(
      (await call(pull, { path: '/api/sync/pull', query: { since: '0' }, userId: device.userId })).body,
    ).toMatchObject({
      version: 1,
    });
  });
});
