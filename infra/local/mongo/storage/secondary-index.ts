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
    for (const key of this.keysFor(doc)) {
      let ids = this.entries.get(key);
      if (!ids) {
        ids = new Set();
        this.entries.set(key, ids);
      }
      ids.add(idKey);
    }
  }

  remove(idKey: string, doc: Document): void {
    for (const key of this.keysFor(doc)) {
      const ids = this.entries.get(key);
      if (!ids) continue;
      ids.delete(idKey);
      if (ids.size === 0) this.entries.delete(key);
    }
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
