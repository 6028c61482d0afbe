// The ordered indexes' key encoding (unit and property tests of that one part, the only internal
// module tested directly): comparing encodings as strings must order values as MongoDB does within
// and across type brackets, encode MongoDB-equal values identically, and keep tuple order when a
// compound key concatenates them.
import { Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderKey } from '../../infra/local/mongo/storage/order-keys.ts';

type Num = number | bigint;

/** A BSON number as a JS number or an exact bigint integer. */
function numeric(value: unknown): Num | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (value instanceof Long) return value.toBigInt();
  if (value instanceof Int32 || value instanceof Double) return value.valueOf();
  if (value instanceof Decimal128) {
    const text = value.toString();
    return /^-?\d+$/.test(text) ? BigInt(text) : Number(text);
  }
  return undefined;
}

function compareNumbers(a: Num, b: Num): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(b)) - Number(Number.isNaN(a));
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint') return -compareNumbers(b, a) || 0;
  const d = a as number;
  const n = b as bigint;
  if (Number.isNaN(d)) return -1;
  if (!Number.isFinite(d)) return Math.sign(d);
  const floor = BigInt(Math.floor(d));
  if (floor !== n) return floor < n ? -1 : 1;
  return d > Math.floor(d) ? 1 : 0;
}

/** MongoDB's order for the types ranges are planned on (numbers < strings < ObjectIds < dates). */
function mongoCompare(a: unknown, b: unknown): number {
  const rank = (value: unknown) =>
    numeric(value) !== undefined ? 0 : typeof value === 'string' ? 1 : value instanceof ObjectId ? 2 : 3;
  if (rank(a) !== rank(b)) return Math.sign(rank(a) - rank(b));
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return compareNumbers(na, nb);
  if (typeof a === 'string') return Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b as string)));
  if (a instanceof ObjectId) return Math.sign(a.toHexString().localeCompare((b as ObjectId).toHexString()));
  return Math.sign((a as Date).getTime() - (b as Date).getTime());
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const bigIntegers = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: 2n ** 53n - 4n, max: 2n ** 53n + 40n }),
  fc.bigInt({ min: -(2n ** 53n) - 40n, max: -(2n ** 53n) + 4n }),
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.double(),
  fc.integer({ min: -50, max: 50 }),
  fc.constantFrom(0, -0, 0.5, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  bigIntegers.map((n) => Long.fromBigInt(n)),
  bigIntegers.map((n) => Number(n)),
  bigIntegers.map((n) => Decimal128.fromString(n.toString())),
  fc.integer({ min: -50, max: 50 }).map((n) => new Int32(n)),
  fc.double({ noNaN: true }).map((n) => new Double(n)),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', 'é', '\uffff', '😀'), maxLength: 5 }),
  fc.date({ noInvalidDate: true }),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((bytes) => new ObjectId(bytes)),
);

describe('embedded mongo: order-preserving index keys', () => {
  it('orders any two values as MongoDB does, and encodes equal values identically', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(compareStrings(orderKey(a), orderKey(b))).toBe(mongoCompare(a, b));
      }),
      { numRuns: 5_000 },
    );
  });

  it('keeps tuple order when compound keys concatenate encodings', () => {
    fc.assert(
      fc.property(value, value, value, value, (a1, a2, b1, b2) => {
        const expected = mongoCompare(a1, b1) || mongoCompare(a2, b2);
        expect(compareStrings(orderKey(a1) + orderKey(a2), orderKey(b1) + orderKey(b2))).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives numbers of every BSON type the same key when they are equal', () => {
    const keys = (values: unknown[]) => new Set(values.map(orderKey));
    expect(
      keys([1, 1.0, new Int32(1), new Double(1), Long.fromNumber(1), Decimal128.fromString('1')]).size,
    ).toBe(1);
    expect(keys([0, -0, Long.ZERO, Decimal128.fromString('-0')]).size).toBe(1);
    expect(keys([2 ** 60, Long.fromBigInt(2n ** 60n), 2n ** 60n]).size).toBe(1);
    // 2^53 + 1 has no double of its own: the Long keeps a key apart from the double 2^53.
    expect(keys([2 ** 53, Long.fromBigInt(2n ** 53n + 1n)]).size).toBe(2);
  });

  it('keeps other types equal-exact and in their brackets', () => {
    expect(orderKey({ a: 1, b: 'x' })).toBe(orderKey({ a: 1, b: 'x' }));
    expect(orderKey({ a: 1, b: 'x' })).not.toBe(orderKey({ b: 'x', a: 1 }));
    expect(orderKey(null)).toBe(orderKey(undefined));
    const bracketOrder = [null, 5, 'text', { a: 1 }, new ObjectId(), true, new Date(0)].map(orderKey);
    expect([...bracketOrder].sort(compareStrings)).toEqual(bracketOrder);
  });
});
