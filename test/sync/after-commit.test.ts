// The after-commit hook (the real-time fan-out) fires once per request that committed something: once
// for a whole push batch (its highest version — one per transaction of up to a hundred mutations —
// and the union of what changed), once per per-mutation
// request, never for a request that committed nothing, and a failing hook never fails the write.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CommittedWrite, setAfterCommitListener } from '../../functions/lib/sync/after-commit.ts';
import { recordsCollection } from '../../functions/lib/sync/collections.ts';
import { handler as putWeight } from '../../functions/weights/put-weight.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { call } from './call.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

let env: AppDb;
let seen: CommittedWrite[] = [];
beforeAll(async () => {
  env = await startAppDb();
});
afterEach(() => {
  seen = [];
  setAfterCommitListener(undefined);
});
afterAll(() => env.stop());

function observe(): void {
  setAfterCommitListener(async (write) => {
    seen.push(write);
  });
}

/** The announcements without their records (checked on their own below). */
const announced = () => seen.map(({ stream: _, ...write }) => write);

const weight = (device: TestDevice, daysAgo: number) =>
  device.envelope('logWeight', { date: day(-daysAgo), value: 70 + (daysAgo % 5), unit: 'kg' });

describe('after-commit hook per push batch', () => {
  it.each([
    [1, 1],
    [7, 1],
    [25, 1],
    [250, 3],
  ])('fires once for a batch of %i mutations, at the highest version (%i)', async (n, version) => {
    observe();
    const device = new TestDevice(newUserId());
    const res = await device.push(Array.from({ length: n }, (_, i) => weight(device, i)));
    expect(res.body.results.filter((r) => r.status === 'applied')).toHaveLength(n);
    expect(announced()).toEqual([
      { userId: device.userId, version, sourceDeviceId: device.deviceId, collections: ['weights'] },
    ]);
  });

  it('names every collection the batch changed; rejections and duplicates add nothing', async () => {
    observe();
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    const batch = [
      device.envelope('createTask', task),
      device.envelope('completeTask', { taskId: createTaskArgs().id, date: day(0) }), // rejected
      device.envelope('completeTask', { taskId: task.id, date: day(0) }),
      weight(device, 1),
    ];
    const first = await device.push(batch);
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied', 'applied']);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.version).toBe(first.body.version);
    expect(seen[0]?.version).toBe(1);
    expect([...(seen[0]?.collections ?? [])].sort()).toEqual(['completions', 'tasks', 'weights']);
    const replay = await device.push(batch);
    expect(replay.body.results.map((r) => r.status)).toEqual([
      'duplicate',
      'rejected',
      'duplicate',
      'duplicate',
    ]);
    expect(seen).toHaveLength(1);
  });

  it('still announces what committed before a gap ended the batch', async () => {
    observe();
    const device = new TestDevice(newUserId());
    const batch = [weight(device, 0), weight(device, 1)];
    const gap = {
      id: 9,
      name: 'logWeight',
      args: { date: day(-2), value: 71, unit: 'kg' },
      hlc: device.hlc(),
    };
    const res = await device.push([...batch, gap]);
    expect(res.status).toBe(409);
    expect(await recordsCollection(env.db, 'weights').countDocuments({ userId: device.userId })).toBe(2);
    expect(announced()).toEqual([
      { userId: device.userId, version: 1, sourceDeviceId: device.deviceId, collections: ['weights'] },
    ]);
  });

  it('carries the records of a one-version write, exactly as a pull of that version brings them', async () => {
    observe();
    const device = new TestDevice(newUserId());
    await device.push([weight(device, 0)]);
    const task = createTaskArgs();
    const res = await device.push([device.envelope('createTask', task), weight(device, 1)]);
    const pulled = await device.pull(res.body.version - 1);
    expect(seen[1]?.stream).toEqual({
      fromVersion: res.body.version - 1,
      toVersion: res.body.version,
      changes: { tasks: pulled.body.changes.tasks, weights: pulled.body.changes.weights },
    });
  });

  it('carries no records when they would not fit a poke, or span versions', async () => {
    observe();
    const device = new TestDevice(newUserId());
    const long = (i: number) =>
      device.envelope('createTask', createTaskArgs({ title: `${'x'.repeat(110)}${i}`, order: i }));
    await device.push(Array.from({ length: 100 }, (_, i) => long(i))); // ~40 KB of records
    await device.push(Array.from({ length: 150 }, (_, i) => weight(device, i))); // two transactions
    expect(seen).toHaveLength(2);
    expect(seen.map((w) => w.stream)).toEqual([undefined, undefined]);
  });

  it('never fails the batch when the hook fails', async () => {
    setAfterCommitListener(async () => {
      throw new Error('fan-out down');
    });
    const device = new TestDevice(newUserId());
    const res = await device.push([weight(device, 0), weight(device, 1), weight(device, 2)]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await recordsCollection(env.db, 'weights').countDocuments({ userId: device.userId })).toBe(3);
  });
});

describe('after-commit hook per per-mutation request', () => {
  it('fires once per request that applied a change, and not for its replay', async () => {
    observe();
    const device = new TestDevice(newUserId());
    const put = (id: number, daysAgo: number) =>
      call(putWeight, {
        method: 'PUT',
        path: `/api/weights/${day(-daysAgo)}`,
        routePath: '/api/weights/{date}',
        pathParameters: { date: day(-daysAgo) },
        body: { value: 70, unit: 'kg' },
        userId: device.userId,
        headers: { 'x-device-id': device.deviceId, 'x-mutation-id': String(id), 'x-hlc': device.hlc() },
      });
    for (const [id, daysAgo] of [
      [1, 0],
      [2, 1],
      [3, 2],
    ] as const) {
      expect((await put(id, daysAgo)).status).toBe(200);
    }
    expect((await put(3, 2)).body).toMatchObject({ status: 'duplicate' });
    expect(seen.map((w) => w.version)).toEqual([1, 2, 3]);
  });
});
