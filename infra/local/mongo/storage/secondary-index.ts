// A secondary index: an ordered map from index key + document id key to the document id key, as
// MongoDB's indexes append the record id to the key. Keys are order-preserving encodings
// (order-keys.ts), so the planner can ask for a key range — equality on a prefix of the fields,
// then a range on the next one — and gets ids in index order. Unique, sparse, partial and TTL
// options are honoured here so that every write path enforces them the same way.
import { createRequire } from 'node:module';
import type { Document } from 'bson';
import { Query } from 'mingo';
import type sortedBtree from 'sorted-btree';
import { serverError } from '../errors.ts';
import { valuesAtPath } from './keys.ts';
import { afterPrefix, orderKey } from './order-keys.ts';

export interface IndexSpec {
  v?: number;
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

/** A span of index keys: from `low` (inclusive) to `high` (exclusive). */
export interface KeyRange {
  low: string;
  high: string;
}

// sorted-btree is CommonJS with `exports.default`, which Node's ESM loader and Vitest's interop hand
// out differently; `require` gives the class the same way everywhere.
const BTree = (createRequire(import.meta.url)('sorted-btree') as typeof sortedBtree).default;

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class SecondaryIndex {
  readonly spec: IndexSpec;
  readonly fields: string[];
  /** (index key + id key) → id key. */
  private readonly tree = new BTree<string, string>(undefined, compareStrings);
  /**
   * Whether some document held an array in an indexed field. Such a document matches
   * `{$gt: a, $lt: b}` when one element is above a and another below b, so a multikey index may
   * be scanned on one bound only (as MongoDB does).
   */
  multikey = false;
  private readonly partial: Query | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether a plain field lookup can use this index (partial/sparse indexes may miss documents). */
  get isComplete(): boolean {
    return !this.partial && !this.spec.sparse;
  }

  /** Index entries (index key + id key). */
  get size(): number {
    return this.tree.size;
  }

  /** The index keys of a document, or [] when the document is not in this index. */
  keysFor(doc: Document): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map((field) => valuesAtPath(doc, field));
    if (this.spec.sparse && perField.every((values) => values.every((value) => value === undefined)))
      return [];
    let keys = [''];
    for (const values of perField) {
      const fieldKeys = [...new Set(values.map(orderKey))];
      keys =
        fieldKeys.length === 1
          ? keys.map((prefix) => prefix + fieldKeys[0])
          : keys.flatMap((prefix) => fieldKeys.map((key) => prefix + key));
    }
    return keys;
  }

  add(idKey: string, doc: Document): void {
    const keys = this.keysFor(doc);
    if (!this.multikey && keys.length > 0 && this.fields.some((field) => holdsArray(doc, field))) {
      this.multikey = true;
    }
    for (const key of keys) this.tree.set(key + idKey, idKey);
  }

  remove(idKey: string, doc: Document): void {
    for (const key of this.keysFor(doc)) this.tree.delete(key + idKey);
  }

  /**
   * Adds the ids of the entries in the range to `out`, in index order. Returns false (and stops)
   * once `out` holds more than `limit` ids: the caller has a better plan already.
   */
  idsInRange(range: KeyRange, out: Set<string>, limit = Number.POSITIVE_INFINITY): boolean {
    let within = true;
    this.tree.forRange(range.low, range.high, false, (_key: string, idKey: string) => {
      out.add(idKey);
      if (out.size > limit) {
        within = false;
        return { break: true };
      }
      return undefined;
    });
    return within;
  }

  /** Ids of the documents holding exactly this index key. */
  idsWithKey(key: string): Set<string> {
    const ids = new Set<string>();
    this.idsInRange({ low: key, high: afterPrefix(key) }, ids);
    return ids;
  }

  /** Throws E11000 if another document (by id key, as seen through `isLive`) holds one of doc's keys. */
  checkUnique(ns: string, idKey: string, doc: Document, isLive: (otherIdKey: string) => boolean): void {
    if (!this.spec.unique) return;
    for (const key of this.keysFor(doc)) {
      for (const other of this.idsWithKey(key))
        if (other !== idKey && isLive(other)) throw this.duplicate(ns, doc);
    }
  }

  duplicate(ns: string, doc: Document): Error {
    const keyValue: Record<string, unknown> = {};
    for (const field of this.fields) keyValue[field] = valuesAtPath(doc, field)[0] ?? null;
    const shown = Object.entries(keyValue)
      .map(([field, value]) => `${field}: ${JSON.stringify(value)}`)
      .join(', ');
    return serverError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${shown} }`,
      { keyPattern: this.spec.key, keyValue },
    );
  }
}

/** Whether an array lies anywhere along the path (what makes an index multikey). */
function holdsArray(doc: Document, path: string): boolean {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(current)) return true;
    if (!current || typeof current !== 'object') return false;
    current = (current as Document)[part];
  }
  return Array.isArray(current);
}
