// Decoding BSON so that re-encoding gives back the same types. The bson package decodes int32 and
// double both as JS numbers and re-encodes an integral number in int32 range as int32, so a double
// 2.0 would come back as int32 2; it decodes int64 as a number when it fits 2^53 and re-encodes
// that as int32 or double. Documents are therefore decoded without promotion and then relaxed
// where that is lossless: int32 → number, double → number unless it is integral in int32 range
// (kept as Double), int64 → Long always, regexes → RegExp when JS can express them exactly.
import { type BSONRegExp, type Document, Double, deserialize } from 'bson';

const OPTIONS = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
  validation: { utf8: false },
} as const;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function decodeTyped(bytes: Uint8Array): Document {
  return relaxDocument(deserialize(bytes, OPTIONS));
}

/** Whether the bson package would encode this number as int32 (so a double needs its wrapper). */
export function encodesAsInt32(n: number): boolean {
  return Number.isSafeInteger(n) && !Object.is(n, -0) && n >= INT32_MIN && n <= INT32_MAX;
}

/** A double that re-encodes as a double: a plain number when it can, a Double otherwise. */
export function doubleValue(n: number): number | Double {
  return encodesAsInt32(n) ? new Double(n) : n;
}

function relaxDocument(doc: Document): Document {
  for (const key in doc) doc[key] = relax(doc[key]);
  return doc;
}

function relax(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  switch ((value as { _bsontype?: string })._bsontype) {
    case 'Int32':
      return (value as { value: number }).value;
    case 'Double':
      return doubleValue((value as Double).value);
    case 'BSONRegExp':
      return jsRegExp(value as BSONRegExp) ?? value;
    case undefined:
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) value[i] = relax(value[i]);
        return value;
      }
      return value instanceof Date ? value : relaxDocument(value as Document);
    default:
      return value;
  }
}

/** A RegExp that the bson package re-encodes with the same pattern and options, if there is one. */
function jsRegExp(regex: BSONRegExp): RegExp | undefined {
  if (!/^i?m?$/.test(regex.options)) return undefined;
  try {
    const js = new RegExp(regex.pattern, regex.options);
    // JS escapes some characters in `source` (a "/" becomes "\/"), which would change the pattern.
    return js.source === regex.pattern ? js : undefined;
  } catch {
    return undefined;
  }
}
