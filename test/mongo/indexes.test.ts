// Unique (compound, sparse, partial) and TTL indexes, range scans through indexes, and numeric BSON
// types in queries and sorts.
import { Decimal128, type Document, Long, type MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../support/mongo.ts';

const mongo = useTestClient('indexes');

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 0,
    (err: MongoServerError) => err.code,
  );

describe('embedded mongo: indexes', () => {
  it('enforces a compound unique index and reports keyPattern and keyValue', async () => {
    const coll = mongo.db.collection('compound');
    await coll.createIndex({ userId: 1, day: 1 }, { unique: true });
    await coll.insertOne({ userId: 'u', day: '2024-01-01' });
    await coll.insertOne({ userId: 'u', day: '2024-01-02' });
    await coll.insertOne({ userId: 'v', day: '2024-01-01' });
    const error = (await coll
      .insertOne({ userId: 'u', day: '2024-01-01' })
      .catch((err) => err)) as MongoServerError;
    expect(error.code).toBe(11000);
    expect(error.keyPattern).toEqual({ userId: 1, day: 1 });
    expect(error.keyValue).toEqual({ userId: 'u', day: '2024-01-01' });
    expect(await codeOf(coll.updateOne({ userId: 'v' }, { $set: { userId: 'u' } }))).toBe(11000);
  });

  it('lets a sparse unique index hold many documents without the field', async () => {
    const coll = mongo.db.collection('sparse');
    await coll.createIndex({ email: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ name: 'a' }, { name: 'b' }, { email: 'x@y' }]);
    expect(await codeOf(coll.insertOne({ email: 'x@y' }))).toBe(11000);
  });

  it('applies a partial unique index only to matching documents', async () => {
    const coll = mongo.db.collection('partial');
    await coll.createIndex({ ticket: 1 }, { unique: true, partialFilterExpression: { used: false } });
    await coll.insertMany([
      { ticket: 't1', used: true },
      { ticket: 't1', used: true },
      { ticket: 't1', used: false },
    ]);
    expect(await codeOf(coll.insertOne({ ticket: 't1', used: false }))).toBe(11000);
  });

  it('refuses to create a unique index over existing duplicates', async () => {
    const coll = mongo.db.collection('dups');
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    expect(await codeOf(coll.createIndex({ k: 1 }, { unique: true }))).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
  });

  it('finds through a secondary index exactly what a scan finds', async () => {
    const coll = mongo.db.collection('lookups');
    await coll.insertMany(
      Array.from({ length: 200 }, (_, i) => ({ userId: `u${i % 7}`, tags: [`t${i % 3}`, 'all'], n: i })),
    );
    const scan = await coll.find({ userId: 'u3', n: { $gte: 50 } }).toArray();
    await coll.createIndex({ userId: 1 });
    await coll.createIndex({ tags: 1 });
    expect(await coll.find({ userId: 'u3', n: { $gte: 50 } }).toArray()).toEqual(scan);
    expect(await coll.countDocuments({ tags: 't1' })).toBe(67);
    expect(await coll.countDocuments({ userId: { $in: ['u1', 'u2'] } })).toBe(58);
    await coll.updateMany({ userId: 'u3' }, { $set: { userId: 'moved' } });
    expect(await coll.countDocuments({ userId: 'u3' })).toBe(0);
    expect(await coll.countDocuments({ userId: 'moved' })).toBe(scan.length + 7);
  });

  it('uses the leading field of a compound index and agrees with a scan', async () => {
    const coll = mongo.db.collection('compound-prefix');
    await coll.insertMany(Array.from({ length: 120 }, (_, i) => ({ userId: `u${i % 4}`, v: i })));
    const query = { userId: { $in: ['u1', 'u2'] }, v: { $gte: 30, $lt: 90 } };
    const scan = await coll.find(query).sort({ v: 1 }).toArray();
    await coll.createIndex({ userId: 1, v: 1 });
    expect(await coll.find(query).sort({ v: 1 }).toArray()).toEqual(scan);
    await coll.updateMany({ userId: 'u1' }, { $set: { userId: 'u9' } });
    await coll.deleteMany({ userId: 'u2', v: { $lt: 50 } });
    const afterIndex = await coll.find(query).sort({ v: 1 }).toArray();
    await coll.dropIndex('userId_1_v_1');
    expect(await coll.find(query).sort({ v: 1 }).toArray()).toEqual(afterIndex);
    expect(afterIndex.every((doc) => doc.userId === 'u2' && doc.v >= 50)).toBe(true);
    expect(afterIndex.length).toBe(10);
  });

  it('answers equality-prefix + range filters from the index, reading only the matching documents', async () => {
    const coll = mongo.db.collection('ranges');
    await coll.createIndex({ userId: 1, v: 1 });
    await coll.createIndex({ at: 1 });
    await coll.insertMany(
      Array.from({ length: 2_000 }, (_, i) => ({ userId: `u${i % 10}`, v: i, at: new Date(i * 60_000) })),
    );
    // Documents decoded to answer the query. Range bounds are scanned inclusively (the filter then
    // drops a document equal to an exclusive bound), so at most one per bound is read in vain.
    const examined = async (filter: Document) => {
      const stats = async () =>
        (await mongo.db.admin().command({ serverStatus: 1 })).metrics.queryExecutor.scannedObjects as number;
      const before = await stats();
      const found = (await coll.find(filter).toArray()).length;
      return { found, extra: (await stats()) - before - found };
    };
    // The sync pull's shape: one user's records after a version, up to another.
    expect(await examined({ userId: 'u3', v: { $gt: 1_503, $lte: 1_603 } })).toEqual({ found: 10, extra: 1 });
    expect(await examined({ at: { $gte: new Date(0), $lt: new Date(5 * 60_000) } })).toEqual({
      found: 5,
      extra: 1,
    });
    expect(await examined({ userId: { $in: ['u1', 'u2'] }, v: { $lte: 40 } })).toEqual({
      found: 8,
      extra: 0,
    });
    // Leading field only: the user's 200 documents, not the collection's 2,000.
    expect(await examined({ userId: 'u7', title: { $exists: false } })).toEqual({ found: 200, extra: 0 });
    // Index order for an unsorted index scan, as MongoDB returns it.
    const inOrder = await coll.find({ userId: 'u4', v: { $gte: 1_900 } }).toArray();
    expect(inOrder.map((doc) => doc.v)).toEqual([
      1_904, 1_914, 1_924, 1_934, 1_944, 1_954, 1_964, 1_974, 1_984, 1_994,
    ]);
  });

  it('removes documents past their TTL', async () => {
    const coll = mongo.db.collection('ttl');
    await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await coll.insertMany([
      { _id: 'old', expiresAt: new Date(Date.now() - 1_000) },
      { _id: 'new', expiresAt: new Date(Date.now() + 60_000) },
      { _id: 'none' },
    ] as never[]);
    const deadline = Date.now() + 10_000;
    while ((await coll.countDocuments({ _id: 'old' as never })) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await coll.find().sort({ _id: 1 }).toArray()).map((doc) => doc._id)).toEqual(['new', 'none']);
  });

  it('compares and sorts Long and Decimal128 numerically', async () => {
    const coll = mongo.db.collection('numbers');
    await coll.insertMany([
      { _id: 1, v: Long.fromString('90071992547409930') },
      { _id: 2, v: Decimal128.fromString('9.5') },
      { _id: 3, v: 10 },
      { _id: 4, v: Long.fromString('100000000000000000') },
    ] as never[]);
    const sorted = await coll.find().sort({ v: 1 }).toArray();
    expect(sorted.map((doc) => doc._id)).toEqual([2, 3, 1, 4]);
    expect(await coll.countDocuments({ v: { $gt: 9.6 } })).toBe(3);
    expect(await coll.countDocuments({ v: { $lt: Long.fromString('95000000000000000') } })).toBe(3);
    await coll.updateOne({ _id: 2 as never }, { $inc: { v: 1 } });
    const bumped = await coll.findOne({ _id: 2 as never });
    expect(bumped?.v).toBeInstanceOf(Decimal128);
    expect(String(bumped?.v)).toBe('10.5');
  });
});
