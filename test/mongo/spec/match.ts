// The unified test format's matching rules ("Evaluating Matches"): root documents may carry extra
// fields, nested ones may not; numbers match across int/long/double; `$$` operators assert.
import { Decimal128, type Document, Long } from 'mongodb';

type Path = string;

function isNumber(value: unknown): boolean {
  return (
    typeof value === 'number' ||
    value instanceof Long ||
    (value as { _bsontype?: string })?._bsontype === 'Int32' ||
    (value as { _bsontype?: string })?._bsontype === 'Double'
  );
}

function plainNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value));
}

function isDocument(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    typeof (value as { _bsontype?: unknown })._bsontype !== 'string'
  );
}

function specialOperator(expected: unknown): string | undefined {
  if (!isDocument(expected)) return undefined;
  const keys = Object.keys(expected);
  return keys.length === 1 && keys[0]!.startsWith('$$') ? keys[0] : undefined;
}

/** Returns a description of the first mismatch, or undefined when actual matches expected. */
export function mismatch(
  expected: unknown,
  actual: unknown,
  isRoot = true,
  path: Path = '$',
): string | undefined {
  // The driver keeps some command fields (e.g. `sort`) as Maps.
  if (actual instanceof Map) return mismatch(expected, Object.fromEntries(actual), isRoot, path);
  const operator = specialOperator(expected);
  if (operator) return matchOperator(operator, (expected as Document)[operator], actual, isRoot, path);
  if (isDocument(expected)) {
    if (!isDocument(actual)) return `${path}: expected a document, got ${String(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const op = specialOperator(value);
      if (op === '$$exists') {
        if ((actual[key] !== undefined) !== (value as Document).$$exists)
          return `${path}.${key}: $$exists failed`;
        continue;
      }
      if (op === '$$unsetOrMatches' && actual[key] === undefined) continue;
      if (!(key in actual)) return `${path}.${key}: missing`;
      const inner = mismatch(value, actual[key], false, `${path}.${key}`);
      if (inner) return inner;
    }
    if (!isRoot) {
      const extra = Object.keys(actual).filter((key) => !(key in expected));
      if (extra.length > 0) return `${path}: unexpected fields ${extra.join(', ')}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array`;
    if (actual.length !== expected.length)
      return `${path}: expected ${expected.length} elements, got ${actual.length}`;
    for (const [index, value] of expected.entries()) {
      const inner = mismatch(value, actual[index], false, `${path}[${index}]`);
      if (inner) return inner;
    }
    return undefined;
  }
  return scalarMismatch(expected, actual, path);
}

function scalarMismatch(expected: unknown, actual: unknown, path: Path): string | undefined {
  if (isNumber(expected) && isNumber(actual)) {
    return plainNumber(expected) === plainNumber(actual)
      ? undefined
      : `${path}: ${String(expected)} ≠ ${String(actual)}`;
  }
  if (expected instanceof Decimal128 || expected instanceof Date) {
    return String(expected) === String(actual)
      ? undefined
      : `${path}: ${String(expected)} ≠ ${String(actual)}`;
  }
  if (typeof expected === 'object' && expected !== null) {
    return JSON.stringify(expected) === JSON.stringify(actual) ? undefined : `${path}: BSON value differs`;
  }
  return Object.is(expected, actual)
    ? undefined
    : `${path}: ${JSON.stringify(expected)} ≠ ${JSON.stringify(actual)}`;
}

const TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  int: (v) => typeof v === 'number' && Number.isInteger(v),
  long: (v) => v instanceof Long || (typeof v === 'number' && Number.isInteger(v)),
  double: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  object: (v) => isDocument(v),
  array: (v) => Array.isArray(v),
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  objectId: (v) => (v as { _bsontype?: string })?._bsontype === 'ObjectId',
};

function matchOperator(
  operator: string,
  argument: unknown,
  actual: unknown,
  isRoot: boolean,
  path: Path,
): string | undefined {
  switch (operator) {
    case '$$unsetOrMatches':
      return actual === undefined ? undefined : mismatch(argument, actual, isRoot, path);
    case '$$exists':
      return (actual !== undefined) === argument ? undefined : `${path}: $$exists ${String(argument)} failed`;
    case '$$type': {
      const types = Array.isArray(argument) ? argument : [argument];
      return types.some((type) => TYPE_CHECKS[String(type)]?.(actual))
        ? undefined
        : `${path}: not of type ${String(types)}`;
    }
    default:
      return `${path}: matching operator ${operator} is not supported by this runner`;
  }
}
