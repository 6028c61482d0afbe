// Order-preserving string encodings of BSON values, for the ordered secondary indexes. Comparing two
// encodings as JS strings orders them as MongoDB orders the values within a type bracket (numbers of
// every BSON type together, strings by UTF-8 bytes, dates, ObjectIds), brackets in MongoDB's order,
// and values MongoDB treats as equal (1, 1.0, Long(1)) encode identically. Each encoding is
// self-delimiting (it ends in END, which its content never holds), so a compound key — the fields'
// encodings concatenated — orders as the tuple of its fields does.
//
//   encoding = TAG (the type bracket) + content (escaped; no END inside) + END
import { valueKey } from './keys.ts';

/** Type brackets in MongoDB's comparison order (MinKey < null < numbers < strings < … < MaxKey). */
export const TAG = {
  minKey: '\u0010',
  null: '\u0011',
  number: '\u0012',
  string: '\u0013',
  object: '\u0014',
  array: '\u0015',
  binary: '\u0016',
  objectId: '\u0017',
  boolean: '\u0018',
  date: '\u0019',
  timestamp: '\u001a',
  regex: '\u001b',
  maxKey: '\u001c',
  other: '\u001d',
} as const;

export type Tag = (typeof TAG)[keyof typeof TAG];

/** Ends every encoding; smaller than any content character, so "ab" sorts before "abc". */
const END = '\u0000';
/** Greater than any content character (content is hex or latin1, so at most \u00ff). */
export const AFTER = '\uffff';

/** The bracket and content of a value whose content orders as MongoDB orders the value. */
export interface Ordered {
  tag: Tag;
  content: string;
}

const scratch = new DataView(new ArrayBuffer(8));

/**
 * A double as 16 hex digits that sort as the numbers do: flip the sign bit of positives and every
 * bit of negatives (IEEE 754 order trick). NaN sorts below -Infinity, as in MongoDB; -0 equals 0.
 */
function sortableDouble(n: number): string {
  if (Number.isNaN(n)) return '0000000000000000';
  scratch.setFloat64(0, n === 0 ? 0 : n);
  let high = scratch.getUint32(0);
  let low = scratch.getUint32(4);
  if (high & 0x80000000) {
    high = ~high >>> 0;
    low = ~low >>> 0;
  } else {
    high = (high | 0x80000000) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

/** Centres the offset of a big integer from its double (see numberContent) in 16 hex digits. */
const OFFSET_BIAS = 2n ** 63n;

/**
 * A number of any BSON type: its nearest double, and for integers beyond 2^53 (where doubles are
 * sparser than int64/Decimal128 integers) the exact distance from that double, so that distinct
 * values keep distinct, ordered keys and a double equal to a Long gets the Long's key.
 * A Decimal128 beyond 2^53 with a fraction is keyed at its nearest double.
 */
function numberContent(n: number, exact?: bigint): string {
  const base = sortableDouble(n);
  if (!Number.isInteger(n) || Number.isSafeInteger(n)) return base;
  const offset = (exact ?? BigInt(n)) - BigInt(n);
  return `${base}~${(offset + OFFSET_BIAS).toString(16).padStart(16, '0')}`;
}

function bsonNumberContent(text: string): string {
  return numberContent(Number(text), /^-?\d+$/.test(text) ? BigInt(text) : undefined);
}

/** Content never holds END: \0 → \1\1 and \1 → \1\2, which keeps the order of everything else. */
function withoutEnd(text: string): string {
  if (!text.includes(END) && !text.includes('\u0001')) return text;
  return text.replaceAll('\u0001', '\u0001\u0002').replaceAll(END, '\u0001\u0001');
}

/** MongoDB compares strings by their UTF-8 bytes; latin1 characters compare as those bytes do. */
function stringContent(text: string): string {
  return withoutEnd(isAscii(text) ? text : Buffer.from(text, 'utf8').toString('latin1'));
}

/** ASCII is its own UTF-8 encoding, so most strings need no conversion. */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

type Tagged = { _bsontype?: string; toString(): string; toHexString?(): string };

/** Bracket and order-preserving content, for the types ranges are planned on; undefined for others. */
export function ordered(value: unknown): Ordered | undefined {
  switch (typeof value) {
    case 'number':
      return { tag: TAG.number, content: numberContent(value) };
    case 'bigint':
      return { tag: TAG.number, content: numberContent(Number(value), value) };
    case 'string':
      return { tag: TAG.string, content: stringContent(value) };
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value instanceof Date) return { tag: TAG.date, content: sortableDouble(value.getTime()) };
  const tagged = value as Tagged | null;
  switch (tagged?._bsontype) {
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return { tag: TAG.number, content: bsonNumberContent(tagged.toString()) };
    case 'ObjectId':
    case 'ObjectID':
      return { tag: TAG.objectId, content: tagged.toHexString!() };
    case 'BSONSymbol':
      return {
        tag: TAG.string,
        content: stringContent(String((tagged as unknown as { value: string }).value)),
      };
    default:
      return undefined;
  }
}

/** The bracket of a value whose content is only equality-exact (order within it is arbitrary). */
function bracket(value: unknown): Tag {
  if (value === undefined || value === null) return TAG.null;
  if (typeof value === 'boolean') return TAG.boolean;
  if (value instanceof RegExp) return TAG.regex;
  if (Array.isArray(value)) return TAG.array;
  switch ((value as Tagged)._bsontype) {
    case 'Binary':
    case 'UUID':
      return TAG.binary;
    case 'Timestamp':
      return TAG.timestamp;
    case 'BSONRegExp':
      return TAG.regex;
    case 'MinKey':
      return TAG.minKey;
    case 'MaxKey':
      return TAG.maxKey;
    case undefined:
      return typeof value === 'object' ? TAG.object : TAG.other;
    default:
      return TAG.other;
  }
}

/** The self-delimiting encoding of one value (one field of an index key). */
export function orderKey(value: unknown): string {
  const known = ordered(value);
  if (known) return known.tag + known.content + END;
  if (value === undefined || value === null) return TAG.null + END;
  if (typeof value === 'boolean') return TAG.boolean + (value ? '1' : '0') + END;
  return bracket(value) + withoutEnd(valueKey(value)) + END;
}

/**
 * The exclusive upper end of the keys that start with `prefix` (itself a whole encoding, so it
 * ends in END): the same string with that END raised by one.
 */
export function afterPrefix(prefix: string): string {
  return `${prefix.slice(0, -1)}\u0001`;
}
