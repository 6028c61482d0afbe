// The sync endpoints end to end through the local gateway: real HTTP, the route table, the Lambda
// authorizer with a real session cookie, the handler modules and the embedded database.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc } from '../../core/hlc.ts';
import { newDeviceId } from '../../core/ids.ts';
import { ensureIndexes } from '../../functions/lib/indexes.ts';
import { getDb } from '../../functions/lib/mongo.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { createTaskArgs, day, TODAY } from './fixtures.ts';

let env: AppDb;
let gateway: LocalGateway;
let webRoot: string;
let cookie: string;

beforeAll(async () => {
  env = await startAppDb();
  await ensureIndexes(await getDb());
  webRoot = await mkdtemp(join(tmpdir(), 'sync-gw-'));
  gateway = await createLocalGateway({ port: 0, webRoot });
  const signup = await fetch(`${gateway.url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'sync-gateway@example.com', password: 'correct horse battery staple' }),
  });
  expect(signup.status).toBe(201);
  cookie = (signup.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
});
afterAll(async () => {
  await gateway.close();
  await env.stop();
  await rm(webRoot, { recursive: true, force: true });
});

function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('sync through the local gateway', () => {
  it('check-update → per-mutation write → push → pull → mark-synced, as a device does', async () => {
    const deviceId = newDeviceId();
    const check = await api('GET', `/api/sync/check-update?deviceId=${deviceId}`);
    expect(await check.json()).toEqual({
      needsUpdate: false,
      lastSync: null,
      version: 0,
      collections: [],
      serverTime: expect.any(Number),
    });

    const task = createTaskArgs();
    const hlc = (n: number) => formatHlc({ wallMs: Date.now(), counter: n, deviceId });
    const created = await api('POST', '/api/tasks', task, {
      'x-device-id': deviceId,
      'x-mutation-id': '1',
      'x-hlc': hlc(1),
    });
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ version: 1, status: 'applied' });

    const pushed = await api('POST', '/api/sync/push', {
      deviceId,
      mutations: [{ id: 2, name: 'completeTask', args: { taskId: task.id, date: day(0) }, hlc: hlc(2) }],
    });
    expect(await pushed.json()).toEqual({
      lastMutationId: 2,
      version: 2,
      results: [{ id: 2, status: 'applied' }],
      // The one commit's records, as its poke carries them: a device at version 1 need not pull.
      stream: {
        fromVersion: 1,
        toVersion: 2,
        changes: {
          completions: [expect.objectContaining({ id: `${task.id}:${day(0)}`, status: 'completed' })],
        },
      },
      serverTime: expect.any(Number),
    });

    const pulled = await api('GET', '/api/sync/pull?since=1');
    const body = (await pulled.json()) as { version: number; changes: Record<string, unknown[]> };
    expect(body.version).toBe(2);
    expect(body.changes.completions).toEqual([
      expect.objectContaining({ id: `${task.id}:${day(0)}`, status: 'completed' }),
    ]);
    expect(body.changes.tasks).toEqual([]);

    const synced = await api('POST', '/api/sync/mark-synced', { deviceId, version: 2 });
    expect(await synced.json()).toMatchObject({ ok: true, needsUpdate: false });
    const home = await api('GET', `/api/home?date=${TODAY}`);
    expect(await home.json()).toMatchObject({ progress: { done: 1, total: 1 } });
  });

  it('answers 401 without a session and compresses a large pull', async () => {
    // No cookie: the gateway refuses before any function runs, as API Gateway does.
    expect((await fetch(`${gateway.url}/api/sync/pull?since=0`)).status).toBe(401);
    const forged = await fetch(`${gateway.url}/api/sync/pull?since=0`, { headers: { cookie: 'sid=forged' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: 'Unauthorized' });
    const deviceId = newDeviceId();
    const mutations = Array.from({ length: 40 }, (_, i) => ({
      id: i + 1,
      name: 'logWeight',
      args: { date: day(-i), value: 70 + (i % 5), unit: 'kg' },
      hlc: formatHlc({ wallMs: Date.now(), counter: i, deviceId }),
    }));
    expect((await api('POST', '/api/sync/push', { deviceId, mutations })).status).toBe(200);
    const res = await api('GET', '/api/sync/pull?since=0', undefined, { 'accept-encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(((await res.json()) as { changes: { weights: unknown[] } }).changes.weights).toHaveLength(40);
  });
});
