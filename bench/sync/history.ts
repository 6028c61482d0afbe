// Ten years of one user's history, made by core's own mutations (so every record has the shape the
// app writes) and stored as if each had been its own write: `_v` = 1…N, the user's version = N.
import type { Db } from 'mongodb';
import { addDays, type LocalDate, weekdayOf } from '../../core/dates.ts';
import { formatHlc } from '../../core/hlc.ts';
import { newId } from '../../core/ids.ts';
import { applyMutation } from '../../core/mutations/index.ts';
import { MemoryTx } from '../../core/store.ts';
import { recordsCollection, versionsCollection } from '../../functions/lib/sync/collections.ts';

const TASKS = [
  { title: 'Morning stretch', points: 5, weekdays: [0, 1, 2, 3, 4, 5, 6] },
  { title: 'Read 20 pages', points: 10, weekdays: [0, 1, 2, 3, 4, 5, 6] },
  { title: 'Run', points: 20, weekdays: [1, 3, 5] },
  { title: 'Strength training', points: 20, weekdays: [2, 4] },
  { title: 'Meal prep', points: 15, weekdays: [0] },
  { title: 'No sugar', points: 10, weekdays: [1, 2, 3, 4, 5] },
];

/** A deterministic pseudo-random sequence, so every run benchmarks the same data. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

export interface History {
  records: number;
  version: number;
}

export function buildHistory(today: LocalDate, years: number): MemoryTx {
  const tx = new MemoryTx();
  const deviceId = 'device_1600000000000_bench';
  const nowMs = Date.now();
  let clock = nowMs - years * 366 * 86_400_000;
  const apply = (name: string, args: unknown) => {
    clock += 1;
    applyMutation(
      tx,
      { name, args, hlc: formatHlc({ wallMs: clock, counter: 0, deviceId }) },
      { deviceId, nowMs },
    );
  };
  const start = addDays(today, -years * 365);
  const ids = TASKS.map((task, order) => {
    const id = newId();
    apply('createTask', { id, ...task, createdOn: start, order });
    return id;
  });
  const random = rng(42);
  for (let date = start; date <= today; date = addDays(date, 1)) {
    TASKS.forEach((task, i) => {
      if (!task.weekdays.includes(weekdayOf(date))) return;
      const r = random();
      if (r < 0.82) apply('completeTask', { taskId: ids[i], date });
      else if (r < 0.9) apply('skipTask', { taskId: ids[i], date });
    });
    if (random() < 0.9)
      apply('logWeight', { date, value: Math.round((78 + 4 * Math.sin(clock / 3e9)) * 10) / 10, unit: 'kg' });
  }
  return tx;
}

export async function storeHistory(db: Db, userId: string, tx: MemoryTx): Promise<History> {
  const changes = tx.changes();
  let version = 0;
  const byCollection = new Map<string, Record<string, unknown>[]>();
  for (const { collection, record } of changes) {
    version += 1;
    const docs = byCollection.get(collection) ?? [];
    docs.push({ ...(record as object), userId, _v: version });
    byCollection.set(collection, docs);
  }
  for (const [collection, docs] of byCollection) {
    const target = recordsCollection(db, collection as 'tasks');
    for (let i = 0; i < docs.length; i += 1000) {
      await target.insertMany(docs.slice(i, i + 1000) as never[]);
    }
  }
  await versionsCollection(db).updateOne({ _id: userId }, { $set: { version } }, { upsert: true });
  return { records: changes.length, version };
}
