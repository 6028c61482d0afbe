// BSON numbers (double, int32, int64, decimal128) combined with MongoDB's type rules. Decoded
// documents hold int32 as a JS number, int64 as Long, decimal128 as Decimal128, and a double as a
// number — or as Double when it is integral in int32 range (see storage/typed-values.ts).
//
//   int32 ∘ int32 → int32, or int64 when it overflows     any ∘ double → double
//   int64 ∘ int32/int64 → int64, overflow is an error     any ∘ decimal → decimal (exact)
import { Decimal128, Long } from 'bson';
import { serverError } from '../errors.ts';
import { doubleValue, encodesAsInt32 } from '../storage/typed-values.ts';

type BsonTagged = { _bsontype?: string };
export type NumberKind = 'int' | 'long' | 'double' | 'decimal';

function tagOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? (value as BsonTagged)._bsontype : undefined;
}

export function numberKind(value: unknown): NumberKind | undefined {
  if (typeof value === 'number') return encodesAsInt32(value) ? 'int' : 'double';
  if (typeof value === 'bigint') return 'long';
  switch (tagOf(value)) {
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    case 'Decimal128':
      return 'decimal';
    default:
      return undefined;
  }
}

export function isNumeric(value: unknown): boolean {
  return numberKind(value) !== undefined;
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return Number(String(value));
}

function toBigInt(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(String(value));
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Op = 'add' | 'mul';

function combine(a: unknown, b: unknown, op: Op): unknown {
  const kinds = [numberKind(a), numberKind(b)];
  if (kinds.includes('decimal')) return decimalCombine(a, b, op);
  if (kinds.includes('double')) {
    return doubleValue(op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b));
  }
  const result = op === 'add' ? toBigInt(a) + toBigInt(b) : toBigInt(a) * toBigInt(b);
  if (kinds.includes('long')) {
    if (result < INT64_MIN || result > INT64_MAX) {
      throw serverError('BadValue', `Failed to apply $${op === 'add' ? 'inc' : 'mul'}: int64 overflow`);
    }
    return Long.fromBigInt(result);
  }
  const small = Number(result);
  return encodesAsInt32(small) ? small : Long.fromBigInt(result);
}

/** A decimal as coefficient × 10^exponent, exactly (a double goes through its shortest text). */
function decimalParts(value: unknown): { coefficient: bigint; exponent: number } | undefined {
  const text = tagOf(value) === 'Decimal128' ? String(value) : String(toNumber(value));
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  return {
    coefficient: BigInt(`${sign}${whole}${fraction}`),
    exponent: Number(exponent) - fraction.length,
  };
}

function decimalCombine(a: unknown, b: unknown, op: Op): Decimal128 {
  const x = decimalParts(a);
  const y = decimalParts(b);
  if (!x || !y) {
    // NaN or an infinity on either side: IEEE semantics are the same for decimals.
    const result = op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
    return Decimal128.fromString(Number.isNaN(result) ? 'NaN' : String(result));
  }
  if (op === 'mul') return decimalOf(x.coefficient * y.coefficient, x.exponent + y.exponent);
  const exponent = Math.min(x.exponent, y.exponent);
  const scale = (parts: { coefficient: bigint; exponent: number }) =>
    parts.coefficient * 10n ** BigInt(parts.exponent - exponent);
  return decimalOf(scale(x) + scale(y), exponent);
}

function decimalOf(coefficient: bigint, exponent: number): Decimal128 {
  return Decimal128.fromStringWithRounding(`${coefficient}E${exponent}`);
}

export function addNumbers(a: unknown, b: unknown): unknown {
  return combine(a, b, 'add');
}

export function multiplyNumbers(a: unknown, b: unknown): unknown {
  return combine(a, b, 'mul');
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  const kind = numberKind(value);
  if (kind) return kind;
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  const tag = tagOf(value);
  if (tag === 'ObjectId') return 'objectId';
  if (tag) return tag.toLowerCase();
  return 'object';
}
