// Exact BSON types: every value comes back with the type and value it was written with — after
// insert, after update operators, and after a restart from the journal and from a snapshot — and
// arithmetic follows MongoDB's promotion rules. Read with promoteValues: false so that the driver
// shows the wire types (Int32 / Double / Long) instead of JS numbers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoClient,
  ObjectId,
  Timestamp,
} from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMongoServer } from '../../infra/local/mongo/index.ts';

type AnyDoc = { _id: number | Int32; [field: string]: unknown };

const TYPED = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mongo-types-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withServer<T>(run: (client: MongoClient) => Promise<T>): Promise<T> {
  const server = await startMongoServer({ port: 0, dbPath: dir });
  const client = await new MongoClient(server.uri, TYPED).connect();
  try {
    return await run(client);
  } finally {
    await client.close();
    await server.stop();
  }
}

/** Type tag and exact value text of every field, nested ones included. */
function typed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(typed);
  if (value instanceof Date) return ['date', value.getTime()];
  if (value && typeof value === 'object') {
    const tag = (value as { _bsontype?: string })._bsontype;
    if (tag === 'Double') return ['double', Object.is((value as Double).value, -0) ? '-0' : String(value)];
    if (tag === 'Binary') return ['binary', (value as Binary).sub_type, (value as Binary).toString('hex')];
    if (tag === 'BSONRegExp') return ['regex', (value as BSONRegExp).pattern, (value as BSONRegExp).options];
    if (tag) return [tag, String((value as { toString(): string }).toString())];
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, typed(item)]));
  }
  return [typeof value, value];
}

const SAMPLE: AnyDoc = {
  _id: new Int32(1),
  i32: new Int32(7),
  i32min: new Int32(-2147483648),
  i64small: Long.fromNumber(5),
  i64big: Long.fromString('1099511627776'),
  i64max: Long.MAX_VALUE,
  i64min: Long.MIN_VALUE,
  dInt: new Double(2),
  dNegZero: new Double(-0),
  dNaN: new Double(Number.NaN),
  dInf: new Double(Number.POSITIVE_INFINITY),
  dNegInf: new Double(Number.NEGATIVE_INFINITY),
  dFrac: new Double(1.5),
  dec: Decimal128.fromString('1234567890.123456789012345678901234'),
  before1970: new Date('1901-12-13T20:45:52.000Z'),
  after2038: new Date('2100-01-01T00:00:00.000Z'),
  oid: new ObjectId('0123456789abcdef01234567'),
  bin0: new Binary(Buffer.from('hello'), 0),
  uuid: new Binary(Buffer.from('0123456789abcdef0123456789abcdef', 'hex'), 4),
  bin128: new Binary(Buffer.from([1, 2, 3]), 128),
  rx: new BSONRegExp('^a.b', 'imsx'),
  rxPlain: new BSONRegExp('x+', 'i'),
  ts: new Timestamp({ t: 1700000000, i: 42 }),
  min: new MinKey(),
  max: new MaxKey(),
  nested: {
    a: [new Int32(1), Long.fromNumber(2), new Double(3), [new Double(4), { x: Long.fromNumber(9) }]],
  },
};

describe('embedded mongo: exact BSON types', () => {
  it('returns every type as written, and again after restarts from the journal and a snapshot', async () => {
    await withServer(async (client) => {
      const coll = client.db('t').collection<AnyDoc>('types');
      await coll.insertOne(SAMPLE);
      expect(typed(await coll.findOne({ _id: new Int32(1) }))).toEqual(typed(SAMPLE));
      expect(typed(await coll.find({ i64small: 5 }).toArray())).toEqual([typed(SAMPLE)]);
    });
    await withServer(async (client) => {
      const coll = client.db('t').collection<AnyDoc>('types');
      expect(typed(await coll.findOne({ _id: 1 }))).toEqual(typed(SAMPLE));
      await client.db('admin').command({ fsync: 1 });
    });
    await withServer(async (client) => {
      expect(typed(await client.db('t').collection<AnyDoc>('types').findOne({ _id: 1 }))).toEqual(
        typed(SAMPLE),
      );
    });
  });

  it('keeps types through $set, $inc, $mul, $min and $max', async () => {
    await withServer(async (client) => {
      const coll = client.db('t').collection<AnyDoc>('ops');
      await coll.insertOne({
        _id: 1,
        l: Long.fromNumber(2 ** 40),
        small: Long.fromNumber(5),
        d: new Double(2),
        i: new Int32(3),
        m: Long.fromNumber(10),
      });
      await coll.updateOne({ _id: 1 }, {
        $inc: { l: Long.fromNumber(1), i: new Int32(1) },
        $mul: { d: new Int32(3) },
        $set: { s: new Double(8), big: Long.MAX_VALUE },
        $min: { m: new Int32(4) },
        $max: { small: new Double(5) },
      } as never);
      expect(typed(await coll.findOne({ _id: 1 }))).toEqual(
        typed({
          _id: new Int32(1),
          l: Long.fromNumber(2 ** 40 + 1),
          small: Long.fromNumber(5),
          d: new Double(6),
          i: new Int32(4),
          m: new Int32(4),
          s: new Double(8),
          big: Long.MAX_VALUE,
        }),
      );
    });
  });

  it('promotes numbers as MongoDB does', async () => {
    await withServer(async (client) => {
      const coll = client.db('t').collection<AnyDoc>('promote');
      await coll.insertOne({
        _id: 1,
        overflow: new Int32(2147483647),
        intPlusDouble: new Int32(1),
        longPlusDouble: Long.fromNumber(1),
        intPlusDec: new Int32(1),
        doublePlusDec: new Double(0.5),
        intTimesLong: new Int32(6),
        negOverflow: new Int32(-2147483648),
      });
      await coll.updateOne({ _id: 1 }, {
        $inc: {
          overflow: new Int32(1),
          intPlusDouble: new Double(1),
          longPlusDouble: new Double(0.5),
          intPlusDec: Decimal128.fromString('0.1'),
          doublePlusDec: Decimal128.fromString('1.25'),
          negOverflow: new Int32(-1),
        },
        $mul: { intTimesLong: Long.fromNumber(7) },
      } as never);
      expect(typed(await coll.findOne({ _id: 1 }))).toEqual(
        typed({
          _id: new Int32(1),
          overflow: Long.fromNumber(2147483648),
          intPlusDouble: new Double(2),
          longPlusDouble: new Double(1.5),
          intPlusDec: Decimal128.fromString('1.1'),
          doublePlusDec: Decimal128.fromString('1.75'),
          intTimesLong: Long.fromNumber(42),
          negOverflow: Long.fromNumber(-2147483649),
        }),
      );
    });
  });

  it('refuses an int64 $inc that overflows instead of wrapping around', async () => {
    await withServer(async (client) => {
      const coll = client.db('t').collection<AnyDoc>('overflow');
      await coll.insertOne({ _id: 1, n: Long.MAX_VALUE });
      const error = await coll.updateOne({ _id: 1 }, { $inc: { n: Long.fromNumber(1) } } as never).then(
        () => undefined,
        (err: { code?: unknown }) => err,
      );
      // The client decodes without promotion, so even the error code arrives as an Int32.
      expect(Number(error?.code)).toBe(2);
      expect(typed(await coll.findOne({ _id: 1 }))).toEqual(typed({ _id: new Int32(1), n: Long.MAX_VALUE }));
    });
  });
});
