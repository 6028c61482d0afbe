// One Lambda per domain mutation: headers carry the envelope, the body is the args (path merged).

import { describe, expect, it } from 'vitest';
import type { HttpHandler } from '../../functions/lib/http-handler.ts';
import { mutationIdsCollection, recordsCollection } from '../../functions/lib/sync/collections.ts';
import { handler as putSettings } from '../../functions/settings/put-settings.ts';
import { handler as archiveTask } from '../../functions/tasks/archive-task.ts';
import { handler as completeTask } from '../../functions/tasks/complete-task.ts';
import { handler as createTask } from '../../functions/tasks/create-task.ts';
import { handler as editTask } from '../../functions/tasks/edit-task.ts';
import { handler as reorderTasks } from '../../functions/tasks/reorder-tasks.ts';
import { handler as skipTask } from '../../functions/tasks/skip-task.ts';
import { handler as uncompleteTask } from '../../functions/tasks/uncomplete-task.ts';
import { handler as deleteWeight } from '../../functions/weights/delete-weight.ts';
import { handler as putWeight } from '../../functions/weights/put-weight.ts';
import { useTestMongo } from '../support/mongo.ts';
import { call } from './call.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

const env = useTestMongo();

interface Req {
  method: string;
  path: string;
  routePath: string;
  pathParameters?: Record<string, string>;
  body?: unknown;
}

function send(handler: HttpHandler, device: TestDevice, req: Req, headers: Record<string, string> = {}) {
  const id = device.nextMutationId;
  device.nextMutationId += 1;
  return call(handler, {
    ...req,
    userId: device.userId,
    headers: {
      'x-device-id': device.deviceId,
      'x-mutation-id': String(id),
      'x-hlc': device.hlc(),
      ...headers,
    },
  });
}

const taskRoute = (taskId: string, action: string, body: unknown): Req => ({
  method: 'POST',
  path: `/api/tasks/${taskId}/${action}`,
  routePath: `/api/tasks/{taskId}/${action}`,
  pathParameters: { taskId },
  body,
});

