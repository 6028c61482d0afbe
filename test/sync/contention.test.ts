// One account, many devices writing at once: nothing they share may serialize their transactions.
// The write path runs on a client of its own with command monitoring, so the test sees every
// WriteConflict the server answered (the driver retries them silently) and every command a push
// costs.

import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationEnvelope } from '../../core/schemas.ts';
import { pull } from '../../functions/lib/sync/pull.ts';
import { push } from '../../functions/lib/sync/push.ts';
import { latestVersion, readVersion } from '../../functions/lib/sync/versions.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

let env: AppDb;
let client: MongoClient;
const failures: Array<{ command: string; code: number | undefined }> = [];
let started = 0;
/** `start <command> <collection>` / `end …` in the order the driver saw them. */
const timeline: string[] = [];
const names = new Map<number, string>();

beforeAll(async () => {
  env = await startAppDb();
  client = new MongoClient(env.uri, { monitorCommands: true });
  client.on('commandFailed', (event) => {
    failures.push({ command: event.commandName, code: (event.failure as { code?: number }).code });
  });
  client.on('commandStarted', (event) => {
    started += 1;
    const target = (event.command as Record<string, unknown>)[event.commandName];
    const name = `${event.commandName} ${typeof target === 'string' ? target : ''}`;
    names.set(event.requestId, name);
    timeline.push(`start ${name}`);
  });
  client.on('commandSucceeded', (event) => {
    timeline.push(`end ${names.get(event.requestId)}`);
  });
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await env.stop();
});

const WRITE_CONFLICT = 112;
const dbOf = () => client.db(env.db.databaseName);

function weights(device: TestDevice, count: number, offset: number): MutationEnvelope[] {
  return Array.from({ length: count }, (_, i) =>
    device.envelope('logWeight', { date: day(-(offset + i)), value: 60 + (i % 30), unit: 'kg' }),
  );
}

async function allWeights(userId: string): Promise<string[]> {
  const { changes } = await pull(env.db, userId, 0, ['weights']);
  return (changes.weights ?? []).map((w) => w.id);
}

describe('devices of one account writing at once', () => {
  it('ten devices pushing different records in parallel never conflict, and every change lands once', async () => {
    const userId = newUserId();
    const devices = Array.from({ length: 10 }, () => new TestDevice(userId));
    failures.length = 0;
    const rounds = 5;
    await Promise.all(
      devices.map(async (device, d) => {
        for (let round = 0; round < rounds; round += 1) {
          const batch = weights(device, 2, d * 100 + round * 2);
          const answer = await push({ db: dbOf(), userId, deviceId: device.deviceId, mutations: batch });
          expect(answer.lastMutationId).toBe(batch.at(-1)?.id);
          expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
        }
      }),
    );
    expect(failures.filter((f) => f.code === WRITE_CONFLICT)).toEqual([]);
    const ids = await allWeights(userId);
    expect(ids).toHaveLength(10 * rounds * 2);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('twenty parallel sends of one batch (a device retrying) apply it exactly once', async () => {
    const userId = newUserId();
    const device = new TestDevice(userId);
    const task = createTaskArgs();
    const batch = [device.envelope('createTask', task), ...weights(device, 5, 0)];
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        push({ db: dbOf(), userId, deviceId: device.deviceId, mutations: batch }),
      ),
    );
    for (const answer of answers) {
      expect(answer.lastMutationId).toBe(6);
      expect(answer.results.every((r) => r.status === 'applied' || r.status === 'duplicate')).toBe(true);
    }
    const appliedPerId = batch.map(
      (m) => answers.filter((a) => a.results.find((r) => r.id === m.id)?.status === 'applied').length,
    );
    expect(appliedPerId).toEqual([1, 1, 1, 1, 1, 1]);
    // Every version the attempts took is closed (committed or sealed): no pull waits for one.
    expect(await readVersion(env.db, userId)).toBe(await latestVersion(env.db, userId));
    expect((await allWeights(userId)).sort()).toEqual([0, 1, 2, 3, 4].map((i) => day(-i)).sort());
  });

  it('the largest push the schema allows costs a few commands per hundred mutations, not per mutation', async () => {
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
    const before = started;
    const answer = await push({ db: dbOf(), userId, deviceId: device.deviceId, mutations: batch });
    expect(started - before).toBeLessThanOrEqual(10 * 10);
    expect(answer.lastMutationId).toBe(1000);
    expect(answer.results.filter((r) => r.status === 'applied')).toHaveLength(1000);
    expect(await allWeights(userId)).toHaveLength(500);
    const { changes } = await pull(env.db, userId, 0, ['tasks']);
    expect(changes.tasks?.[0]?.title).toBe('t997');
  });

  it('a write takes its version beside reading its records, not after', async () => {
    const userId = newUserId();
    const device = new TestDevice(userId);
    const write = (i: number) =>
      push({ db: dbOf(), userId, deviceId: device.deviceId, mutations: weights(device, 1, i) });
    await write(0); // the first write also registers the device and opens the pool's connections
    timeline.length = 0;
    await write(1);
    const at = (event: string) => {
      const i = timeline.indexOf(event);
      expect(i, `${event} in ${timeline.join(', ')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // Overlapping: each started before the other ended.
    expect(at('start findAndModify syncVersions')).toBeLessThan(at('end find weights'));
    expect(at('start find weights')).toBeLessThan(at('end findAndModify syncVersions'));
  });

  it('reading the version after many writes counts their commit markers instead of reading each', async () => {
    const userId = newUserId();
    const device = new TestDevice(userId);
    for (let i = 0; i < 40; i += 1) {
      await push({ db: dbOf(), userId, deviceId: device.deviceId, mutations: weights(device, 1, i) });
    }
    timeline.length = 0;
    expect(await readVersion(dbOf(), userId)).toBe(40);
    expect(timeline).toContain('start aggregate syncCommits');
    expect(timeline).not.toContain('start find syncCommits');

    // A few unread markers (the usual pull after a change) are read as they are, without a count.
    for (let i = 40; i < 43; i += 1) {
      await push({ db: dbOf(), userId, deviceId: device.deviceId, mutations: weights(device, 1, i) });
    }
    timeline.length = 0;
    expect(await readVersion(dbOf(), userId)).toBe(43);
    expect(timeline).toContain('start find syncCommits');
    expect(timeline).not.toContain('start aggregate syncCommits');
  });
});
