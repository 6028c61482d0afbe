// One collection: documents stored as immutable BSON keyed by their _id key (`stored-doc.ts`), plus
// secondary indexes over the decoded documents and the versions open transactions may still read.
import type { Document } from 'bson';
import { serverError } from '../errors.ts';
import { VersionHistory } from './history.ts';
import { valueKey } from './keys.ts';
import { type IndexSpec, SecondaryIndex } from './secondary-index.ts';
import { decode, type StoredDoc } from './stored-doc.ts';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly docs = new Map<string, StoredDoc>();
  readonly indexes = new Map<string, SecondaryIndex>();
  /**
   * Commit sequence numbers of recent writes and deletes, so a transaction can tell that a write
   * raced it; entries older than every open transaction are pruned by the session sweep.
   */
  readonly recentWrites = new Map<string, number>();
  readonly history = new VersionHistory();
  ns: string;
  options: Document;

  constructor(ns: string, options: Document = {}) {
    this.ns = ns;
    this.options = options;
  }

  get(idKey: string): StoredDoc | undefined {
    return this.docs.get(idKey);
  }

  lastWriteSeq(idKey: string): number {
    return this.recentWrites.get(idKey) ?? 0;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /** Unique-index check for writing `doc` under `idKey`; `isLive` filters out ids a transaction hides. */
  checkUnique(idKey: string, doc: Document, isLive: (otherIdKey: string) => boolean = () => true): void {
    for (const index of this.indexes.values()) index.checkUnique(this.ns, idKey, doc, isLive);
  }

  /** Stores a document version; the caller has already checked unique indexes. Returns the old version. */
  put(idKey: string, stored: StoredDoc, doc: Document, seq: number): StoredDoc | undefined {
    const old = this.docs.get(idKey);
    if (old && this.indexes.size > 0) {
      const oldDoc = decode(old);
      for (const index of this.indexes.values()) index.remove(idKey, oldDoc);
    }
    this.docs.set(idKey, stored);
    this.recentWrites.set(idKey, seq);
    for (const index of this.indexes.values()) index.add(idKey, doc);
    return old;
  }

  remove(idKey: string, seq: number): StoredDoc | undefined {
    const old = this.docs.get(idKey);
    if (!old) return undefined;
    if (this.indexes.size > 0) {
      const oldDoc = decode(old);
      for (const index of this.indexes.values()) index.remove(idKey, oldDoc);
    }
    this.docs.delete(idKey);
    this.recentWrites.set(idKey, seq);
    return old;
  }

  /** Restores a version exactly (undo of a failed multi-document apply). */
  restore(idKey: string, previous: StoredDoc | undefined): void {
    const current = this.docs.get(idKey);
    if (current && this.indexes.size > 0) {
      const currentDoc = decode(current);
      for (const index of this.indexes.values()) index.remove(idKey, currentDoc);
    }
    if (!previous) {
      this.docs.delete(idKey);
      return;
    }
    this.docs.set(idKey, previous);
    if (this.indexes.size > 0) {
      const doc = decode(previous);
      for (const index of this.indexes.values()) index.add(idKey, doc);
    }
  }

  createIndex(spec: IndexSpec): void {
    const index = new SecondaryIndex(spec);
    for (const [idKey, stored] of this.docs) {
      const doc = decode(stored);
      index.checkUnique(this.ns, idKey, doc, () => true);
      index.add(idKey, doc);
    }
    this.indexes.set(spec.name, index);
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw serverError('InvalidOptions', 'cannot drop _id index');
    if (!this.indexes.delete(name)) throw serverError('IndexNotFound', `index not found with name [${name}]`);
  }
}

export function idKeyOf(doc: Document): string {
  return valueKey(doc._id);
}
