// A write already past the authorizer when its account is deleted (the authorizer answered while the
// session still existed) must not bring the account back: it answers 401 and leaves nothing of the
// user behind, whether it runs after the deletion, during it, or several at once. Through the real
// handlers (delete-account, push, a per-mutation route, mark-synced) on the embedded server.
import { EJSON } from 'bson';
import { describe, expect, it } from 'vitest';
import { handler as deleteAccount } from '../../functions/auth/delete-account.ts';
import { handler as checkUpdate } from '../../functions/sync/check-update.ts';
import { handler as markSynced } from '../../functions/sync/mark-synced.ts';
import { handler as createTask } from '../../functions/tasks/create-task.ts';
import { useTestMongo } from '../support/mongo.ts';
import { call } from '../sync/call.ts';
import { TestDevice } from '../sync/devices.ts';
import { createTaskArgs } from '../sync/fixtures.ts';
import { createTestUser, type TestUser } from './harness/users.ts';

const mongo = useTestMongo();

/** An account with a session and a device that has pushed a task. */
async function accountWithDevice(): Promise<{ user: TestUser; device: TestDevice }> {
  const user = await createTestUser(mongo.db, 'race');
  const device = new TestDevice(user.userId);
  await device.mutate('createTask', createTaskArgs({ title: 'Before' }));
  return { user, device };
}

function deleteThe(user: TestUser) {
  return call(deleteAccount, {
    method: 'DELETE',
    path: '/api/auth/account',
    body: { password: user.password },
    userId: user.userId,
  });
}

/**
 * Every document in the database that names the user or one of its devices, but the deletion's own
 * short-lived mark, which must hold nothing but the id and its expiry.
 */
async function leftOf(userId: string, deviceIds: string[]): Promise<string[]> {
  const mark = await mongo.db.collection('deletedAccounts').findOne({ _id: userId as never });
  if (mark) expect(Object.keys(mark).sort()).toEqual(['_id', 'expiresAt']);
  const marks = [userId, ...deviceIds];
  const names = (await mongo.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  const found: string[] = [];
  for (const name of names.filter((n) => !n.startsWith('system.') && n !== 'deletedAccounts')) {
    for (const doc of await mongo.db.collection(name).find({}).toArray()) {
      const text = EJSON.stringify(doc, { relaxed: false });
      if (marks.some((mark) => text.includes(mark))) found.push(`${name}: ${text}`);
    }
  }
  return found;
}

describe('a write whose account is deleted while it is in flight', () => {
  it('a push that arrives after the deletion answers 401 and re-creates nothing', async () => {
    const { user, device } = await accountWithDevice();
    expect((await deleteThe(user)).status).toBe(204);
    expect(await leftOf(user.userId, [device.deviceId])).toEqual([]);
    const late = await device.push([device.envelope('createTask', createTaskArgs({ title: 'After' }))]);
    expect(await leftOf(user.userId, [device.deviceId])).toEqual([]);
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ error: 'Unauthorized', message: 'This account has been deleted' });
  });

  it('a new device’s first push, an empty push, a per-mutation write, a mark-synced and a new device’s check-update do too', async () => {
    const { user, device } = await accountWithDevice();
    expect((await deleteThe(user)).status).toBe(204);
    const fresh = new TestDevice(user.userId);
    const first = await fresh.push([fresh.envelope('createTask', createTaskArgs())]);
    const empty = await device.push([]);
    const perRoute = await call(createTask, {
      method: 'POST',
      path: '/api/tasks',
      body: createTaskArgs(),
      headers: {
        'x-device-id': device.deviceId,
        'x-mutation-id': String(device.nextMutationId),
        'x-hlc': device.hlc(),
      },
      userId: user.userId,
    });
    const marked = await call(markSynced, {
      method: 'POST',
      path: '/api/sync/mark-synced',
      body: { deviceId: device.deviceId, version: 1 },
      userId: user.userId,
    });
    const checked = await call(checkUpdate, {
      method: 'GET',
      path: '/api/sync/check-update',
      query: { deviceId: fresh.deviceId },
      userId: user.userId,
    });
    expect(await leftOf(user.userId, [device.deviceId, fresh.deviceId])).toEqual([]);
    expect([first.status, empty.status, perRoute.status, marked.status, checked.status]).toEqual([
      401, 401, 401, 401, 401,
    ]);
  });

  it('pushes racing the deletion leave nothing behind, whichever commits first', async () => {
    const { user, device } = await accountWithDevice();
    const others = Array.from({ length: 4 }, () => new TestDevice(user.userId));
    const pushes = [device, ...others].map((d) =>
      d.push(
        Array.from({ length: 5 }, (_, i) => d.envelope('createTask', createTaskArgs({ title: `T${i}` }))),
      ),
    );
    const [deleted, ...answers] = await Promise.all([deleteThe(user), ...pushes]);
    expect(deleted.status).toBe(204);
    for (const answer of answers) expect([200, 401]).toContain(answer.status);
    const deviceIds = [device, ...others].map((d) => d.deviceId);
    expect(await leftOf(user.userId, deviceIds)).toEqual([]);
  });
});
