// What a command sees of the data: committed documents, overlaid with its transaction's own
// uncommitted writes when it runs inside one. Outside a transaction each write commits on its own
// (single-document atomicity, as in MongoDB).
import { type Document, serialize } from 'bson';
import { aggregate } from 'mingo';
import { serverError } from '../errors.ts';
import { type Collection, idKeyOf } from '../storage/collection.ts';
import { type Engine, splitNs } from '../storage/engine.ts';
import { valueKey } from '../storage/keys.ts';
import { decode, decodeBytes, type StoredDoc } from '../storage/stored-doc.ts';
import type { SessionRegistry, Txn } from '../txn/sessions.ts';
import { compileFilter, MINGO_OPTIONS } from './mingo-options.ts';
import { matchView, overViews } from './numeric-view.ts';
import { candidateIds, isLookupValue } from './plan.ts';

export interface Found {
  idKey: string;
  doc: Document;
}

export class DataAccess {
  /** The command's `let` variables, for filters with $expr. */
  variables: Document | undefined;

  constructor(
    readonly engine: Engine,
    private readonly sessions: SessionRegistry,
    readonly txn: Txn | undefined,
  ) {}

  /** Matching documents in natural order; stops early when the consumer stops iterating. */
  *find(ns: string, filter: Document): Generator<Found> {
    const coll = this.engine.collection(ns);
    const isView = coll?.options.viewOn !== undefined;
    const idOnly = isView ? undefined : exactIdKey(filter);
    if (idOnly !== undefined) {
      // The hot path (findOne by _id, the insert duplicate check): one Map probe, no matcher.
      const doc = this.getById(ns, idOnly);
      if (doc) yield { idKey: idOnly, doc };
      return;
    }
    const query =
      Object.keys(filter).length > 0 ? compileFilter(matchView(filter), this.variables) : undefined;
    const matches = (doc: Document) => !query || query.test(matchView(doc));
    const overlay = this.txn?.writes.get(ns);
    if (coll && isView) {
      yield* this.findInView(coll.ns, coll.options, matches);
      return;
    }
    if (coll) {
      for (const idKey of this.committedIds(coll, filter)) {
        if (overlay?.has(idKey)) continue;
        const stored = this.visible(coll, idKey);
        if (!stored) continue;
        this.engine.queryStats.scannedObjects++;
        const doc = decode(stored);
        if (matches(doc)) yield { idKey, doc };
      }
    }
    if (overlay) {
      for (const [idKey, doc] of overlay)
        if (doc && matches(doc)) yield { idKey, doc: structuredCloneDoc(doc) };
    }
  }

  /** Ids worth looking at: index candidates or every document, plus any with an older version. */
  private committedIds(coll: Collection, filter: Document): Iterable<string> {
    const ids = candidateIds(coll, filter, this.engine.queryStats);
    const older = this.txn && coll.history.size > 0 ? coll.history.idsChangedAfter(this.txn.startSeq) : [];
    if (ids) return older.length > 0 ? new Set([...ids, ...older]) : ids;
    if (older.length === 0) return coll.docs.keys();
    return [...coll.docs.keys(), ...older.filter((idKey) => !coll.docs.has(idKey))];
  }

  /** The committed version this reader sees: the latest, or inside a transaction its snapshot's. */
  private visible(coll: Collection, idKey: string): StoredDoc | undefined {
    const current = coll.get(idKey);
    return this.txn ? coll.history.versionAt(idKey, this.txn.startSeq, current) : current;
  }

  /** A view is its pipeline run over the source collection, computed on every read. */
  private *findInView(
    viewNs: string,
    options: Document,
    matches: (doc: Document) => boolean,
  ): Generator<Found> {
    const source = `${splitNs(viewNs).db}.${String(options.viewOn)}`;
    const input = [...this.find(source, {})].map((found) => found.doc);
    const pipeline = matchView((options.pipeline ?? []) as never) as Document[];
    const output = overViews(input, (views) => aggregate(views, pipeline, MINGO_OPTIONS) as Document[]);
    for (const doc of output) {
      if (matches(doc)) yield { idKey: valueKey(doc._id), doc };
    }
  }

  /** The document stored under an _id key, as this transaction sees it. */
  getById(ns: string, idKey: string): Document | undefined {
    const overlay = this.txn?.writes.get(ns);
    if (overlay?.has(idKey)) {
      const doc = overlay.get(idKey);
      return doc ? decodeBytes(serialize(doc)) : undefined;
    }
    const coll = this.engine.collection(ns);
    if (!coll || coll.options.viewOn !== undefined) return undefined;
    const stored = this.visible(coll, idKey);
    return stored ? decode(stored) : undefined;
  }

  findOne(ns: string, filter: Document): Found | undefined {
    for (const found of this.find(ns, filter)) return found;
    return undefined;
  }

  /** Inserts or replaces the document stored under its _id. */
  put(ns: string, doc: Document, raw?: Uint8Array): void {
    this.write(ns, idKeyOf(doc), doc, raw);
  }

  remove(ns: string, idKey: string): void {
    this.write(ns, idKey, null);
  }

  private write(ns: string, idKey: string, doc: Document | null, raw?: Uint8Array): void {
    if (this.engine.collection(ns)?.options.viewOn !== undefined) {
      throw serverError('CommandNotSupportedOnView', `Namespace ${ns} is a view, not a collection`);
    }
    if (!this.txn) {
      this.engine.commit([{ ns, idKey, doc, raw }]);
      return;
    }
    if (doc) this.checkUniqueInTxn(this.txn, ns, idKey, doc);
    this.sessions.write(this.txn, ns, idKey, doc);
  }

  /** Unique indexes as the transaction sees them: committed docs it has not overwritten, plus its own. */
  private checkUniqueInTxn(txn: Txn, ns: string, idKey: string, doc: Document): void {
    const coll = this.engine.ensureCollection(ns);
    const overlay = txn.writes.get(ns);
    coll.checkUnique(idKey, doc, (other) => !overlay?.has(other));
    if (!overlay) return;
    for (const index of coll.indexes.values()) {
      if (!index.spec.unique) continue;
      const keys = new Set(index.keysFor(doc));
      for (const [otherId, other] of overlay) {
        if (otherId === idKey || !other) continue;
        if (index.keysFor(other).some((key) => keys.has(key))) throw index.duplicate(ns, doc);
      }
    }
  }
}

function exactIdKey(filter: Document): string | undefined {
  for (const key in filter) if (key !== '_id') return undefined;
  return Object.hasOwn(filter, '_id') && isLookupValue(filter._id) ? valueKey(filter._id) : undefined;
}

/** Overlay documents are handed out as copies so callers may mutate what they read. */
function structuredCloneDoc(doc: Document): Document {
  return decodeBytes(serialize(doc));
}
