// POST /api/sync/push: in order, exactly once, rejections recorded and acknowledged, gaps refused.

import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../core/records.ts';
import {
  mutationIdsCollection,
  recordsCollection,
  rejectedCollection,
  syncStateCollection,
} from '../../functions/lib/sync/collections.ts';
import { readVersion } from '../../functions/lib/sync/versions.ts';
import { handler as pushHandler } from '../../functions/sync/push.ts';
import { useTestMongo } from '../support/mongo.ts';
import { call } from './call.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

const env = useTestMongo();

describe('push', () => {
  it('applies a batch in order, in one version, and answers the push contract fields', async () => {
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    const res = await device.push([
      device.envelope('createTask', task),
      device.envelope('completeTask', { taskId: task.id, date: day(-1) }),
      device.envelope('logWeight', { date: day(-1), value: 72.5, unit: 'kg' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      lastMutationId: 3,
      version: 1,
      results: [
        { id: 1, status: 'applied' },
        { id: 2, status: 'applied' },
        { id: 3, status: 'applied' },
      ],
      stream: { fromVersion: 0, toVersion: 1, changes: expect.any(Object) },
      serverTime: expect.any(Number),
    });
    // The answer's records are what a pull of that one version brings: the device need not pull.
    const pulled = await device.pull(0);
    const byCollection = (changes: Record<string, unknown[] | undefined> = {}) =>
      Object.fromEntries(COLLECTIONS.map((c) => [c, changes[c] ?? []]));
    expect(byCollection(res.body.stream?.changes)).toEqual(byCollection(pulled.body.changes));
    const stored = await recordsCollection(env.db, 'completions').findOne({ userId: device.userId });
    expect(stored).toMatchObject({ id: `${task.id}:${day(-1)}`, status: 'completed', _v: 1 });
  });

  it('applies the same push sent twice only once', async () => {
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    const batch = [
      device.envelope('createTask', task),
      device.envelope('completeTask', { taskId: task.id, date: day(0) }),
    ];
    const first = await device.push(batch);
    const second = await device.push(batch);
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      lastMutationId: 2,
      version: first.body.version,
      results: [
        { id: 1, status: 'duplicate' },
        { id: 2, status: 'duplicate' },
      ],
      serverTime: expect.any(Number),
    });
    const versions = await recordsCollection(env.db, 'tasks').find({ userId: device.userId }).toArray();
    expect(versions.map((d) => d._v)).toEqual([1]);
  });

  it('records a mutation rejected for good, acknowledges it and goes on with the batch', async () => {
    const device = new TestDevice(newUserId());
    const res = await device.push([
      device.envelope('completeTask', { taskId: createTaskArgs().id, date: day(0) }),
      device.envelope('noSuchMutation', {}),
      device.envelope('logWeight', { date: 'not-a-date', value: 70, unit: 'kg' }),
      device.envelope('logWeight', { date: day(0), value: 70, unit: 'kg' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(4);
    expect(res.body.version).toBe(1);
    expect(res.body.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['rejected', 'TaskNotFound'],
      ['rejected', 'UnknownMutation'],
      ['rejected', 'InvalidArgs'],
      ['applied', undefined],
    ]);
    const rejected = await rejectedCollection(env.db).find({ userId: device.userId }).toArray();
    expect(rejected.map((r) => [r.mutationId, r.error.code])).toEqual([
      [1, 'TaskNotFound'],
      [2, 'UnknownMutation'],
      [3, 'InvalidArgs'],
    ]);
  });

  it('answers a replayed rejection with the same reason, never applying it', async () => {
    const device = new TestDevice(newUserId());
    const bad = device.envelope('completeTask', { taskId: createTaskArgs().id, date: day(0) });
    await device.push([bad]);
    const again = await device.push([bad]);
    expect(again.body.results).toEqual([
      { id: 1, status: 'rejected', error: expect.objectContaining({ code: 'TaskNotFound' }) },
    ]);
    // Nothing was written, and the version answered is one a pull can reach now: the version the
    // first send took beside its reads was sealed when it changed nothing.
    expect(await recordsCollection(env.db, 'completions').countDocuments({ userId: device.userId })).toBe(0);
    expect(again.body.version).toBeLessThanOrEqual(await readVersion(env.db, device.userId));
  });

  it('refuses a gap in mutation ids with 409 and the id it expects', async () => {
    const device = new TestDevice(newUserId());
    await device.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    const res = await device.push([
      { id: 5, name: 'logWeight', args: { date: day(-1), value: 71, unit: 'kg' }, hlc: device.hlc() },
    ]);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'MutationIdGap', expected: 2 });
    expect(await recordsCollection(env.db, 'weights').countDocuments({ userId: device.userId })).toBe(1);
  });

  it('refuses a device id that belongs to another user with 403, writing nothing', async () => {
    const owner = new TestDevice(newUserId());
    await owner.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    const intruder = new TestDevice(newUserId(), { deviceId: owner.deviceId });
    intruder.nextMutationId = 2;
    const res = await intruder.push([
      intruder.envelope('logWeight', { date: day(-2), value: 90, unit: 'kg' }),
    ]);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'Forbidden' });
    expect(await recordsCollection(env.db, 'weights').countDocuments({ userId: intruder.userId })).toBe(0);
    const state = await syncStateCollection(env.db).findOne({ deviceId: owner.deviceId });
    expect(state).toMatchObject({ userId: owner.userId });
    const counter = await mutationIdsCollection(env.db).findOne({ _id: owner.deviceId });
    expect(counter).toMatchObject({ userId: owner.userId, lastMutationId: 1 });
  });

  it('answers 400 with issues for a malformed body and writes nothing', async () => {
    const userId = newUserId();
    const res = await call(pushHandler, {
      method: 'POST',
      path: '/api/sync/push',
      body: { deviceId: 'not a device', mutations: [{ id: 0, name: 'logWeight', args: {}, hlc: 'x' }] },
      userId,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'BadRequest', message: expect.any(String) });
    expect((res.body.issues as unknown[]).length).toBeGreaterThan(0);
    expect(await syncStateCollection(env.db).countDocuments({ userId })).toBe(0);
  });

  it('answers 401 without a signed-in user', async () => {
    const res = await call(pushHandler, {
      method: 'POST',
      path: '/api/sync/push',
      body: { deviceId: 'x', mutations: [] },
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'Unauthorized' });
  });

  it('registers the device on an empty push and reports where it stands', async () => {
    const device = new TestDevice(newUserId());
    const res = await device.push([]);
    expect(res.body).toEqual({ lastMutationId: 0, version: 0, results: [], serverTime: expect.any(Number) });
    expect(await syncStateCollection(env.db).countDocuments({ deviceId: device.deviceId })).toBe(1);
  });
});