describe('per-mutation endpoints', () => {
  it('runs every mutation through its own function and answers {version, status}', async () => {
    const device = new TestDevice(newUserId());
    const a = createTaskArgs({ order: 0 });
    const b = createTaskArgs({ order: 1, title: 'Read' });
    const steps: Array<[HttpHandler, Req]> = [
      [createTask, { method: 'POST', path: '/api/tasks', routePath: '/api/tasks', body: a }],
      [createTask, { method: 'POST', path: '/api/tasks', routePath: '/api/tasks', body: b }],
      [
        editTask,
        {
          method: 'PATCH',
          path: `/api/tasks/${a.id}`,
          routePath: '/api/tasks/{taskId}',
          pathParameters: { taskId: a.id },
          body: { title: 'Stretch more' },
        },
      ],
      [
        reorderTasks,
        {
          method: 'POST',
          path: '/api/tasks/reorder',
          routePath: '/api/tasks/reorder',
          body: { ids: [b.id, a.id] },
        },
      ],
      [completeTask, taskRoute(a.id, 'complete', { date: day(-1) })],
      [skipTask, taskRoute(a.id, 'skip', { date: day(-2) })],
      [uncompleteTask, taskRoute(a.id, 'uncomplete', { date: day(-2) })],
      [archiveTask, taskRoute(b.id, 'archive', { date: day(0) })],
      [
        putWeight,
        {
          method: 'PUT',
          path: `/api/weights/${day(0)}`,
          routePath: '/api/weights/{date}',
          pathParameters: { date: day(0) },
          body: { value: 70, unit: 'kg' },
        },
      ],
      [
        deleteWeight,
        {
          method: 'DELETE',
          path: `/api/weights/${day(0)}`,
          routePath: '/api/weights/{date}',
          pathParameters: { date: day(0) },
        },
      ],
      [
        putSettings,
        { method: 'PUT', path: '/api/settings', routePath: '/api/settings', body: { weekStart: 0 } },
      ],
    ];
    let version = 0;
    for (const [handler, req] of steps) {
      const res = await send(handler, device, req);
      expect(res.status, `${req.method} ${req.path} ${JSON.stringify(res.body)}`).toBe(200);
      version += 1;
      expect(res.body).toEqual({ version, status: 'applied' });
    }
    const user = { userId: device.userId };
    expect(await recordsCollection(env.db, 'tasks').findOne({ ...user, id: a.id })).toMatchObject({
      title: 'Stretch more',
      order: 1,
    });
    expect(await recordsCollection(env.db, 'tasks').findOne({ ...user, id: b.id })).toMatchObject({
      archived: true,
      order: 0,
    });
    expect(
      await recordsCollection(env.db, 'completions').findOne({ ...user, id: `${a.id}:${day(-1)}` }),
    ).toMatchObject({ status: 'completed' });
    expect(
      await recordsCollection(env.db, 'completions').findOne({ ...user, id: `${a.id}:${day(-2)}` }),
    ).toMatchObject({ deleted: true });
    expect(await recordsCollection(env.db, 'weights').findOne({ ...user, id: day(0) })).toMatchObject({
      deleted: true,
    });
    expect(await recordsCollection(env.db, 'settings').findOne(user)).toMatchObject({ weekStart: 0 });
    expect(await mutationIdsCollection(env.db).findOne({ _id: device.deviceId })).toMatchObject({
      lastMutationId: steps.length,
    });
  });

  it('acknowledges a replayed mutation without applying it again', async () => {
    const device = new TestDevice(newUserId());
    const headers = { 'x-device-id': device.deviceId, 'x-mutation-id': '1', 'x-hlc': device.hlc() };
    const req = {
      method: 'POST',
      path: '/api/tasks',
      body: createTaskArgs(),
      userId: device.userId,
      headers,
    };
    expect((await call(createTask, req)).body).toEqual({ version: 1, status: 'applied' });
    expect((await call(createTask, req)).body).toEqual({ version: 1, status: 'duplicate' });
    expect(await recordsCollection(env.db, 'tasks').countDocuments({ userId: device.userId })).toBe(1);
  });

  it('records a domain rejection, spends the id, and answers its 4xx with status "rejected"', async () => {
    const device = new TestDevice(newUserId());
    const res = await send(
      completeTask,
      device,
      taskRoute(createTaskArgs().id, 'complete', { date: day(0) }),
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: 'TaskNotFound',
      status: 'rejected',
      version: 0,
      message: expect.any(String),
    });
    expect(await mutationIdsCollection(env.db).findOne({ _id: device.deviceId })).toMatchObject({
      lastMutationId: 1,
    });
  });

  it('answers 400 and writes nothing for missing headers, bad args, or a date more than a year ahead', async () => {
    const device = new TestDevice(newUserId());
    const weight = (date: string, body: unknown): Req => ({
      method: 'PUT',
      path: `/api/weights/${date}`,
      routePath: '/api/weights/{date}',
      pathParameters: { date },
      body,
    });
    const noHeaders = await call(putWeight, {
      ...weight(day(0), { value: 70, unit: 'kg' }),
      userId: device.userId,
    });
    expect(noHeaders.status).toBe(400);
    expect(noHeaders.body).toMatchObject({ error: 'BadRequest', issues: expect.any(Array) });
    const badArgs = await send(putWeight, device, weight(day(0), { value: 'heavy', unit: 'kg' }));
    expect(badArgs.status).toBe(400);
    expect(badArgs.body.issues).toEqual([expect.objectContaining({ path: 'value' })]);
    const badDate = await send(putWeight, device, weight('2026-02-30', { value: 70, unit: 'kg' }));
    expect(badDate.status).toBe(400);
    device.nextMutationId = 1; // nothing was spent so far
    const farAhead = await send(putWeight, device, weight(day(400), { value: 70, unit: 'kg' }));
    expect(farAhead.status).toBe(400);
    expect(farAhead.body).toMatchObject({ error: 'DateOutOfRange' });
    expect(await recordsCollection(env.db, 'weights').countDocuments({ userId: device.userId })).toBe(0);
  });

  it('stores a schedule, and answers 400 leaving the task as it was for a malformed one', async () => {
    const device = new TestDevice(newUserId());
    const args = createTaskArgs({ schedule: { kind: 'timesPerWeek', times: 3 } });
    const create = { method: 'POST', path: '/api/tasks', routePath: '/api/tasks', body: args };
    expect((await send(createTask, device, create)).status).toBe(200);
    const edit = (body: unknown): Req => ({
      method: 'PATCH',
      path: `/api/tasks/${args.id}`,
      routePath: '/api/tasks/{taskId}',
      pathParameters: { taskId: args.id },
      body,
    });
    for (const schedule of [
      { kind: 'everyNDays', days: 0 },
      { kind: 'monthly' },
      { kind: 'timesPerWeek', times: '3' },
    ]) {
      const bad = await send(editTask, device, edit({ schedule }));
      expect(bad.status).toBe(400);
      device.nextMutationId -= 1; // a 400 spends no id
    }
    const stored = () => recordsCollection(env.db, 'tasks').findOne({ userId: device.userId, id: args.id });
    expect(await stored()).toMatchObject({
      schedule: { kind: 'timesPerWeek', times: 3 },
      weekdays: args.weekdays,
    });
    expect((await send(editTask, device, edit({ schedule: { kind: 'everyNDays', days: 2 } }))).status).toBe(
      200,
    );
    expect(await stored()).toMatchObject({ schedule: { kind: 'everyNDays', days: 2 } });
  });

  it('refuses a gap (409 with the expected id) and another user’s device (403)', async () => {
    const device = new TestDevice(newUserId());
    const gap = await send(
      putSettings,
      device,
      { method: 'PUT', path: '/api/settings', routePath: '/api/settings', body: { unit: 'lb' } },
      { 'x-mutation-id': '3' },
    );
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ error: 'MutationIdGap', expected: 1 });
    device.nextMutationId = 1;
    await send(putSettings, device, {
      method: 'PUT',
      path: '/api/settings',
      routePath: '/api/settings',
      body: { unit: 'lb' },
    });
    const thief = new TestDevice(newUserId(), { deviceId: device.deviceId });
    thief.nextMutationId = 2;
    const stolen = await send(putSettings, thief, {
      method: 'PUT',
      path: '/api/settings',
      routePath: '/api/settings',
      body: { unit: 'kg' },
    });
    expect(stolen.status).toBe(403);
    expect(await recordsCollection(env.db, 'settings').countDocuments({ userId: thief.userId })).toBe(0);
  });

  it('refuses a body over 256 KB with 413 and a non-JSON body with 415', async () => {
    const device = new TestDevice(newUserId());
    const big = await send(createTask, device, {
      method: 'POST',
      path: '/api/tasks',
      routePath: '/api/tasks',
      body: { title: 'x'.repeat(300 * 1024) },
    });
    expect(big.status).toBe(413);
    const form = await send(
      createTask,
      device,
      { method: 'POST', path: '/api/tasks', routePath: '/api/tasks', body: 'title=x' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(form.status).toBe(415);
  });
});
