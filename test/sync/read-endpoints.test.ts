// The read endpoints answer core's figures for the signed-in user's records.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as dashboard } from '../../functions/read/dashboard.ts';
import { handler as healthData } from '../../functions/read/health-data.ts';
import { handler as home } from '../../functions/read/home.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { call } from './call.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId, TODAY } from './fixtures.ts';

let env: AppDb;
let device: TestDevice;
const task = createTaskArgs({ title: 'Walk', points: 10 });

beforeAll(async () => {
  env = await startAppDb();
  device = new TestDevice(newUserId());
  await device.mutate('createTask', task);
  await device.mutate('completeTask', { taskId: task.id, date: day(-1) });
  await device.mutate('completeTask', { taskId: task.id, date: day(0) });
  await device.mutate('logWeight', { date: day(-8), value: 80, unit: 'kg' });
  await device.mutate('logWeight', { date: day(-1), value: 79, unit: 'kg' });
});
afterAll(() => env.stop());

describe('read endpoints', () => {
  it('GET /api/home?date= answers the day’s tasks with status and points, better %, streak', async () => {
    const res = await call(home, { path: '/api/home', query: { date: TODAY }, userId: device.userId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      date: TODAY,
      tasks: [{ id: task.id, title: 'Walk', points: 10, status: 'completed', earned: 10, archived: false }],
      progress: { done: 1, total: 1 },
      points: { day: 10, total: 20 },
      betterPercent: expect.any(Number),
      streak: expect.objectContaining({ current: 2 }),
    });
  });

  it('GET /api/health-data answers every weight with the trend', async () => {
    const res = await call(healthData, {
      path: '/api/health-data',
      query: { date: TODAY },
      userId: device.userId,
    });
    expect(res.status).toBe(200);
    expect((res.body.series as Array<{ date: string }>).map((p) => p.date)).toEqual([day(-8), day(-1)]);
    const noDate = await call(healthData, { path: '/api/health-data', userId: device.userId });
    expect(noDate.status).toBe(200);
  });

  it('GET /api/dashboard?date= answers the dashboard figures', async () => {
    const res = await call(dashboard, {
      path: '/api/dashboard',
      query: { date: TODAY },
      userId: device.userId,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ today: TODAY, points: expect.objectContaining({ total: 20 }) });
  });

  it('shows a user nothing of another user', async () => {
    const res = await call(home, { path: '/api/home', query: { date: TODAY }, userId: newUserId() });
    expect(res.body).toMatchObject({ tasks: [], points: { day: 0, total: 0 } });
  });

  it('answers 400 for an invalid date or one more than a year ahead, 401 when signed out', async () => {
    for (const date of ['2026-13-01', 'yesterday', day(400)]) {
      const res = await call(home, { path: '/api/home', query: { date }, userId: device.userId });
      expect(res.status, date).toBe(400);
    }
    expect((await call(dashboard, { path: '/api/dashboard', userId: device.userId })).status).toBe(400);
    expect((await call(home, { path: '/api/home', query: { date: TODAY } })).status).toBe(401);
  });
});
