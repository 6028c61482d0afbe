// The compatibility endpoints (docs/rules.md) keep their request and response fields, made race-free by versions.

import { describe, expect, it } from 'vitest';
import { syncStateCollection } from '../../functions/lib/sync/collections.ts';
import { handler as checkUpdate } from '../../functions/sync/check-update.ts';
import { handler as markSynced } from '../../functions/sync/mark-synced.ts';
import { handler as markUpdate } from '../../functions/sync/mark-update.ts';
import { handler as notifyChange } from '../../functions/sync/notify-change.ts';
import { useTestMongo } from '../support/mongo.ts';
import { call } from './call.ts';
import { newTestDeviceId, TestDevice } from './devices.ts';
import { day, newUserId } from './fixtures.ts';

const env = useTestMongo();

const check = (userId: string | undefined, deviceId: string) =>
  call(checkUpdate, { path: '/api/sync/check-update', query: { deviceId }, ...(userId ? { userId } : {}) });
const post = (handler: typeof markSynced, path: string, userId: string, body: unknown) =>
  call(handler, { method: 'POST', path, body, userId });

describe('check-update', () => {
  it('registers a device on first call and answers the original fields plus version and collections', async () => {
    const userId = newUserId();
    const deviceId = newTestDeviceId();
    const res = await check(userId, deviceId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      needsUpdate: false,
      lastSync: null,
      version: 0,
      collections: [],
      serverTime: expect.any(Number),
    });
    const state = await syncStateCollection(env.db).findOne({ deviceId });
    expect(state).toMatchObject({
      userId,
      deviceId,
      needsUpdate: false,
      lastMutationId: 0,
      syncedVersion: 0,
    });
    expect(state?.lastSeen).toBeInstanceOf(Date);
  });

  it('tells a new device of a user with data that it needs everything', async () => {
    const device = new TestDevice(newUserId());
    await device.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    const res = await check(device.userId, newTestDeviceId());
    expect(res.body).toMatchObject({ needsUpdate: true, version: 1 });
    expect(res.body.collections).toEqual(
      expect.arrayContaining(['tasks', 'completions', 'weights', 'settings']),
    );
  });

  it('flags the other devices, with the changed collections, when one device writes', async () => {
    const userId = newUserId();
    const writer = new TestDevice(userId);
    const reader = newTestDeviceId();
    await check(userId, reader);
    await check(userId, writer.deviceId);
    await writer.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    expect((await check(userId, reader)).body).toMatchObject({
      needsUpdate: true,
      version: 1,
      collections: ['weights'],
    });
    expect((await check(userId, writer.deviceId)).body).toMatchObject({ needsUpdate: false, version: 1 });
  });

  it('answers 400 without a device id, 401 without a user, 403 for another user’s device', async () => {
    const userId = newUserId();
    expect((await call(checkUpdate, { path: '/api/sync/check-update', userId })).status).toBe(400);
    expect((await check(undefined, newTestDeviceId())).status).toBe(401);
    const deviceId = newTestDeviceId();
    await check(userId, deviceId);
    const other = await check(newUserId(), deviceId);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: 'Forbidden' });
  });
});

