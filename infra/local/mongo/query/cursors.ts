// Open cursors: the rest of a result set, handed out batch by batch through getMore. A sorted or
// aggregated result is materialized when the cursor opens; an unsorted find is read lazily, one
// batch per getMore, so a large collection is never decoded at once (later getMores may then see
// concurrent writes, as MongoDB's do).
import { calculateObjectSize, type Document, Long } from 'bson';
import { serverError } from '../errors.ts';

interface OpenCursor {
  ns: string;
  source: Iterator<Document>;
  /** A document read ahead: to know whether more remain, or left over by a full batch. */
  next: IteratorResult<Document>;
  /** Applied to each batch (e.g. a projection), after the batch is taken. */
  shape: (docs: Document[]) => Document[];
  lastUse: number;
}

const DEFAULT_FIRST_BATCH = 101;
/** MongoDB caps a reply batch at 16 MiB of documents (the first document always goes). */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const CURSOR_TIMEOUT_MS = 10 * 60_000;

export interface CursorReply {
  cursor: { id: Long; ns: string; firstBatch?: Document[]; nextBatch?: Document[] };
  ok: 1;
}

export interface OpenOptions {
  batchSize?: number | undefined;
  singleBatch?: boolean;
  shape?: (docs: Document[]) => Document[];
}

export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();

  /** The first batch of a result; registers a cursor only if documents remain. */
  open(ns: string, docs: Iterable<Document>, options: OpenOptions = {}): CursorReply {
    const source = docs[Symbol.iterator]();
    const shape = options.shape ?? ((batch: Document[]) => batch);
    const cursor: OpenCursor = { ns, source, next: source.next(), shape, lastUse: Date.now() };
    const firstBatch = this.take(cursor, options.batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!options.singleBatch && !cursor.next.done) {
      id = Long.fromNumber(1 + Math.floor(Math.random() * 2 ** 52));
      this.cursors.set(id.toString(), cursor);
    }
    return { cursor: { firstBatch, id, ns }, ok: 1 };
  }

  more(idValue: unknown, ns: string, batchSize: number | undefined): CursorReply {
    const key = String(idValue);
    const cursor = this.cursors.get(key);
    if (!cursor) throw serverError('CursorNotFound', `cursor id ${key} not found`);
    if (cursor.ns !== ns) {
      throw serverError(
        'Unauthorized',
        `Requested getMore on namespace '${ns}', but cursor belongs to ${cursor.ns}`,
      );
    }
    cursor.lastUse = Date.now();
    const nextBatch = this.take(cursor, batchSize ?? Number.POSITIVE_INFINITY);
    const done = cursor.next.done === true;
    if (done) this.cursors.delete(key);
    return { cursor: { nextBatch, id: done ? Long.ZERO : Long.fromString(key), ns }, ok: 1 };
  }

  kill(ids: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const long = Long.fromString(String(id));
      (this.cursors.delete(String(id)) ? killed : notFound).push(long);
    }
    return { killed, notFound };
  }

  sweep(now = Date.now()): void {
    for (const [id, cursor] of this.cursors) {
      if (now - cursor.lastUse > CURSOR_TIMEOUT_MS) this.cursors.delete(id);
    }
  }

  private take(cursor: OpenCursor, batchSize: number): Document[] {
    const limit = batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH;
    const batch: Document[] = [];
    let bytes = 0;
    while (batch.length < limit && !cursor.next.done) {
      const doc = cursor.next.value;
      const size = calculateObjectSize(doc);
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      bytes += size;
      batch.push(doc);
      cursor.next = cursor.source.next();
    }
    return cursor.shape(batch);
  }
}
