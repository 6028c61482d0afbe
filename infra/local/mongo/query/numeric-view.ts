// mingo compares BSON Long and Decimal128 values as strings ("10" < "9") and cannot order them
// against plain numbers. Matching and sorting therefore run over a view of the document in which
// those become JS numbers (exact up to 2^53, approximate beyond); results are the original
// documents, so stored types never change. Int64 values that fit in 2^53 are already numbers
// when decoded, so the view is only built for documents that need it.
import type { Document } from 'bson';

const WIDE = new Set(['Long', 'Decimal128', 'Int32', 'Double']);

function tagOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null
    ? (value as { _bsontype?: string })._bsontype
    : undefined;
}

export function hasWideNumbers(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || value instanceof Date) return false;
  const tag = tagOf(value);
  if (tag !== undefined) return WIDE.has(tag);
  if (Array.isArray(value)) return value.some(hasWideNumbers);
  for (const key in value as Document) if (hasWideNumbers((value as Document)[key])) return true;
  return false;
}

export function numericView<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const tag = tagOf(value);
  if (tag !== undefined) return (WIDE.has(tag) ? Number(String(value)) : value) as T;
  if (Array.isArray(value)) return value.map(numericView) as T;
  const out: Document = {};
  for (const [key, item] of Object.entries(value as Document)) out[key] = numericView(item);
  return out as T;
}

/** Document view for matching: the document itself unless it holds Long/Decimal128 values. */
export function matchView(doc: Document): Document {
  return hasWideNumbers(doc) ? numericView(doc) : doc;
}
