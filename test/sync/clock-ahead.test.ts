// A broken or hostile clock: the server refuses stamps from beyond the drift bound (the mutation id is
// spent, so the queue moves on), and a far-future stamp stored before the bound existed never makes
// a later real edit lose.

import { describe, expect, it } from 'vitest';
import { createHlc, formatHlc, MAX_CLOCK_DRIFT_MS } from '../../core/hlc.ts';
import { recordsCollection } from '../../functions/lib/sync/collections.ts';
import { lastMutationIdOf } from '../../functions/lib/sync/mutation-ids.ts';
import { handler as putWeight } from '../../functions/weights/put-weight.ts';
import { useTestMongo } from '../support/mongo.ts';
import { call } from './call.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

const env = useTestMongo();

const farFuture = (device: TestDevice) => `999999999999999:999999:${device.deviceId}`;
const weightOf = async (userId: string, date: string) =>
  recordsCollection(env.db, 'weights').findOne({ userId, id: date });

describe('a stamp from beyond the drift bound', () => {
  it('is rejected as ClockAhead on push, its id spent, and the batch goes on', async () => {
    const device = new TestDevice(newUserId());
    const res = await device.push([
      device.envelope('logWeight', { date: day(0), value: 99, unit: 'kg' }, farFuture(device)),
      device.envelope('logWeight', { date: day(-1), value: 70, unit: 'kg' }),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(2);
    expect(res.body.results).toEqual([
      { id: 1, status: 'rejected', error: { code: 'ClockAhead', message: expect.stringContaining('ahead') } },
      { id: 2, status: 'applied' },
    ]);
    expect(await weightOf(device.userId, day(0))).toBeNull();
    expect(await weightOf(device.userId, day(-1))).toMatchObject({ value: 70 });
  });

  it('is refused just past the bound and accepted just within it', async () => {
    const device = new TestDevice(newUserId());
    const at = (ms: number) => formatHlc({ wallMs: Date.now() + ms, counter: 0, deviceId: device.deviceId });
    const res = await device.push([
      device.envelope('logWeight', { date: day(0), value: 71, unit: 'kg' }, at(MAX_CLOCK_DRIFT_MS + 5_000)),
      device.envelope('logWeight', { date: day(0), value: 72, unit: 'kg' }, at(MAX_CLOCK_DRIFT_MS - 5_000)),
    ]);
    expect(res.body.results.map((r) => r.error?.code ?? r.status)).toEqual(['ClockAhead', 'applied']);
  });

  it('is answered 409 ClockAhead by a per-mutation endpoint, and the id is spent', async () => {
    const device = new TestDevice(newUserId());
    const res = await call(putWeight, {
      method: 'PUT',
      path: `/api/weights/${day(0)}`,
      routePath: '/api/weights/{date}',
      pathParameters: { date: day(0) },
      body: { value: 80, unit: 'kg' },
      userId: device.userId,
      headers: { 'x-device-id': device.deviceId, 'x-mutation-id': '1', 'x-hlc': farFuture(device) },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'ClockAhead', status: 'rejected' });
    expect(await lastMutationIdOf(env.db, device.deviceId, 0)).toBe(1);
    expect(await weightOf(device.userId, day(0))).toBeNull();
  });
});

describe('a far-future stamp already stored', () => {
  it('loses to a later real edit, and a device that observed it keeps stamping', async () => {
    const userId = newUserId();
    const broken = new TestDevice(userId);
    const phone = new TestDevice(userId);
    const task = createTaskArgs();
    await phone.mutate('createTask', task);
    await phone.mutate('logWeight', { date: day(0), value: 70, unit: 'kg' });
    // Written before the server guarded against it.
    await recordsCollection(env.db, 'weights').updateOne(
      { userId, id: day(0) },
      { $set: { value: 99, hlc: farFuture(broken) } },
    );
    await recordsCollection(env.db, 'tasks').updateOne(
      { userId, id: task.id },
      { $set: { title: 'Broken', 'clocks.title': farFuture(broken), hlc: farFuture(broken) } },
    );
    const clock = createHlc(phone.deviceId, Date.now);
    const pulled = await phone.pull(0);
    for (const list of Object.values(pulled.body.changes)) for (const r of list ?? []) clock.observe(r.hlc);
    const weight = await phone.mutate('logWeight', { date: day(0), value: 68, unit: 'kg' }, clock.next());
    const title = await phone.mutate('editTask', { id: task.id, title: 'Walk' }, clock.next());
    expect(weight.results).toEqual([{ id: 3, status: 'applied' }]);
    expect(title.results).toEqual([{ id: 4, status: 'applied' }]);
    expect(await weightOf(userId, day(0))).toMatchObject({ value: 68 });
    expect(await recordsCollection(env.db, 'tasks').findOne({ userId, id: task.id })).toMatchObject({
      title: 'Walk',
    });
  });
});

describe('server time', () => {
  it('is in every push, pull and check-update answer', async () => {
    const device = new TestDevice(newUserId());
    const before = Date.now();
    const pushed = await device.push([]);
    const pulled = await device.pull(0);
    for (const body of [pushed.body, pulled.body]) {
      expect(body.serverTime).toBeGreaterThanOrEqual(before);
      expect(body.serverTime).toBeLessThanOrEqual(Date.now());
    }
  });
});