describe("the push answer's records (stream)", () => {
  it('are left out when nothing was written: duplicates and rejections only', async () => {
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    const batch = [device.envelope('createTask', task)];
    expect((await device.push(batch)).body.stream).toBeDefined();
    const again = await device.push(batch);
    expect(again.body.results).toEqual([{ id: 1, status: 'duplicate' }]);
    expect(again.body.stream).toBeUndefined();
    const rejected = await device.push([
      device.envelope('completeTask', { taskId: 'no-such-task', date: day(0) }),
    ]);
    expect(rejected.body.results[0]?.status).toBe('rejected');
    expect(rejected.body.stream).toBeUndefined();
  });

  it('are left out of a push of several commits (more than one chunk), which the device pulls', async () => {
    const device = new TestDevice(newUserId());
    const mutations = Array.from({ length: 101 }, (_, i) =>
      device.envelope('logWeight', { date: day(-i), value: 70, unit: 'kg' }),
    );
    const res = await device.push(mutations);
    expect(res.body.results.filter((r) => r.status === 'applied')).toHaveLength(101);
    expect(res.body.stream).toBeUndefined();
  });

  it('are left out when they would not fit a poke', async () => {
    const device = new TestDevice(newUserId());
    const long = 'x'.repeat(119);
    const mutations = Array.from({ length: 100 }, (_, i) =>
      device.envelope('createTask', createTaskArgs({ title: `${long}${i}`.slice(0, 120) })),
    );
    const res = await device.push(mutations);
    expect(res.body.results.filter((r) => r.status === 'applied')).toHaveLength(100);
    expect(res.body.stream).toBeUndefined();
  });
});

describe('conflicts', () => {
  it('resolves edits that arrive out of clock order to the later edit', async () => {
    const userId = newUserId();
    const phone = new TestDevice(userId);
    const laptop = new TestDevice(userId);
    const t0 = Date.now() - 60_000;
    await phone.mutate('logWeight', { date: day(-1), value: 80, unit: 'kg' }, phone.hlc(t0 + 2_000));
    // The laptop's edit was made earlier but reaches the server later: it must lose.
    await laptop.mutate('logWeight', { date: day(-1), value: 70, unit: 'kg' }, laptop.hlc(t0 + 1_000));
    const weight = await recordsCollection(env.db, 'weights').findOne({ userId, id: day(-1) });
    expect(weight).toMatchObject({ value: 80 });
    const task = createTaskArgs();
    await phone.mutate('createTask', task, phone.hlc(t0));
    await phone.mutate('editTask', { id: task.id, title: 'Newer' }, phone.hlc(t0 + 5_000));
    await laptop.mutate('editTask', { id: task.id, title: 'Older' }, laptop.hlc(t0 + 4_000));
    expect(await recordsCollection(env.db, 'tasks').findOne({ userId, id: task.id })).toMatchObject({
      title: 'Newer',
    });
  });

  it('never resurrects a tombstone with an older edit', async () => {
    const userId = newUserId();
    const phone = new TestDevice(userId);
    const laptop = new TestDevice(userId);
    const t0 = Date.now() - 60_000;
    const task = createTaskArgs();
    await phone.mutate('createTask', task, phone.hlc(t0));
    await phone.mutate('completeTask', { taskId: task.id, date: day(-1) }, phone.hlc(t0 + 1_000));
    await phone.mutate('uncompleteTask', { taskId: task.id, date: day(-1) }, phone.hlc(t0 + 3_000));
    await laptop.mutate('completeTask', { taskId: task.id, date: day(-1) }, laptop.hlc(t0 + 2_000));
    await phone.mutate('deleteWeight', { date: day(-2) }, phone.hlc(t0 + 3_000));
    await laptop.mutate('logWeight', { date: day(-2), value: 75, unit: 'kg' }, laptop.hlc(t0 + 2_000));
    const completion = await recordsCollection(env.db, 'completions').findOne({ userId });
    expect(completion).toMatchObject({ deleted: true });
    expect(await recordsCollection(env.db, 'weights').findOne({ userId, id: day(-2) })).toMatchObject({
      deleted: true,
    });
    const pulled = await phone.pull(0);
    expect(pulled.body.changes.completions).toEqual([]);
    expect(pulled.body.changes.weights).toEqual([]);
  });
});
