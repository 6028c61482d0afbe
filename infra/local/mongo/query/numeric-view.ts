// mingo compares BSON Long and Decimal128 values as strings ("10" < "9"), cannot order them against
// plain numbers, and knows regexes only as RegExp. Matching, sorting and aggregation therefore run
// over a view of the document in which numbers of every BSON type become JS numbers (exact up to
// 2^53, approximate beyond) and BSON regexes become RegExp; results are mapped back to the original
// documents (restoreTypes), so stored types never change. Most documents hold only plain numbers,
// and then the view is the document itself.
import type { BSONRegExp, Document } from 'bson';

const WIDE = new Set(['Long', 'Decimal128', 'Int32', 'Double', 'BSONRegExp']);

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

function viewOf(value: object, tag: string): unknown {
  if (tag !== 'BSONRegExp') return Number(String(value));
  const { pattern, options } = value as BSONRegExp;
  try {
    return new RegExp(pattern, options.replace(/[^ims]/g, ''));
  } catch {
    return value;
  }
}

export function numericView<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const tag = tagOf(value);
  if (tag !== undefined) return (WIDE.has(tag) ? viewOf(value, tag) : value) as T;
  if (Array.isArray(value)) return value.map(numericView) as T;
  const out: Document = {};
  for (const [key, item] of Object.entries(value as Document)) out[key] = numericView(item);
  return out as T;
}

/** Document view for matching: the document itself unless it holds Long/Decimal128 values. */
export function matchView(doc: Document): Document {
  return hasWideNumbers(doc) ? numericView(doc) : doc;
}

/**
 * Puts the typed values back into a result computed over `view`: a top-level field the computation
 * passed through (the view's own value or object) takes the original's value again.
 */
export function restoreTypes(original: Document, view: Document, result: Document): Document {
  if (view === original) return result;
  for (const key of Object.keys(result)) {
    if (Object.hasOwn(view, key)) result[key] = restored(original[key], view[key], result[key]);
  }
  return result;
}

/** The original of a value passed through, looked for inside documents and arrays too. */
function restored(original: unknown, view: unknown, result: unknown): unknown {
  if (result === view) return original;
  if (Array.isArray(result) && Array.isArray(view) && Array.isArray(original)) {
    return result.map((item) => {
      const at = view.indexOf(item);
      return at >= 0 ? original[at] : item;
    });
  }
  if (isPlain(result) && isPlain(view) && isPlain(original)) return restoreTypes(original, view, result);
  return result;
}

function isPlain(value: unknown): value is Document {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    tagOf(value) === undefined
  );
}

/** Runs a computation over the views of documents; outputs that are input views become the inputs. */
export function overViews(docs: Document[], run: (views: Document[]) => Document[]): Document[] {
  const originals = new Map<Document, Document>();
  const views = docs.map((doc) => {
    const view = matchView(doc);
    if (view !== doc) originals.set(view, doc);
    return view;
  });
  const results = run(views);
  return originals.size === 0 ? results : results.map((doc) => originals.get(doc) ?? doc);
}
