// The write path under concurrency and failure: exactly once when the same push races itself, the
// after-commit hook fires once per committed write (never for a duplicate or a rejection), and an
// unreachable database answers 503 with Retry-After.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommittedWrite, setAfterCommitListener } from '../../functions/lib/sync/after-commit.ts';
import { mutationIdsCollection, recordsCollection } from '../../functions/lib/sync/collections.ts';
import { latestVersion, readVersion } from '../../functions/lib/sync/versions.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

let env: AppDb;
beforeAll(async () => {
  env = await startAppDb();
});
afterAll(async () => {
  setAfterCommitListener(undefined);
  await env.stop();
});

describe('write path', () => {
  it('applies a batch once when the same push is sent concurrently', async () => {
    const device = new TestDevice(newUserId());
    const task = createTaskArgs();
    const batch = [
      device.envelope('createTask', task),
      ...[1, 2, 3, 4].map((d) => device.envelope('completeTask', { taskId: task.id, date: day(-d) })),
    ];
    const answers = await Promise.all([device.push(batch), device.push(batch), device.push(batch)]);
    for (const answer of answers) expect(answer.status).toBe(200);
    const statuses = answers.flatMap((a) => a.body.results).filter((r) => r.status === 'applied');
    expect(statuses.map((r) => r.id).sort()).toEqual([1, 2, 3, 4, 5]);
    const completions = await recordsCollection(env.db, 'completions')
      .find({ userId: device.userId })
      .toArray();
    // One transaction wrote the whole batch, with one version (whichever of the racing sends' it was).
    expect(completions).toHaveLength(4);
    expect(new Set(completions.map((c) => c._v)).size).toBe(1);
    // The versions the losing sends took are closed: no pull waits for them.
    expect(await readVersion(env.db, device.userId)).toBe(await latestVersion(env.db, device.userId));
    expect(await mutationIdsCollection(env.db).findOne({ _id: device.deviceId })).toMatchObject({
      lastMutationId: 5,
    });
  });

  it('calls the after-commit hook once per committed change, with what changed', async () => {
    const seen: CommittedWrite[] = [];
    setAfterCommitListener(async (write) => {
      seen.push(write);
    });
    const device = new TestDevice(newUserId());
    const weight = device.envelope('logWeight', { date: day(0), value: 70, unit: 'kg' });
    await device.push([weight]);
    await device.push([weight]); // duplicate
    await device.push([device.envelope('completeTask', { taskId: createTaskArgs().id, date: day(0) })]); // rejected
    expect(seen).toEqual([
      {
        userId: device.userId,
        version: 1,
        sourceDeviceId: device.deviceId,
        collections: ['weights'],
        stream: {
          fromVersion: 0,
          toVersion: 1,
          changes: { weights: [expect.objectContaining({ id: day(0) })] },
        },
      },
    ]);
    setAfterCommitListener(async () => {
      throw new Error('fan-out down');
    });
    const res = await device.push([device.envelope('logWeight', { date: day(-1), value: 71, unit: 'kg' })]);
    expect(res.body.results).toEqual([{ id: 3, status: 'applied' }]); // a failed poke never fails the write
    setAfterCommitListener(undefined);
  });
});
