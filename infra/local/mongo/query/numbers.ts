// BSON numbers (double, int32, int64, decimal128) compared and combined numerically. Documents are
// decoded with int64 promoted to a JS number when it fits, so Long and Decimal128 objects only
// appear for values beyond 2^53 or decimals, and arithmetic keeps their type.
import { Decimal128, Long } from 'bson';

type BsonTagged = { _bsontype?: string };

export function isNumeric(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  const tag = (value as BsonTagged | null)?._bsontype;
  return tag === 'Long' || tag === 'Decimal128' || tag === 'Int32' || tag === 'Double';
}

function tagOf(value: unknown): string | undefined {
  return (value as BsonTagged | null)?._bsontype;
}

export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number(String(value));
}

function combine(a: unknown, b: unknown, op: 'add' | 'mul'): unknown {
  if (tagOf(a) === 'Decimal128' || tagOf(b) === 'Decimal128') {
    const result = op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
    return Decimal128.fromString(String(result));
  }
  const aIsInteger = tagOf(a) === 'Long' || (typeof a === 'number' && Number.isInteger(a));
  const bIsInteger = tagOf(b) === 'Long' || (typeof b === 'number' && Number.isInteger(b));
  if ((tagOf(a) === 'Long' || tagOf(b) === 'Long') && aIsInteger && bIsInteger) {
    const left = Long.fromValue(a as Long | number);
    const right = Long.fromValue(b as Long | number);
    return op === 'add' ? left.add(right) : left.multiply(right);
  }
  return op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
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
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (value instanceof Date) return 'date';
  const tag = tagOf(value);
  if (tag === 'ObjectId') return 'objectId';
  if (tag) return tag.toLowerCase();
  return 'object';
}
