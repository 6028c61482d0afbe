// One collection: documents stored as immutable BSON bytes keyed by their _id key (so readers and
// snapshots can share them without copying), plus secondary indexes over the decoded documents.
import { type Document, deserialize } from 'bson';
import { serverError } from '../errors.ts';
import { valueKey } from './keys.ts';
import { type IndexSpec, SecondaryIndex } from './secondary-index.ts';

export interface StoredDoc {
  raw: Uint8Array;
  /** Commit sequence number of the write that produced this version (write-conflict detection). */
  seq: number;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export function decode(raw: Uint8Array): Document {
  return deserialize(raw, { promoteBuffers: false });
}

export class Collection {
  readonly docs = new Map<string, StoredDoc>();
  readonly indexes = new Map<string, SecondaryIndex>();
  /** Sequence numbers of recent deletes, so a transaction can tell a delete raced it. */
  readonly deletedAt = new Map<string, number>();
  readonly ns: string;
  options: Document;

  constructor(ns: string, options: Document = {}) {
    this.ns = ns;
    this.options = options;
  }

  get(idKey: string): StoredDoc | undefined {
    return this.docs.get(idKey);
  }

  lastWriteSeq(idKey: string): number {
    return this.docs.get(idKey)?.seq ?? this.deletedAt.get(idKey) ?? 0;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((index) => index.spec)];
  }

  /** Unique-index check for writing `doc` under `idKey`; `isLive` filters out ids a transaction hides. */
  checkUnique(idKey: string, doc: Document, isLive: (otherIdKey: string) => boolean = () => true): void {
    for (const index of this.indexes.values()) index.checkUnique(this.ns, idKey, doc, isLive);
  }

  /** Stores a document version; the caller has already checked unique indexes. Returns the old version. */
  put(idKey: string, raw: Uint8Array, doc: Document, seq: number): StoredDoc | undefined {
    const old = this.docs.get(idKey);
    if (old && this.indexes.size > 0) {
      const oldDoc = decode(old.raw);
      for (const index of this.indexes.values()) index.remove(idKey, oldDoc);
    }
    this.docs.set(idKey, { raw, seq });
    for (const index of this.indexes.values()) index.add(idKey, doc);
    return old;
  }

  remove(idKey: string, seq: number): StoredDoc | undefined {
    const old = this.docs.get(idKey);
    if (!old) return undefined;
    if (this.indexes.size > 0) {
      const oldDoc = decode(old.raw);
      for (const index of this.indexes.values()) index.remove(idKey, oldDoc);
    }
    this.docs.delete(idKey);
    this.deletedAt.set(idKey, seq);
    return old;
  }

  /** Restores a version exactly (undo of a failed multi-document apply). */
  restore(idKey: string, previous: StoredDoc | undefined): void {
    const current = this.docs.get(idKey);
    if (current && this.indexes.size > 0) {
      const currentDoc = decode(current.raw);
      for (const index of this.indexes.values()) index.remove(idKey, currentDoc);
    }
    if (!previous) {
      this.docs.delete(idKey);
      return;
    }
    this.docs.set(idKey, previous);
    if (this.indexes.size > 0) {
      const doc = decode(previous.raw);
      for (const index of this.indexes.values()) index.add(idKey, doc);
    }
  }

  createIndex(spec: IndexSpec): void {
    const index = new SecondaryIndex(spec);
    for (const [idKey, stored] of this.docs) {
      const doc = decode(stored.raw);
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
