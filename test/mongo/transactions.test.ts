// Sessions and transactions: isolation, abort, and write conflicts retried by withTransaction.
import type { MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../support/mongo.ts';

const mongo = useTestClient('txn');

describe('embedded mongo: transactions', () => {
  it('keeps writes invisible to other sessions until commit', async () => {
    const coll = mongo.db.collection('isolation');
    const session = mongo.client.startSession();
    session.startTransaction();
    await coll.insertOne({ _id: 'a', v: 1 } as never, { session });
    expect(await coll.findOne({ _id: 'a' as never }, { session })).toEqual({ _id: 'a', v: 1 });
    expect(await coll.findOne({ _id: 'a' as never })).toBeNull();
    await session.commitTransaction();
    await session.endSession();
    expect(await coll.findOne({ _id: 'a' as never })).toEqual({ _id: 'a', v: 1 });
  });

  it('discards writes on abort', async () => {
    const coll = mongo.db.collection('abort');
    await coll.insertOne({ _id: 'keep', v: 1 } as never);
    const session = mongo.client.startSession();
    session.startTransaction();
    await coll.updateOne({ _id: 'keep' as never }, { $set: { v: 2 } }, { session });
    await coll.insertOne({ _id: 'new' } as never, { session });
    await coll.deleteOne({ _id: 'keep' as never }, { session });
    await session.abortTransaction();
    await session.endSession();
    expect(await coll.find().toArray()).toEqual([{ _id: 'keep', v: 1 }]);
  });

  it('fails the second writer of a document with WriteConflict (112, TransientTransactionError)', async () => {
    const coll = mongo.db.collection('conflict');
    await coll.insertOne({ _id: 'doc', v: 0 } as never);
    const first = mongo.client.startSession();
    const second = mongo.client.startSession();
    first.startTransaction();
    second.startTransaction();
    await coll.updateOne({ _id: 'doc' as never }, { $inc: { v: 1 } }, { session: first });
    const error = (await coll
      .updateOne({ _id: 'doc' as never }, { $inc: { v: 1 } }, { session: second })
      .catch((err: unknown) => err)) as MongoServerError;
    expect(error.code).toBe(112);
    expect(error.hasErrorLabel('TransientTransactionError')).toBe(true);
    await first.commitTransaction();
    await second.abortTransaction().catch(() => undefined);
    await Promise.all([first.endSession(), second.endSession()]);
    expect(await coll.findOne({ _id: 'doc' as never })).toEqual({ _id: 'doc', v: 1 });
  });

  it('serializes concurrent withTransaction callbacks that $inc one version document', async () => {
    const versions = mongo.db.collection('versions');
    const items = mongo.db.collection('items');
    const workers = 8;
    const perWorker = 5;
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        for (let i = 0; i < perWorker; i++) {
          const session = mongo.client.startSession();
          try {
            await session.withTransaction(async () => {
              const bumped = await versions.findOneAndUpdate(
                { _id: 'user-1' as never },
                { $inc: { version: 1 } },
                { upsert: true, returnDocument: 'after', session },
              );
              await items.insertOne({ worker, i, version: bumped?.version }, { session });
            });
          } finally {
            await session.endSession();
          }
        }
      }),
    );
    expect(await versions.findOne({ _id: 'user-1' as never })).toEqual({
      _id: 'user-1',
      version: workers * perWorker,
    });
    const seen = (await items.find().toArray()).map((item) => item.version).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: workers * perWorker }, (_, i) => i + 1));
  });

  it('reads from a snapshot taken when the transaction starts', async () => {
    const coll = mongo.db.collection('snapshot');
    await coll.insertMany([
      { _id: 'changed', v: 1 },
      { _id: 'deleted', v: 1 },
    ] as never[]);
    const session = mongo.client.startSession();
    session.startTransaction();
    expect(await coll.findOne({ _id: 'changed' as never }, { session })).toEqual({ _id: 'changed', v: 1 });
    await coll.updateOne({ _id: 'changed' as never }, { $set: { v: 2 } });
    await coll.deleteOne({ _id: 'deleted' as never });
    await coll.insertOne({ _id: 'inserted', v: 1 } as never);
    const seen = await coll.find({ v: 1 }, { session }).sort({ _id: 1 }).toArray();
    expect(seen.map((doc) => doc._id)).toEqual(['changed', 'deleted']);
    expect(await coll.findOne({ _id: 'inserted' as never }, { session })).toBeNull();
    const error = (await coll
      .updateOne({ _id: 'changed' as never }, { $set: { v: 3 } }, { session })
      .catch((err: unknown) => err)) as MongoServerError;
    expect(error.code).toBe(112);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await coll.findOne({ _id: 'changed' as never })).toEqual({ _id: 'changed', v: 2 });
  });

  it('raises E11000 inside a transaction for a unique key another document holds', async () => {
    const coll = mongo.db.collection('unique-txn');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@x' });
    const session = mongo.client.startSession();
    const error = await session
      .withTransaction(async () => {
        await coll.insertOne({ email: 'b@x' }, { session });
        await coll.insertOne({ email: 'b@x' }, { session });
      })
      .catch((err: MongoServerError) => err);
    await session.endSession();
    expect((error as MongoServerError).code).toBe(11000);
    expect(await coll.countDocuments()).toBe(1);
  });

  it('aborts a transaction its client abandoned once transactionLifetimeLimitSeconds has passed', async () => {
    const admin = mongo.client.db('admin');
    expect(await admin.command({ getParameter: 1, transactionLifetimeLimitSeconds: 1 })).toMatchObject({
      transactionLifetimeLimitSeconds: 60,
    });
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (err: MongoServerError) => err.code,
      );
    expect(await codeOf(admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 0 }))).toBe(2);
    expect(await codeOf(admin.command({ setParameter: 1, notAParameter: 5 }))).toBe(115);
    expect(await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 1 })).toMatchObject({
      was: 60,
    });
    try {
      const coll = mongo.db.collection('abandoned');
      await coll.insertOne({ _id: 'version', v: 0 } as never);
      // A client that dies inside its transaction: it wrote, and never commits or aborts.
      const dead = mongo.client.startSession();
      dead.startTransaction();
      await coll.updateOne({ _id: 'version' as never }, { $inc: { v: 1 } }, { session: dead });
      const writer = mongo.client.startSession();
      const conflict = async () => {
        writer.startTransaction();
        const code = await codeOf(
          coll.updateOne({ _id: 'version' as never }, { $inc: { v: 10 } }, { session: writer }),
        );
        if (code === 0) await writer.commitTransaction();
        else await writer.abortTransaction().catch(() => undefined);
        return code;
      };
      expect(await conflict()).toBe(112);
      // The sweep (every second) aborts it once it is older than the limit; then the write goes through.
      let code: unknown = 112;
      const deadline = Date.now() + 10_000;
      while (code === 112 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        code = await conflict();
      }
      expect(code).toBe(0);
      expect(await coll.findOne({ _id: 'version' as never })).toEqual({ _id: 'version', v: 10 });
      await writer.endSession();
      await dead.endSession().catch(() => undefined);
    } finally {
      await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 60 });
    }
  });
});
