// Durability: data survives restarts through the journal and snapshots, a torn journal tail is
// discarded (also inside the journal's pre-allocated zeros), and a server killed with SIGKILL mid-stream loses no acknowledged write.
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type MongoServerError } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMongoServer } from '../../infra/local/mongo/index.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mongo-durability-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Where the journal's framed records (uint32 length | uint32 crc | payload) end, and how many. */
function framedRecords(journal: Buffer): { end: number; count: number } {
  let offset = 0;
  let count = 0;
  while (offset + 8 <= journal.length && journal.readUInt32LE(offset) >= 5) {
    offset += 8 + journal.readUInt32LE(offset);
    count++;
  }
  return { end: offset, count };
}

function recordsEnd(journal: Buffer): number {
  return framedRecords(journal).end;
}

async function withServer<T>(
  run: (client: MongoClient) => Promise<T>,
  options: { compactJournalBytes?: number } = {},
): Promise<T> {
  const server = await startMongoServer({ port: 0, dbPath: dir, ...options });
  const client = await new MongoClient(server.uri).connect();
  try {
    return await run(client);
  } finally {
    await client.close();
    await server.stop();
  }
}

describe('embedded mongo: durability', () => {
  it('restores documents, indexes and committed transactions after a restart', async () => {
    await withServer(async (client) => {
      const coll = client.db('d').collection('people');
      await coll.createIndex({ email: 1 }, { unique: true });
      await coll.insertMany([
        { _id: 1, email: 'a@x', n: 1 },
        { _id: 2, email: 'b@x', n: 2 },
        { _id: 3, email: 'c@x', n: 3 },
      ] as never[]);
      await coll.updateOne({ _id: 1 as never }, { $inc: { n: 10 } });
      await coll.deleteOne({ _id: 2 as never });
      const session = client.startSession();
      await session.withTransaction(async () => {
        await coll.insertOne({ _id: 4, email: 'd@x' } as never, { session });
        await coll.updateOne({ _id: 3 as never }, { $set: { n: 33 } }, { session });
      });
      await session.endSession();
      const aborted = client.startSession();
      aborted.startTransaction();
      await coll.insertOne({ _id: 5, email: 'e@x' } as never, { session: aborted });
      await aborted.abortTransaction();
      await aborted.endSession();
      await client
        .db('d')
        .collection('old-name')
        .insertOne({ _id: 'moved' } as never);
      await client.db('d').collection('old-name').rename('new-name');
      await client
        .db('d')
        .collection('gone')
        .insertOne({ _id: 'x' } as never);
      await client.db('d').dropCollection('gone');
    });
    await withServer(async (client) => {
      const coll = client.db('d').collection('people');
      expect(await coll.find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 1, email: 'a@x', n: 11 },
        { _id: 3, email: 'c@x', n: 33 },
        { _id: 4, email: 'd@x' },
      ]);
      const dup = await coll.insertOne({ email: 'a@x' }).catch((err: MongoServerError) => err);
      expect((dup as MongoServerError).code).toBe(11000);
      const names = (await client.db('d').listCollections().toArray()).map((info) => info.name).sort();
      expect(names).toEqual(['new-name', 'people']);
      expect(await client.db('d').collection('new-name').findOne()).toEqual({ _id: 'moved' });
    });
  });

  it('journals a transaction larger than 16 MB as one record', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    await withServer(async (client) => {
      const session = client.startSession();
      await session.withTransaction(async () => {
        await client
          .db('d')
          .collection('big')
          .insertOne({ _id: 1, big } as never, { session });
        await client
          .db('d')
          .collection('big')
          .insertOne({ _id: 2, big } as never, { session });
      });
      await session.endSession();
    });
    await withServer(async (client) => {
      const docs = await client.db('d').collection('big').find().toArray();
      expect(docs.map((doc) => [doc._id, doc.big.length])).toEqual([
        [1, big.length],
        [2, big.length],
      ]);
    });
  });

  it('truncates a torn journal tail and keeps every complete record', async () => {
    await withServer(async (client) => {
      await client
        .db('d')
        .collection('c')
        .insertMany([{ _id: 1 }, { _id: 2 }] as never[]);
    });
    const journal = (await readdir(dir)).find((file) => file.startsWith('journal-'))!;
    const intact = (await stat(join(dir, journal))).size;
    await appendFile(join(dir, journal), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]));
    await withServer(async (client) => {
      expect(await client.db('d').collection('c').countDocuments()).toBe(2);
      await client
        .db('d')
        .collection('c')
        .insertOne({ _id: 3 } as never);
    });
    expect((await stat(join(dir, journal))).size).toBeGreaterThan(intact);
    await withServer(async (client) => {
      expect(await client.db('d').collection('c').countDocuments()).toBe(3);
    });
  });

  it('discards a torn record inside the pre-allocated zeros and appends after the last intact one', async () => {
    await withServer(async (client) => {
      await client
        .db('d')
        .collection('c')
        .insertMany([{ _id: 1 }, { _id: 2 }] as never[]);
    });
    const path = join(dir, (await readdir(dir)).find((file) => file.startsWith('journal-'))!);
    const before = await readFile(path);
    const end = recordsEnd(before);
    expect(before.length).toBeGreaterThan(end);
    expect(before.subarray(end).every((byte) => byte === 0)).toBe(true);
    // A record whose header reached the disk but whose payload did not (still zeros).
    const torn = Buffer.from(before);
    torn.writeUInt32LE(40, end);
    torn.writeUInt32LE(0xdeadbeef, end + 4);
    await writeFile(path, torn);
    for (const id of [3, 4]) {
      await withServer(async (client) => {
        await client
          .db('d')
          .collection('c')
          .insertOne({ _id: id } as never);
      });
    }
    await withServer(async (client) => {
      const ids = await client.db('d').collection('c').distinct('_id');
      expect(ids).toEqual([1, 2, 3, 4]);
    });
    expect(recordsEnd(await readFile(path))).toBeGreaterThan(end);
  });

  it('compacts the journal into a snapshot and recovers from it', async () => {
    await withServer(
      async (client) => {
        const coll = client.db('d').collection('c');
        await coll.createIndex({ k: 1 });
        for (let batch = 0; batch < 10; batch++) {
          await coll.insertMany(
            Array.from({ length: 50 }, (_, i) => ({ k: batch * 50 + i, pad: 'x'.repeat(200) })),
          );
        }
        await coll.deleteMany({ k: { $lt: 100 } });
        await new Promise((resolve) => setTimeout(resolve, 2_500));
      },
      { compactJournalBytes: 20_000 },
    );
    const files = await readdir(dir);
    expect(files.some((file) => file.startsWith('snapshot-'))).toBe(true);
    // A later snapshot cut short (no end record) must be ignored in favour of the complete one.
    const snapshot = files.find((file) => file.startsWith('snapshot-'))!;
    const generation = Number(snapshot.slice('snapshot-'.length, -'.bson'.length));
    const bytes = await readFile(join(dir, snapshot));
    const later = `snapshot-${String(generation + 1).padStart(8, '0')}.bson`;
    await writeFile(join(dir, later), bytes.subarray(0, Math.floor(bytes.length / 2)));
    await withServer(async (client) => {
      const coll = client.db('d').collection('c');
      expect(await coll.countDocuments()).toBe(400);
      expect(await coll.findOne({ k: 250 }, { projection: { _id: 0, k: 1 } })).toEqual({ k: 250 });
      expect((await coll.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'k_1']);
    });
  });

  it('writes a snapshot on the fsync command, split into records, and restarts from it', async () => {
    await withServer(async (client) => {
      const coll = client.db('d').collection('f');
      // About 1.5 MB: several snapshot records, so a compaction yields to queries between them.
      await coll.insertMany(Array.from({ length: 3_000 }, (_, i) => ({ k: i, pad: 'x'.repeat(500) })));
      expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/^snapshot-/));
      expect(await client.db('admin').command({ fsync: 1 })).toMatchObject({ ok: 1, numFiles: 1 });
      const code = await client
        .db('admin')
        .command({ fsync: 1, lock: true })
        .then(
          () => 0,
          (err: MongoServerError) => err.code,
        );
      expect(code).toBe(115);
    });
    const files = await readdir(dir);
    const snapshot = files.find((file) => file.startsWith('snapshot-'));
    expect(snapshot).toBeDefined();
    const records = framedRecords(await readFile(join(dir, snapshot!)));
    expect(records.end).toBeGreaterThan(1_500_000);
    // Catalog records, at least three of documents (≤ 512 KB each) and the end marker.
    expect(records.count).toBeGreaterThanOrEqual(6);
    await withServer(async (client) => {
      const coll = client.db('d').collection('f');
      expect(await coll.countDocuments()).toBe(3_000);
      expect(await coll.findOne({ k: 2_999 }, { projection: { _id: 0, k: 1 } })).toEqual({ k: 2_999 });
    });
  });
});
