// A secondary index: index key string → ids of the documents carrying it. Equality lookups (the
// only kind the planner asks of it) are one Map probe; unique, sparse, partial and TTL options are
// honoured here so that every write path enforces them the same way.
import type { Document } from 'bson';
import { Query } from 'mingo';
import { serverError } from '../errors.ts';
import { valueKey, valuesAtPath } from './keys.ts';

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

const KEY_SEPARATOR = '\u0003';

export class SecondaryIndex {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly entries = new Map<string, Set<string>>();
  /**
   * For compound indexes: first field's key → ids, so that a filter with equality on the leading
   * field only (e.g. `{userId, _v: {$gt: v}}`) is still a lookup rather than a scan.
   */
  readonly prefix: Map<string, Set<string>> | undefined;
  private readonly partial: Query | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.prefix = this.fields.length > 1 ? new Map() : undefined;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Whether a plain field lookup can use this index (partial/sparse indexes may miss documents). */
  get isComplete(): boolean {
    return !this.partial && !this.spec.sparse;
  }

  /** The index keys of a document, or [] when the document is not in this index. */
  keysFor(doc: Document): string[] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map((field) => valuesAtPath(doc, field));
    if (this.spec.sparse && perField.every((values) => values.every((value) => value === undefined)))
      return [];
    let keys = [''];
    for (const values of perField) {
      const fieldKeys = [...new Set(values.map(valueKey))];
      keys = keys.flatMap((prefix) => fieldKeys.map((key) => (prefix ? prefix + KEY_SEPARATOR + key : key)));
    }
    return keys;
  }

  static lookupKey(values: unknown[]): string {
    return values.map(valueKey).join(KEY_SEPARATOR);
  }

  add(idKey: string, doc: Document): void {
    const keys = this.keysFor(doc);
    for (const key of keys) addId(this.entries, key, idKey);
    if (this.prefix && keys.length > 0)
      for (const key of this.firstFieldKeys(doc)) addId(this.prefix, key, idKey);
  }

  remove(idKey: string, doc: Document): void {
    const keys = this.keysFor(doc);
    for (const key of keys) removeId(this.entries, key, idKey);
    if (this.prefix && keys.length > 0) {
      for (const key of this.firstFieldKeys(doc)) removeId(this.prefix, key, idKey);
    }
  }

  private firstFieldKeys(doc: Document): Set<string> {
    return new Set(valuesAtPath(doc, this.fields[0]!).map(valueKey));
  }

  /** Throws E11000 if another document (by id key, as seen through `isLive`) holds one of doc's keys. */
  checkUnique(ns: string, idKey: string, doc: Document, isLive: (otherIdKey: string) => boolean): void {
    if (!this.spec.unique) return;
    for (const key of this.keysFor(doc)) {
      const ids = this.entries.get(key);
      if (!ids) continue;
      for (const other of ids) if (other !== idKey && isLive(other)) throw this.duplicate(ns, doc);
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

function addId(map: Map<string, Set<string>>, key: string, idKey: string): void {
  let ids = map.get(key);
  if (!ids) {
    ids = new Set();
    map.set(key, ids);
  }
  ids.add(idKey);
}

function removeId(map: Map<string, Set<string>>, key: string, idKey: string): void {
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(idKey);
  if (ids.size === 0) map.delete(key);
}
