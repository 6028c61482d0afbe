// GET /api/sync/pull: versioned deltas with tombstones, full snapshots, resets, compression.

import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { pullResponseSchema } from '../../core/schemas.ts';
import { recordsCollection, versionsCollection } from '../../functions/lib/sync/collections.ts';
import {
  allocateVersion,
  markCommitted,
  readVersion,
  SEAL_AFTER_MS,
  STABLE_STEP,
} from '../../functions/lib/sync/versions.ts';
import { handler as pullHandler } from '../../functions/sync/pull.ts';
import { useTestMongo } from '../support/mongo.ts';
import { call } from './call.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

const env = useTestMongo();

/** What the write transaction does with its version: the record and the commit marker, atomically. */
async function commitRecord(userId: string, date: string, version: number, hlc: string): Promise<void> {
  await env.db.client.withSession((session) =>
    session.withTransaction(async () => {
      const weight = { userId, id: date, date, value: 71, unit: 'kg', hlc, _v: version };
      await recordsCollection(env.db, 'weights').insertOne(weight, { session });
      await markCommitted(env.db, userId, version, session);
    }),
  );
}

describe('pull', () => {
  it('since=0 is a full snapshot of live records in core’s record shapes, without server fields', async () => {
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    await device.mutate('createTask', task);
    await device.mutate('completeTask', { taskId: task.id, date: day(-1) });
    await device.mutate('logWeight', { date: day(-1), value: 70, unit: 'kg' });
    await device.mutate('deleteWeight', { date: day(-1) });
    await device.mutate('updateSettings', { unit: 'lb' });
    const res = await device.pull(0);
    expect(res.status).toBe(200);
    expect(v.safeParse(pullResponseSchema, res.body).success).toBe(true);
    expect(res.body.version).toBe(5);
    expect(res.body.reset).toBeUndefined();
    const { tasks, completions, weights, settings } = res.body.changes;
    expect(tasks?.map((t) => t.id)).toEqual([task.id]);
    expect(completions).toHaveLength(1);
    expect(weights).toEqual([]); // a full snapshot needs no tombstones
    expect(settings).toEqual([expect.objectContaining({ id: 'settings', unit: 'lb' })]);
    for (const record of [...(tasks ?? []), ...(completions ?? [])]) {
      expect(Object.keys(record)).not.toEqual(expect.arrayContaining(['_id']));
      expect(record).not.toHaveProperty('userId');
      expect(record).not.toHaveProperty('_v');
    }
  });

  it('a delta carries only what changed after `since`, tombstones included', async () => {
    const device = new TestDevice(newUserId());
    await device.mutate('logWeight', { date: day(-2), value: 70, unit: 'kg' });
    await device.mutate('logWeight', { date: day(-1), value: 71, unit: 'kg' });
    const base = (await device.pull(0)).body.version;
    await device.mutate('deleteWeight', { date: day(-2) });
    const delta = await device.pull(base);
    expect(delta.body.version).toBe(base + 1);
    expect(delta.body.changes).toEqual({
      tasks: [],
      completions: [],
      weights: [{ id: day(-2), hlc: expect.any(String), deleted: true }],
      settings: [],
    });
    const nothing = await device.pull(delta.body.version);
    expect(nothing.body).toEqual({
      version: delta.body.version,
      changes: { tasks: [], completions: [], weights: [], settings: [] },
      serverTime: expect.any(Number),
    });
  });

  it('reads only the changed records for a delta, however long the history (index span)', async () => {
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    await device.mutate('createTask', task);
    for (let d = 1; d <= 60; d += 1) await device.mutate('completeTask', { taskId: task.id, date: day(-d) });
    const base = (await device.pull(0)).body.version;
    await device.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    // The embedded server counts decoded documents as MongoDB does (serverStatus metrics).
    const scanned = async () =>
      (await env.db.admin().command({ serverStatus: 1 })).metrics.queryExecutor.scannedObjects as number;
    const before = await scanned();
    const delta = await device.pull(base);
    expect(delta.body.changes.weights).toHaveLength(1);
    // The one new weight, and the completion stamped with version `since`, which the inclusive index
    // bound reads and the filter drops: not the 61 older records; and the same two for the commit
    // markers above the user's `stable` version. (The version document is read by _id, which the
    // embedded server does not count.)
    expect((await scanned()) - before).toBeLessThanOrEqual(4);
  });

  it('moves the stable floor in steps, so a pull after one change writes nothing', async () => {
    const device = new TestDevice(newUserId());
    const stable = async () => (await versionsCollection(env.db).findOne({ _id: device.userId }))?.stable;
    await device.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    expect((await device.pull(0)).body.version).toBe(1);
    expect(await stable()).toBe(0);
    for (let i = 1; i < STABLE_STEP; i += 1) {
      await device.mutate('logWeight', { date: day(-i), value: 70, unit: 'kg' });
    }
    const pulled = await device.pull(0);
    expect(pulled.body.version).toBe(STABLE_STEP);
    expect(pulled.body.changes.weights).toHaveLength(STABLE_STEP);
    expect(await stable()).toBe(STABLE_STEP);
  });

  it('never passes a version still in flight, even when a later one committed first', async () => {
    const device = new TestDevice(newUserId());
    const { userId } = device;
    await device.mutate('logWeight', { date: day(-1), value: 70, unit: 'kg' });
    // Two writers take versions 2 and 3; the second commits first (its record and marker at once).
    const slow = await allocateVersion(env.db, userId);
    const fast = await allocateVersion(env.db, userId);
    await commitRecord(userId, day(0), fast, device.hlc());
    const first = await device.pull(0);
    expect(first.body.version).toBe(1);
    expect(first.body.changes.weights?.map((w) => w.id)).toEqual([day(-1)]);
    await commitRecord(userId, day(-2), slow, device.hlc());
    const second = await device.pull(first.body.version);
    expect(second.body.version).toBe(3);
    expect(second.body.changes.weights?.map((w) => w.id).sort()).toEqual([day(-2), day(0)].sort());
  });

  it('treats the versions of a database written before commit markers existed as committed', async () => {
    const device = new TestDevice(newUserId());
    const { userId } = device;
    // A user from before: records stamped 1..3 and a counter at 3, no markers, no `stable`.
    for (const v of [1, 2, 3]) {
      const date = day(-v);
      const weight = { userId, id: date, date, value: 70, unit: 'kg', hlc: device.hlc(), _v: v };
      await recordsCollection(env.db, 'weights').insertOne(weight);
    }
    await versionsCollection(env.db).insertOne({ _id: userId, version: 3 });
    expect((await device.pull(0)).body.version).toBe(3);
    await device.mutate('logWeight', { date: day(0), value: 71, unit: 'kg' });
    const after = await device.pull(3);
    expect(after.body.version).toBe(4);
    expect(after.body.changes.weights?.map((w) => w.id)).toEqual([day(0)]);
  });

  it('seals a version whose writer vanished once it is old, and its writer can then never commit', async () => {
    const device = new TestDevice(newUserId());
    const { userId } = device;
    await device.mutate('logWeight', { date: day(-1), value: 70, unit: 'kg' });
    const lost = await allocateVersion(env.db, userId);
    expect(await readVersion(env.db, userId)).toBe(1);
    expect(await readVersion(env.db, userId, Date.now() + SEAL_AFTER_MS + 1_000)).toBe(lost);
    await expect(commitRecord(userId, day(0), lost, device.hlc())).rejects.toMatchObject({ code: 11000 });
    expect(await recordsCollection(env.db, 'weights').countDocuments({ userId, id: day(0) })).toBe(0);
  });

  it('returns only the collections asked for', async () => {
    const device = new TestDevice(newUserId());
    await device.mutate('createTask', createTaskArgs());
    await device.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    const res = await device.pull(0, 'weights');
    expect(Object.keys(res.body.changes)).toEqual(['weights']);
    expect(res.body.changes.weights).toHaveLength(1);
  });

  it('never shows one user another user’s records', async () => {
    const mine = new TestDevice(newUserId());
    const theirs = new TestDevice(newUserId());
    await theirs.mutate('logWeight', { date: day(0), value: 99, unit: 'kg' });
    const res = await mine.pull(0);
    expect(res.body.version).toBe(0);
    expect(res.body.changes.weights).toEqual([]);
  });

  it('answers reset with a full snapshot when the device is ahead of the server (lost state)', async () => {
    const device = new TestDevice(newUserId());
    await device.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    await versionsCollection(env.db).updateOne({ _id: device.userId }, { $set: { version: 1 } });
    const res = await device.pull(40);
    expect(res.body).toMatchObject({ reset: true, version: 1 });
    expect(res.body.changes.weights).toHaveLength(1);
  });

  it('rejects a bad since or an unknown collection with 400', async () => {
    const userId = newUserId();
    const queries: Record<string, string>[] = [
      { since: '-1' },
      { since: 'abc' },
      { since: '1', collections: 'tasks,secrets' },
    ];
    for (const query of queries) {
      const res = await call(pullHandler, { path: '/api/sync/pull', query, userId });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body).toMatchObject({ error: 'BadRequest' });
    }
  });

  it('compresses a large snapshot per Accept-Encoding', async () => {
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    await device.mutate('createTask', task);
    for (let d = 1; d <= 30; d += 1) await device.mutate('completeTask', { taskId: task.id, date: day(-d) });
    const res = await device.pull(0);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.wireBytes).toBeLessThan(JSON.stringify(res.body).length);
    expect(res.body.changes.completions).toHaveLength(30);
  });
});
