// Three devices push concurrently while two others pull: every puller that pulls until caught up
// sees every change exactly once, versions strictly increase, and nothing is missed.

import { describe, expect, it } from 'vitest';
import type { PullResponse } from '../../core/schemas.ts';
import { useTestMongo } from '../support/mongo.ts';
import { TestDevice } from './devices.ts';
import { createTaskArgs, day, newUserId } from './fixtures.ts';

const _env = useTestMongo();

type Seen = Map<string, Record<string, unknown>>;

interface PullLog {
  versions: number[];
  deliveries: string[]; // collection/id/hlc of every record received
  state: Seen; // the puller's replica: deltas applied in order
}

function applyPull(log: PullLog, body: PullResponse): void {
  // Versions of pulls that brought something: each must be newer than the last.
  if (Object.values(body.changes).some((records) => (records ?? []).length > 0))
    log.versions.push(body.version);
  for (const [collection, records] of Object.entries(body.changes)) {
    for (const record of records ?? []) {
      log.deliveries.push(`${collection}/${record.id}/${record.hlc}`);
      log.state.set(`${collection}/${record.id}`, record as Record<string, unknown>);
    }
  }
}

async function puller(
  device: TestDevice,
  writersDone: () => boolean,
  finalVersion: () => number,
): Promise<PullLog> {
  const log: PullLog = { versions: [], deliveries: [], state: new Map() };
  let since = 0;
  for (;;) {
    const res = await device.pull(since);
    if (res.status !== 200) throw new Error(`pull → ${res.status}`);
    applyPull(log, res.body);
    since = res.body.version;
    if (writersDone() && since >= finalVersion()) return log;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * Each writer logs its own weights (distinct records) and edits one shared task (a conflict). Like a
 * real outbox it resends whatever a push did not acknowledge.
 */
async function writer(device: TestDevice, index: number, taskId: string, rounds: number): Promise<number[]> {
  const versions: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    let batch = [
      device.envelope('logWeight', { date: day(-(index * 100 + round)), value: 60 + round, unit: 'kg' }),
    ];
    if (round % 2 === 0)
      batch.push(device.envelope('editTask', { id: taskId, title: `w${index} r${round}` }));
    while (batch.length > 0) {
      const res = await device.push(batch);
      if (res.status !== 200) throw new Error(`push → ${res.status} ${JSON.stringify(res.body)}`);
      for (const result of res.body.results) expect(result.status).not.toBe('rejected');
      batch = batch.filter((m) => m.id > res.body.lastMutationId);
      versions.push(res.body.version);
    }
  }
  return versions;
}

async function raceOnce(rounds: number): Promise<void> {
  const userId = newUserId();
  const setup = new TestDevice(userId);
  const task = createTaskArgs();
  await setup.mutate('createTask', task);
  const writers = [0, 1, 2].map(() => new TestDevice(userId));
  const pullers = [0, 1].map(() => new TestDevice(userId));
  let done = false;
  let finalVersion = Number.POSITIVE_INFINITY;
  const pulling = pullers.map((p) =>
    puller(
      p,
      () => done,
      () => finalVersion,
    ),
  );
  const written = await Promise.all(writers.map((w, i) => writer(w, i + 1, task.id, rounds)));
  const snapshot = await setup.pull(0);
  finalVersion = snapshot.body.version;
  done = true;
  const logs = await Promise.all(pulling);

  // 1 create + per writer `rounds` pushes, each a version of its own (with its edit of the shared
  // task, if any); an attempt that conflicted on the shared task and was retried seals its version.
  expect(finalVersion).toBeGreaterThanOrEqual(1 + 3 * rounds);
  expect(finalVersion).toBeLessThanOrEqual(1 + 3 * rounds * 4);
  for (const versions of written) {
    for (let i = 1; i < versions.length; i += 1)
      expect(versions[i]).toBeGreaterThanOrEqual(versions[i - 1] ?? 0);
  }
  const expectedState: Seen = new Map();
  applyPull({ versions: [], deliveries: [], state: expectedState }, snapshot.body);
  for (const log of logs) {
    for (let i = 1; i < log.versions.length; i += 1) {
      expect(log.versions[i]).toBeGreaterThan(log.versions[i - 1] ?? 0);
    }
    expect(new Set(log.deliveries).size).toBe(log.deliveries.length); // nothing twice
    expect(log.state).toEqual(expectedState); // nothing missed
    const weights = log.deliveries.filter((d) => d.startsWith('weights/'));
    expect(weights).toHaveLength(3 * rounds); // each distinct record exactly once
  }
}

describe('concurrent pushes and pulls', () => {
  // Generous timeout: the machine running the suite may be shared; this asserts ordering, not speed.
  it('delivers every change exactly once to every puller, run after run', { timeout: 180_000 }, async () => {
    for (let run = 0; run < 5; run += 1) await raceOnce(6);
  });
});
