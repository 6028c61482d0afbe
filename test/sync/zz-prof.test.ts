import { afterAll, beforeAll, it } from 'vitest';
import { push } from '../../functions/lib/sync/push.ts';
import { TestDevice } from '../../test/sync/devices.ts';
import { createTaskArgs, day, newUserId } from '../../test/sync/fixtures.ts';
import { type SyncDb, startSyncDb } from '../../test/sync/sync-db.ts';

let env: SyncDb;
beforeAll(async () => {
  env = await startSyncDb();
});
afterAll(() => env.stop());
it('prof', async () => {
  for (let round = 0; round < 3; round++) {
    const userId = newUserId();
    const device = new TestDevice(userId);
    const task = createTaskArgs();
    const batch = [
      device.envelope('createTask', task),
      ...Array.from({ length: 999 }, (_, i) =>
        i % 2 === 0
          ? device.envelope('logWeight', { date: day(-i), value: 70, unit: 'kg' })
          : device.envelope('editTask', { id: task.id, title: `t${i}` }),
      ),
    ];
    const t0 = performance.now();
    await push({ db: env.db, userId, deviceId: device.deviceId, mutations: batch });
    console.log('push ms', performance.now() - t0);
  }
}, 60000);
