// Properties: whatever sequence of writes runs, queries answered through indexes (unique, compound,
// multikey) return exactly what a plain in-test model of the collection returns; and range filters
// over mixed BSON types find through indexes exactly what a collection scan finds.
import fc from 'fast-check';
import { type Collection, Decimal128, type Document, Long } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useTestClient } from '../support/mongo.ts';

const mongo = useTestClient();

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
        const coll = mongo.client.db('model').collection<Row>(`run${run++}`);
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

// Values of mixed types: numbers of every BSON kind, strings (non-ASCII too), dates, arrays
// (multikey), null and missing — where type brackets and multikey bounds matter.
const mixed: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0.5, -2.5, Number.POSITIVE_INFINITY),
  fc.integer({ min: -5, max: 5 }).map((n) => Long.fromNumber(n)),
  fc.integer({ min: -5, max: 5 }).map((n) => Decimal128.fromString(`${n}.0`)),
  fc.constantFrom('', 'a', 'b', 'ab', 'é', 'z'),
  fc.integer({ min: 0, max: 5 }).map((n) => new Date(Date.UTC(2026, 0, n + 1))),
  fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 3 }),
  fc.constant(null),
);
const bound: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -6, max: 6 }),
  fc.constantFrom(0.5, Long.fromNumber(2), Decimal128.fromString('1.5')),
  fc.constantFrom('a', 'ab', 'b', 'é'),
  fc.integer({ min: 0, max: 6 }).map((n) => new Date(Date.UTC(2026, 0, n + 1))),
);
const lower = fc.record({ op: fc.constantFrom('$gt', '$gte'), value: bound });
const upper = fc.record({ op: fc.constantFrom('$lt', '$lte'), value: bound });
/**
 * One bound, or a lower and an upper one (often numbers, so that something matches; sometimes
 * crossed, which only an array with elements on both sides matches).
 */
const rangeOps = fc.oneof(
  fc.oneof(lower, upper).map(({ op, value }) => ({ [op]: value })),
  fc.tuple(lower, upper).map(([low, high]) => ({ [low.op]: low.value, [high.op]: high.value })),
  fc
    .tuple(fc.integer({ min: -6, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.boolean(), fc.boolean())
    .map(([from, width, gte, lte]) => ({
      [gte ? '$gte' : '$gt']: from,
      [lte ? '$lte' : '$lt']: from + width,
    })),
);
const rangeFilter = fc
  .tuple(fc.option(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant({ $in: [0, 2] }))), rangeOps)
  .map(([g, ops]) => (g === null ? { v: ops } : { g, v: ops }));

describe('embedded mongo: range scans agree with a collection scan', () => {
  it('finds through single and compound indexes what a scan finds, for any mix of types', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ g: fc.integer({ min: 0, max: 2 }), v: mixed }, { requiredKeys: ['g'] }), {
          maxLength: 30,
        }),
        fc.array(rangeFilter, { minLength: 1, maxLength: 4 }),
        async (docs, filters) => {
          const db = mongo.client.db('ranges');
          const indexed = db.collection(`indexed${run}`);
          const compound = db.collection(`compound${run}`);
          const plain = db.collection(`plain${run++}`);
          await indexed.createIndex({ v: 1 });
          await compound.createIndex({ g: 1, v: 1 });
          const rows: Document[] = docs.map((doc, i) => ({ _id: i, ...doc }));
          for (const coll of [indexed, compound, plain]) if (rows.length) await coll.insertMany(rows);
          for (const filter of filters) {
            const scanned = byId(await plain.find(filter).toArray());
            expect(byId(await indexed.find(filter).toArray())).toEqual(scanned);
            expect(byId(await compound.find(filter).toArray())).toEqual(scanned);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
