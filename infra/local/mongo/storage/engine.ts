// The storage engine: every collection by namespace, the commit sequence, and the one place where
// document writes and catalog changes are applied. Each apply is atomic in memory (undone on a
// unique-index violation) and appended to the journal as one record, so replay reproduces it.
import { Binary, type Document, serialize } from 'bson';
import { serverError } from '../errors.ts';
import { Collection } from './collection.ts';
import type { IndexSpec } from './secondary-index.ts';
import { decode, toStored } from './stored-doc.ts';

export interface DocWrite {
  ns: string;
  idKey: string;
  /** The new document, or null to delete. */
  doc: Document | null;
  raw?: Uint8Array;
}

export type CatalogOp =
  | { c: 'createCollection'; ns: string; options: Document }
  | { c: 'dropCollection'; ns: string }
  | { c: 'createIndex'; ns: string; spec: IndexSpec }
  | { c: 'dropIndex'; ns: string; name: string }
  | { c: 'dropDatabase'; db: string }
  | { c: 'renameCollection'; from: string; to: string; dropTarget: boolean };

const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export type RecordSink = (record: Document) => void;

export function splitNs(ns: string): { db: string; coll: string } {
  const dot = ns.indexOf('.');
  return { db: ns.slice(0, dot), coll: ns.slice(dot + 1) };
}

export class Engine {
  seq = 0;
  readonly collections = new Map<string, Collection>();
  /** Open transactions; while there are any, replaced versions are kept for their snapshots. */
  snapshotReaders = 0;
  /** Set once recovery is over; receives every record to journal. */
  sink: RecordSink | undefined;
  /**
   * Work done by queries, reported as serverStatus `metrics.queryExecutor` (MongoDB's names): index
   * entries read and documents decoded for matching. Tests use it to see that a query used an index.
   */
  readonly queryStats = { scanned: 0, scannedObjects: 0 };

  collection(ns: string): Collection | undefined {
    return this.collections.get(ns);
  }

  ensureCollection(ns: string, options: Document = {}): Collection {
    const existing = this.collections.get(ns);
    if (existing) return existing;
    this.applyCatalog({ c: 'createCollection', ns, options });
    return this.collections.get(ns)!;
  }

  databases(): string[] {
    return [...new Set([...this.collections.keys()].map((ns) => splitNs(ns).db))];
  }

  collectionsOf(db: string): Collection[] {
    return [...this.collections.values()].filter((coll) => splitNs(coll.ns).db === db);
  }

  applyCatalog(op: CatalogOp): void {
    this.runCatalog(op);
    this.sink?.({ s: ++this.seq, cat: op });
  }

  private runCatalog(op: CatalogOp): void {
    switch (op.c) {
      case 'createCollection':
        if (this.collections.has(op.ns))
          throw serverError('NamespaceExists', `Collection ${op.ns} already exists.`);
        this.collections.set(op.ns, new Collection(op.ns, op.options));
        return;
      case 'dropCollection':
        this.collections.delete(op.ns);
        return;
      case 'createIndex':
        this.ensureCollectionQuiet(op.ns).createIndex(op.spec);
        return;
      case 'dropIndex':
        this.ensureCollectionQuiet(op.ns).dropIndex(op.name);
        return;
      case 'dropDatabase':
        for (const coll of this.collectionsOf(op.db)) this.collections.delete(coll.ns);
        return;
      case 'renameCollection':
        this.rename(op.from, op.to, op.dropTarget);
        return;
    }
  }

  private rename(from: string, to: string, dropTarget: boolean): void {
    const coll = this.ensureCollectionQuiet(from);
    if (this.collections.has(to) && !dropTarget)
      throw serverError('NamespaceExists', `target namespace exists: ${to}`);
    this.collections.delete(from);
    coll.ns = to;
    this.collections.set(to, coll);
  }

  private ensureCollectionQuiet(ns: string): Collection {
    const coll = this.collections.get(ns);
    if (!coll) throw serverError('NamespaceNotFound', `ns not found: ${ns}`);
    return coll;
  }

  /**
   * Applies document writes atomically: all or none. Unique indexes are checked against the state
   * including the batch's earlier writes; on a violation everything applied so far is undone.
   */
  commit(writes: DocWrite[]): number {
    if (writes.length === 0) return this.seq;
    for (const write of writes) this.ensureCollection(write.ns);
    const seq = ++this.seq;
    const undo: Array<() => void> = [];
    try {
      for (const write of writes) undo.push(this.applyWrite(write, seq));
      // Journaled inside the try: if the record cannot be written, memory must not keep the writes.
      this.sink?.({ s: seq, w: writes.map(journalEntry) });
    } catch (err) {
      for (const step of undo.reverse()) step();
      this.seq--;
      throw err;
    }
    return seq;
  }

  private applyWrite(write: DocWrite, seq: number): () => void {
    const coll = this.collections.get(write.ns)!;
    if (write.doc !== null) {
      coll.checkUnique(write.idKey, write.doc);
      write.raw ??= serialize(write.doc);
      if (write.raw.length > MAX_DOCUMENT_BYTES)
        throw serverError('BSONObjectTooLarge', 'object to insert too large');
    }
    if (this.snapshotReaders > 0) coll.history.record(write.idKey, seq, coll.get(write.idKey));
    const old =
      write.doc === null
        ? coll.remove(write.idKey, seq)
        : coll.put(write.idKey, toStored(write.raw!), write.doc, seq);
    return () => {
      coll.restore(write.idKey, old);
      coll.history.forget(write.idKey, seq);
    };
  }

  /** Replays one journal or snapshot record (recovery; nothing is journaled again). */
  replay(record: Document): void {
    const op = record.cat as CatalogOp | undefined;
    if (op && !(op.c === 'createCollection' && this.collections.has(op.ns))) {
      try {
        this.runCatalog(op);
      } catch {
        // Already applied (a journal that overlaps the snapshot it follows): the state is the same.
      }
    }
    const writes = (record.w ?? []) as Document[];
    const seq = Number(record.s ?? this.seq + 1);
    for (const entry of writes) {
      const ns = String(entry.n);
      if (!this.collections.has(ns)) this.collections.set(ns, new Collection(ns));
      const coll = this.collections.get(ns)!;
      if (entry.d) {
        const stored = toStored((entry.d as Binary).buffer);
        coll.put(String(entry.k), stored, decode(stored), seq);
      } else {
        coll.remove(String(entry.k), seq);
      }
    }
    this.seq = Math.max(this.seq, seq);
  }
}

function journalEntry(write: DocWrite): Document {
  return write.doc === null
    ? { n: write.ns, k: write.idKey }
    : { n: write.ns, k: write.idKey, d: new Binary(write.raw!) };
}