describe('mark-update, mark-synced, notify-change', () => {
  it('mark-update flags the device; mark-synced at the current version clears it', async () => {
    const userId = newUserId();
    const deviceId = newTestDeviceId();
    expect((await post(markUpdate, '/api/sync/mark-update', userId, { deviceId })).body).toEqual({
      ok: true,
    });
    expect((await check(userId, deviceId)).body).toMatchObject({ needsUpdate: true });
    const synced = await post(markSynced, '/api/sync/mark-synced', userId, { deviceId, version: 0 });
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ ok: true, needsUpdate: false, lastSync: expect.any(String) });
    expect(Number.isNaN(Date.parse(String(synced.body.lastSync)))).toBe(false);
    expect((await check(userId, deviceId)).body).toMatchObject({
      needsUpdate: false,
      lastSync: synced.body.lastSync,
    });
  });

  it('notify-change flags every other device of the user and says how many', async () => {
    const userId = newUserId();
    const [source, a, b] = [newTestDeviceId(), newTestDeviceId(), newTestDeviceId()];
    for (const id of [source, a, b]) await check(userId, id);
    await check(newUserId(), newTestDeviceId()); // someone else's device is never touched
    const res = await post(notifyChange, '/api/sync/notify-change', userId, {
      sourceDeviceId: source,
      collections: ['weights'],
    });
    expect(res.body).toEqual({ ok: true, version: 0, notified: 2 });
    expect((await check(userId, a)).body).toMatchObject({ needsUpdate: true, collections: ['weights'] });
    expect((await check(userId, source)).body).toMatchObject({ needsUpdate: false });
  });

  it('rejects unknown collections and malformed bodies with 400', async () => {
    const userId = newUserId();
    const bad = await post(notifyChange, '/api/sync/notify-change', userId, {
      sourceDeviceId: newTestDeviceId(),
      collections: ['passwords'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ path: 'collections.0' })]);
    const neg = await post(markSynced, '/api/sync/mark-synced', userId, {
      deviceId: newTestDeviceId(),
      version: -1,
    });
    expect(neg.status).toBe(400);
    const notJson = await call(markUpdate, {
      method: 'POST',
      path: '/api/sync/mark-update',
      body: '{"deviceId":',
      userId,
    });
    expect(notJson.status).toBe(400);
  });
});

describe('the check-update / mark-synced race', () => {
  it('keeps needsUpdate when a change lands between a device’s pull and its mark-synced', async () => {
    const userId = newUserId();
    const writer = new TestDevice(userId);
    const reader = new TestDevice(userId);
    await check(userId, reader.deviceId);
    await writer.mutate('logWeight', { date: day(-1), value: 70, unit: 'kg' });
    const pulled = await reader.pull(0);
    expect(pulled.body.version).toBe(1);
    // Lands after the pull, before mark-synced:
    await writer.mutate('logWeight', { date: day(0), value: 71, unit: 'kg' });
    const synced = await post(markSynced, '/api/sync/mark-synced', userId, {
      deviceId: reader.deviceId,
      version: pulled.body.version,
    });
    expect(synced.body).toMatchObject({ ok: true, needsUpdate: true });
    expect((await check(userId, reader.deviceId)).body).toMatchObject({ needsUpdate: true, version: 2 });
    const next = await reader.pull(pulled.body.version);
    expect(next.body.changes.weights?.map((w) => w.id)).toEqual([day(0)]);
    const caughtUp = await post(markSynced, '/api/sync/mark-synced', userId, {
      deviceId: reader.deviceId,
      version: next.body.version,
    });
    expect(caughtUp.body).toMatchObject({ needsUpdate: false });
  });

  it('is race-free for a client of the original polling design too (mark-synced without a version)', async () => {
    const userId = newUserId();
    const writer = new TestDevice(userId);
    const reader = newTestDeviceId();
    await check(userId, reader);
    await writer.mutate('logWeight', { date: day(-1), value: 70, unit: 'kg' });
    expect((await check(userId, reader)).body).toMatchObject({ needsUpdate: true, version: 1 });
    // …that client refetches everything here, then a change lands before its mark-synced:
    await writer.mutate('logWeight', { date: day(0), value: 71, unit: 'kg' });
    const synced = await post(markSynced, '/api/sync/mark-synced', userId, { deviceId: reader });
    expect(synced.body).toMatchObject({ needsUpdate: true });
    expect((await check(userId, reader)).body).toMatchObject({ needsUpdate: true, version: 2 });
    expect(
      (await post(markSynced, '/api/sync/mark-synced', userId, { deviceId: reader })).body,
    ).toMatchObject({
      needsUpdate: false,
    });
  });

  it('never clears a device that is still behind the user’s version', async () => {
    const userId = newUserId();
    const deviceId = newTestDeviceId();
    await post(markUpdate, '/api/sync/mark-update', userId, { deviceId });
    const writer = new TestDevice(userId);
    await writer.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    const res = await post(markSynced, '/api/sync/mark-synced', userId, { deviceId, version: 0 });
    expect(res.body).toMatchObject({ needsUpdate: true });
  });
});
