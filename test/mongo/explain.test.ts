// explain: the plan a query gets (IDHACK, IXSCAN under FETCH with the index's name, key pattern and
// bounds, COLLSCAN) and, with executionStats, what it examined — for find, count, aggregate, update
// and delete — and the app's own delta pull, captured as the driver sends it, is an index scan.
import { type Document, MongoClient } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  recordsCollection,
  SYNCED_COLLECTIONS,
  versionsCollection,
} from '../../functions/lib/sync/collections.ts';
import { ensureSyncIndexes } from '../../functions/lib/sync/indexes.ts';
import { pull } from '../../functions/lib/sync/pull.ts';
import { useTestClient } from '../support/mongo.ts';

const mongo = useTestClient('x');
beforeAll(async () => {
  const coll = mongo.db.collection<Document>('items');
  await coll.createIndex({ user: 1, at: 1 }, { name: 'user_at' });
  await coll.insertMany(
    Array.from({ length: 50 }, (_, i) => ({
      _id: i as never,
      user: i % 5 === 0 ? 'a' : 'b',
      at: i,
      tag: i % 2,
    })),
  );
});

function stage(plan: Document, name: string): Document | undefined {
  if (plan.stage === name) return plan;
  return plan.inputStage ? stage(plan.inputStage as Document, name) : undefined;
}

const db = () => mongo.db;

describe('embedded mongo: explain', () => {
  it('shows an index scan with its bounds and what it examined', async () => {
    const result = await db()
      .collection('items')
      .find({ user: 'a', at: { $gt: 10, $lte: 40 } })
      .explain('executionStats');
    const ixscan = stage(result.queryPlanner.winningPlan, 'IXSCAN');
    expect(result.queryPlanner.winningPlan.stage).toBe('FETCH');
    expect(ixscan).toMatchObject({
      indexName: 'user_at',
      keyPattern: { user: 1, at: 1 },
      indexBounds: { user: ['["a", "a"]'], at: ['(10, 40]'] },
    });
    // at ∈ {15, 20, …, 40}: six returned. The scan reads its bounds inclusively (the filter then drops
    // the document at 10), so seven keys and seven documents.
    expect(result.executionStats).toMatchObject({ nReturned: 6, totalKeysExamined: 7, totalDocsExamined: 7 });
  });

  it('shows a collection scan when no index applies, and IDHACK for an _id lookup', async () => {
    const scan = await db().collection('items').find({ tag: 1 }).explain('executionStats');
    expect(scan.queryPlanner.winningPlan).toMatchObject({ stage: 'COLLSCAN', filter: { tag: 1 } });
    expect(scan.executionStats).toMatchObject({ nReturned: 25, totalKeysExamined: 0, totalDocsExamined: 50 });
    const byId = await db()
      .collection('items')
      .find({ _id: 3 as never })
      .explain('executionStats');
    expect(byId.queryPlanner.winningPlan.stage).toBe('IDHACK');
    expect(byId.executionStats).toMatchObject({ nReturned: 1, totalKeysExamined: 1, totalDocsExamined: 1 });
  });

  it('explains count, aggregate, update and delete without writing', async () => {
    const command = (explain: Document) => db().command({ explain, verbosity: 'executionStats' });
    const count = await command({ count: 'items', query: { user: 'a' } });
    expect(count.queryPlanner.winningPlan.stage).toBe('COUNT');
    expect(stage(count.queryPlanner.winningPlan, 'IXSCAN')?.indexBounds).toEqual({
      user: ['["a", "a"]'],
      at: ['[MinKey, MaxKey]'],
    });
    const aggregate = await db()
      .collection('items')
      .aggregate([{ $match: { user: 'a' } }, { $group: { _id: null, n: { $sum: 1 } } }])
      .explain('executionStats');
    const cursor = aggregate.stages[0].$cursor;
    expect(stage(cursor.queryPlanner.winningPlan, 'IXSCAN')?.indexName).toBe('user_at');
    expect(cursor.executionStats.nReturned).toBe(10);
    const update = await command({
      update: 'items',
      updates: [{ q: { user: 'b', at: 1 }, u: { $set: { z: 1 } } }],
    });
    expect(update.queryPlanner.winningPlan).toMatchObject({
      stage: 'UPDATE',
      inputStage: { stage: 'FETCH' },
    });
    const remove = await command({ delete: 'items', deletes: [{ q: { tag: 0 }, limit: 0 }] });
    expect(remove.queryPlanner.winningPlan).toMatchObject({
      stage: 'DELETE',
      inputStage: { stage: 'COLLSCAN' },
    });
    expect(await db().collection('items').countDocuments({ z: 1 })).toBe(0);
    expect(await db().collection('items').countDocuments()).toBe(50);
  });

  it('refuses an unknown verbosity and an unknown command with MongoDB codes', async () => {
    await expect(db().command({ explain: { find: 'items' }, verbosity: 'loud' })).rejects.toMatchObject({
      code: 9,
    });
    await expect(db().command({ explain: { frobnicate: 'items' } })).rejects.toMatchObject({ code: 59 });
    await expect(db().command({ explain: 'find' })).rejects.toMatchObject({ code: 9 });
  });

  it("plans the app's delta pull as one span of the {userId, _v} index", async () => {
    const app = mongo.client.db('app');
    await ensureSyncIndexes(app);
    const name = SYNCED_COLLECTIONS[0]!;
    // Every version up to 30 closed (stable), so the pull reads (20, 30].
    await versionsCollection(app).insertOne({ _id: 'u1', version: 30, stable: 30 } as never);
    await recordsCollection(app, name).insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        userId: i < 30 ? 'u1' : 'u2',
        id: `r${i}`,
        _v: (i % 30) + 1,
        hlc: 'h',
      })) as never,
    );
    const watcher = new MongoClient(mongo.uri, { monitorCommands: true });
    const finds: Document[] = [];
    watcher.on('commandStarted', (event) => {
      if (event.commandName === 'find' && event.command.find === name) finds.push(event.command);
    });
    try {
      await watcher.connect();
      const result = await pull(watcher.db('app'), 'u1', 20, [name]);
      expect(result.changes[name]).toHaveLength(10);
    } finally {
      await watcher.close();
    }
    expect(finds).toHaveLength(1);
    const { find, filter, projection } = finds[0]!;
    const explained = await app.command({
      explain: { find, filter, projection },
      verbosity: 'executionStats',
    });
    const ixscan = stage(explained.queryPlanner.winningPlan, 'IXSCAN');
    expect(ixscan).toMatchObject({
      keyPattern: { userId: 1, _v: 1 },
      indexBounds: { userId: ['["u1", "u1"]'], _v: ['(20, 30]'] },
    });
    // Versions 21…30, plus the record at version 20 that the inclusive scan reads and the filter drops.
    expect(explained.executionStats).toMatchObject({
      nReturned: 10,
      totalKeysExamined: 11,
      totalDocsExamined: 11,
    });
  });
});
