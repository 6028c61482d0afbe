// Property: whatever sequence of writes runs, queries answered through indexes (unique, compound,
// multikey) return exactly what a plain in-test model of the collection returns.
import fc from 'fast-check';
import { type Collection, type Document, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMongo, type TestMongo } from '../support/mongo.ts';

let mongo: TestMongo;
let client: MongoClient;

beforeAll(async () => {
  mongo = await startTestMongo();
  client = await new MongoClient(mongo.uri).connect();
});

afterAll(async () => {
  await client.close();
  await mongo.stop();
});

interface Row {
  _id: number;
  g: number;
  k: number;
  tags: number[];
}

type Op =
  | { kind: 'insert'; row: Row }
  | { kind: 'setK'; g: number; k: number }
  | { kind: 'inc'; k: number }
  | { kind: 'delete'; k: number };

const small = fc.integer({ min: 0, max: 4 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc
    .record({
      _id: fc.integer({ min: 0, max: 30 }),
      g: small,
      k: small,
      tags: fc.array(small, { maxLength: 3 }),
    })
    .map((row) => ({ kind: 'insert' as const, row })),
  fc.record({ g: small, k: small }).map(({ g, k }) => ({ kind: 'setK' as const, g, k })),
  small.map((k) => ({ kind: 'inc' as const, k })),
  small.map((k) => ({ kind: 'delete' as const, k })),
);

async function apply(coll: Collection<Row>, model: Map<number, Row>, op: Op): Promise<void> {
  if (op.kind === 'insert') {
    const ok = await coll.insertOne(op.row).then(
      () => true,
      () => false,
    );
    expect(ok).toBe(!model.has(op.row._id));
    if (ok) model.set(op.row._id, { ...op.row, tags: [...op.row.tags] });
  } else if (op.kind === 'setK') {
    await coll.updateMany({ g: op.g }, { $set: { k: op.k } });
    for (const row of model.values()) if (row.g === op.g) row.k = op.k;
  } else if (op.kind === 'inc') {
    await coll.updateMany({ k: op.k }, { $inc: { g: 1 } });
    for (const row of model.values()) if (row.k === op.k) row.g += 1;
  } else {
    await coll.deleteMany({ k: op.k });
    for (const [id, row] of model) if (row.k === op.k) model.delete(id);
  }
}

const byId = (rows: Document[]) => [...rows].sort((a, b) => a._id - b._id);

describe('embedded mongo: indexes agree with a model', () => {
  it('answers equality queries like the model after any write sequence', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), small, small, async (ops, g, k) => {
        const coll = client.db('model').collection<Row>(`run${run++}`);
        await coll.createIndex({ g: 1, k: 1 });
        await coll.createIndex({ tags: 1 });
        await coll.createIndex({ k: 1 });
        const model = new Map<number, Row>();
        for (const op of ops) await apply(coll, model, op);
        const rows = [...model.values()];
        expect(byId(await coll.find({ g, k }).toArray())).toEqual(
          byId(rows.filter((r) => r.g === g && r.k === k)),
        );
        expect(byId(await coll.find({ g }).toArray())).toEqual(byId(rows.filter((r) => r.g === g)));
        expect(byId(await coll.find({ tags: k }).toArray())).toEqual(
          byId(rows.filter((r) => r.tags.includes(k))),
        );
        expect(await coll.countDocuments({ k: { $in: [g, k] } })).toBe(
          rows.filter((r) => r.k === g || r.k === k).length,
        );
      }),
      { numRuns: 40 },
    );
  });
});
