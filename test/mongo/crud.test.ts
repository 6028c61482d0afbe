// CRUD through the official driver against the embedded server.
import { Long, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../support/mongo.ts';

const mongo = useTestClient('crud');

describe('embedded mongo: CRUD', () => {
  it('inserts, finds with filter, sort, skip, limit and projection', async () => {
    const coll = mongo.db.collection('people');
    await coll.insertMany([
      { name: 'ann', age: 31 },
      { name: 'bob', age: 25 },
      { name: 'cid', age: 40 },
    ]);
    const found = await coll
      .find({ age: { $gt: 26 } }, { projection: { _id: 0, name: 1 } })
      .sort({ age: -1 })
      .toArray();
    expect(found).toEqual([{ name: 'cid' }, { name: 'ann' }]);
    expect(await coll.find().sort({ name: 1 }).skip(1).limit(1).toArray()).toMatchObject([{ name: 'bob' }]);
    const projected = await coll.findOne({ name: 'ann' }, { projection: { age: 1 } });
    expect(Object.keys(projected ?? {})).toEqual(['_id', 'age']);
  });

  it('stores _id first and rejects a duplicate _id with E11000', async () => {
    const coll = mongo.db.collection('ids');
    await coll.insertOne({ a: 1, _id: 'x' } as never);
    const raw = await coll.findOne({ _id: 'x' as never });
    expect(Object.keys(raw ?? {})).toEqual(['_id', 'a']);
    const error = await coll.insertOne({ _id: 'x' } as never).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(11000);
  });

  it('upserts seeded from the filter with $setOnInsert applied only on insert', async () => {
    const coll = mongo.db.collection('upserts');
    const filter = { userId: 'u1', kind: 'k' };
    const update = { $inc: { n: 1 }, $setOnInsert: { createdAt: 'first' } };
    const first = await coll.updateOne(filter, update, { upsert: true });
    expect(first.upsertedCount).toBe(1);
    await coll.updateOne(filter, { ...update, $setOnInsert: { createdAt: 'second' } }, { upsert: true });
    expect(await coll.findOne(filter, { projection: { _id: 0 } })).toEqual({
      userId: 'u1',
      kind: 'k',
      n: 2,
      createdAt: 'first',
    });
  });

  it('keeps a null _id given by an upsert filter or replacement', async () => {
    const coll = mongo.db.collection('null-ids');
    await coll.updateOne({ _id: null } as never, { $set: { a: 1 } }, { upsert: true });
    expect(await coll.find().toArray()).toEqual([{ _id: null, a: 1 }]);
    await coll.deleteMany({});
    await coll.replaceOne({}, { _id: null, b: 2 } as never, { upsert: true });
    expect(await coll.find().toArray()).toEqual([{ _id: null, b: 2 }]);
  });

  it('findOneAndUpdate returns before/after; findOneAndDelete removes', async () => {
    const coll = mongo.db.collection('fam');
    await coll.insertMany([
      { _id: 1, v: 1 },
      { _id: 2, v: 2 },
    ] as never[]);
    const before = await coll.findOneAndUpdate({}, { $set: { v: 9 } }, { sort: { _id: -1 } });
    expect(before).toEqual({ _id: 2, v: 2 });
    const after = await coll.findOneAndUpdate(
      { _id: 1 as never },
      { $inc: { v: 5 } },
      { returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 1, v: 6 });
    expect(await coll.findOneAndDelete({ v: 9 })).toEqual({ _id: 2, v: 9 });
    expect(await coll.countDocuments()).toBe(1);
  });

  it('applies positional, all-positional and arrayFilters updates, numeric ones included', async () => {
    const coll = mongo.db.collection('positional');
    const items = [
      { id: 1, n: 1 },
      { id: 2, n: 2 },
    ];
    await coll.insertOne({ _id: 1, items } as never);
    await coll.updateOne({ _id: 1, 'items.id': 2 } as never, { $set: { 'items.$.n': 20 } });
    await coll.updateOne(
      { _id: 1 } as never,
      { $inc: { 'items.$[e].n': 5 } },
      { arrayFilters: [{ 'e.id': 1 }] },
    );
    await coll.updateOne({ _id: 1, 'items.id': 1 } as never, { $inc: { 'items.$.n': 100 } });
    await coll.updateOne({ _id: 1 } as never, { $inc: { 'items.$[].n': 1 } });
    expect(await coll.findOne({ _id: 1 } as never)).toEqual({
      _id: 1,
      items: [
        { id: 1, n: 107 },
        { id: 2, n: 21 },
      ],
    });
  });

  it('answers bad updates with MongoDB error codes', async () => {
    const coll = mongo.db.collection('badupdates');
    await coll.insertOne({ _id: 1, s: 'text', n: 1 } as never);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (err: MongoServerError) => err.code,
      );
    expect(await codeOf(coll.updateOne({ _id: 1 as never }, { $inc: { s: 1 } }))).toBe(14);
    expect(await codeOf(coll.updateOne({ _id: 1 as never }, { $set: { _id: 2 } }))).toBe(66);
    expect(await codeOf(coll.updateOne({ _id: 1 as never }, { $foo: { n: 1 } } as never))).toBe(9);
    expect(await codeOf(coll.updateOne({ _id: 1 as never }, { $push: { n: 1 } } as never))).toBe(2);
  });

  it('applies $set and $unset on nested, array and missing paths as MongoDB does', async () => {
    const coll = mongo.db.collection('setunset');
    await coll.insertOne({
      _id: 1,
      a: { b: 1, c: 2 },
      arr: [{ x: 1 }, { x: 2 }],
      s: 'text',
      d: new Date(0),
    } as never);
    await coll.updateOne(
      { _id: 1 as never },
      { $set: { 'a.b': 10, 'n.m.k': 'new', 'arr.1.x': 20, top: [1] } },
    );
    await coll.updateOne({ _id: 1 as never }, { $unset: { 'a.c': '', 'missing.path': '', 'arr.0': '' } });
    expect(await coll.findOne({ _id: 1 as never })).toEqual({
      _id: 1,
      a: { b: 10 },
      arr: [null, { x: 20 }],
      s: 'text',
      d: new Date(0),
      n: { m: { k: 'new' } },
      top: [1],
    });
    // Through a scalar, or a BSON value, there is no field to create: PathNotViable (28).
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (err: MongoServerError) => err.code,
      );
    expect(await codeOf(coll.updateOne({ _id: 1 as never }, { $set: { 's.inner': 1 } }))).toBe(28);
    expect(await codeOf(coll.updateOne({ _id: 1 as never }, { $set: { 'd.inner': 1 } }))).toBe(28);
    const unchanged = await coll.updateOne({ _id: 1 as never }, { $set: { 'a.b': 10 } });
    expect(unchanged).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
  });

  it('increments Long values numerically', async () => {
    const coll = mongo.db.collection('longs');
    const big = Long.fromString('9007199254740993');
    await coll.insertOne({ _id: 1, v: big } as never);
    await coll.updateOne({ _id: 1 as never }, { $inc: { v: 2 } });
    const doc = await coll.findOne({ _id: 1 as never }, { promoteLongs: false });
    expect(String(doc?.v)).toBe('9007199254740995');
    expect(await coll.countDocuments({ v: { $gt: Long.fromString('9007199254740994') } })).toBe(1);
  });

  it('counts, distinct and aggregates', async () => {
    const coll = mongo.db.collection('agg');
    await coll.insertMany([
      { g: 'a', n: 1, tags: ['x', 'y'] },
      { g: 'a', n: 2, tags: ['y'] },
      { g: 'b', n: 5, tags: [] },
    ]);
    expect(await coll.countDocuments({ g: 'a' })).toBe(2);
    expect((await coll.distinct('tags')).sort()).toEqual(['x', 'y']);
    const grouped = await coll
      .aggregate([
        { $match: { n: { $gte: 1 } } },
        { $group: { _id: '$g', total: { $sum: '$n' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([
      { _id: 'a', total: 3 },
      { _id: 'b', total: 5 },
    ]);
  });

  it('serves large results through getMore in batches', async () => {
    const coll = mongo.db.collection('batches');
    await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const cursor = coll.find({}, { batchSize: 7 }).sort({ i: 1 });
    const all = await cursor.toArray();
    expect(all.map((doc) => doc.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const unsorted = await coll.find({}, { batchSize: 7 }).toArray();
    expect(unsorted.map((doc) => doc.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const window = await coll
      .find({}, { skip: 5, limit: 30, batchSize: 4, projection: { _id: 0, i: 1 } })
      .toArray();
    expect(window).toEqual(Array.from({ length: 30 }, (_, i) => ({ i: i + 5 })));
    const early = coll.find({}, { batchSize: 10 });
    await early.next();
    await early.close();
  });

  it('answers an unknown command with CommandNotFound (59)', async () => {
    const error = await mongo.db.command({ frobnicate: 1 }).catch((err: MongoServerError) => err);
    expect((error as MongoServerError).code).toBe(59);
  });
});

describe('embedded mongo: unsupported features', () => {
  it('refuses collation with NotImplemented (115) instead of answering wrongly, and honours let', async () => {
    const coll = mongo.db.collection('unsupported');
    await coll.insertOne({ name: 'A' });
    const collation = await coll
      .find({ name: 'a' }, { collation: { locale: 'en', strength: 2 } })
      .toArray()
      .catch((err: MongoServerError) => err);
    expect((collation as MongoServerError).code).toBe(115);
    const withLet = await coll
      .find({ $expr: { $eq: ['$name', '$$target'] } }, { let: { target: 'A' }, projection: { _id: 0 } })
      .toArray();
    expect(withLet).toEqual([{ name: 'A' }]);
    const badLet = await mongo.db
      .command({ find: 'unsupported', filter: {}, let: 5 })
      .catch((err: MongoServerError) => err);
    expect((badLet as MongoServerError).code).toBe(14);
  });

  it('merges aggregation results with $merge, and refuses a malformed one', async () => {
    const source = mongo.db.collection('merge_source');
    const target = mongo.db.collection('merge_target');
    await source.insertMany([
      { _id: 1, x: 1 },
      { _id: 2, x: 2 },
    ] as never[]);
    await target.insertOne({ _id: 1, y: 9 } as never);
    await source.aggregate([{ $merge: { into: 'merge_target' } }]).toArray();
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, y: 9, x: 1 },
      { _id: 2, x: 2 },
    ]);
    const failed = await source
      .aggregate([{ $merge: { into: 'merge_target', whenMatched: 'fail' } }])
      .toArray()
      .catch((err: MongoServerError) => err);
    expect((failed as MongoServerError).code).toBe(11000);
    const malformed = await source
      .aggregate([{ $merge: 5 }])
      .toArray()
      .catch((err: MongoServerError) => err);
    expect((malformed as MongoServerError).code).toBe(9);
  });

  it('refuses an unknown query operator with a clear error', async () => {
    const error = await mongo.db
      .collection('unsupported')
      .find({ name: { $frobnicate: 1 } })
      .toArray()
      .catch((err: MongoServerError) => err);
    expect((error as MongoServerError).ok).toBe(0);
    expect([2, 115]).toContain((error as MongoServerError).code);
    expect((error as MongoServerError).message).toMatch(/\$frobnicate/);
  });
});

describe('embedded mongo: more commands and refusals', () => {
  it('serves a read-only view, _id lookups included, and refuses writes to it', async () => {
    await mongo.db.collection('view-source').insertMany([
      { _id: 1, kind: 'a' },
      { _id: 2, kind: 'b' },
      { _id: 3, kind: 'a' },
    ] as never[]);
    await mongo.db.createCollection('only-a', {
      viewOn: 'view-source',
      pipeline: [{ $match: { kind: 'a' } }],
    });
    const view = mongo.db.collection('only-a');
    expect((await view.find().toArray()).map((doc) => doc._id)).toEqual([1, 3]);
    expect(await view.findOne({ _id: 3 } as never)).toEqual({ _id: 3, kind: 'a' });
    expect(await view.findOne({ _id: 2 } as never)).toBeNull();
    const error = await view.insertOne({ kind: 'a' }).catch((err: MongoServerError) => err);
    expect((error as MongoServerError).code).toBe(166);
  });

  it('renames a collection through the admin database', async () => {
    const coll = mongo.db.collection('before-rename');
    await coll.insertOne({ _id: 'r', v: 1 } as never);
    await coll.createIndex({ v: 1 });
    await coll.rename('after-rename');
    const renamed = mongo.db.collection('after-rename');
    expect(await renamed.findOne({ v: 1 })).toEqual({ _id: 'r', v: 1 });
    expect((await renamed.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'v_1']);
    expect(await mongo.db.collection('before-rename').countDocuments()).toBe(0);
  });

  it('refuses server-side JavaScript, text indexes and change streams with NotImplemented (115)', async () => {
    const coll = mongo.db.collection('refusals');
    await coll.insertOne({ a: 1 });
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (err: MongoServerError) => err.code,
      );
    expect(await codeOf(coll.find({ $where: 'this.a == 1' }).toArray())).toBe(115);
    expect(await codeOf(coll.createIndex({ a: 'text' }))).toBe(115);
    expect(await codeOf(coll.aggregate([{ $changeStream: {} }]).toArray())).toBe(115);
    expect(await codeOf(coll.aggregate([{ $unknownStage: {} }]).toArray())).toBe(115);
    expect(await codeOf(mongo.db.createCollection('validated', { validator: { a: { $type: 'int' } } }))).toBe(
      115,
    );
    expect(await codeOf(mongo.db.createCollection('capped', { capped: true, size: 4096 }))).toBe(115);
  });
});
