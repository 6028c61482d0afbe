// insert / update / delete: batches of single-document writes. Each failure becomes a
// `writeErrors` entry; an ordered batch stops at the first one (MongoDB's semantics).
import { type Document, ObjectId, serialize } from 'bson';
import { serializeAnySize } from '../bson-size.ts';
import { ErrorCode, serverError, toServerError } from '../errors.ts';
import { seedFromFilter } from '../query/paths.ts';
import { applyUpdate, isReplacement } from '../query/update.ts';
import { valueKey } from '../storage/keys.ts';
import { type CommandContext, type CommandHandler, ns } from './context.ts';

interface BatchOutcome {
  writeErrors: Document[];
}

function runBatch<T>(items: T[], ordered: boolean, run: (item: T, index: number) => void): BatchOutcome {
  const writeErrors: Document[] = [];
  for (const [index, item] of items.entries()) {
    try {
      run(item, index);
    } catch (err) {
      const error = toServerError(err);
      // A write conflict aborts the whole transaction: it is a command error, not a write error.
      if (error.code === ErrorCode.WriteConflict) throw error;
      writeErrors.push(error.toWriteError(index));
      if (ordered) break;
    }
  }
  return { writeErrors };
}

function withErrors(reply: Document, outcome: BatchOutcome): Document {
  return outcome.writeErrors.length > 0 ? { ...reply, writeErrors: outcome.writeErrors } : reply;
}

export function checkId(doc: Document): void {
  const id: unknown = doc._id;
  if (Array.isArray(id) || id instanceof RegExp || id === undefined) {
    throw serverError(
      'InvalidIdField',
      `The '_id' value cannot be of type ${Array.isArray(id) ? 'array' : 'regex'}`,
    );
  }
  if (isPlainObject(id)) {
    const dollar = Object.keys(id).find((key) => key.startsWith('$'));
    if (dollar)
      throw serverError(
        'DollarPrefixedFieldName',
        `_id fields may not contain '$'-prefixed fields: ${dollar}`,
      );
  }
}

function isPlainObject(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !('_bsontype' in value);
}

/** Inserts one document, failing with E11000 on an existing _id. */
export function insertOne(ctx: CommandContext, target: string, doc: Document): Document {
  // MongoDB stores _id as the first field whatever order the client sent.
  const stored: Document = { _id: doc._id === undefined ? new ObjectId() : doc._id, ...doc };
  checkId(stored);
  if (ctx.access.getById(target, valueKey(stored._id))) {
    throw serverError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${target} index: _id_ dup key: { _id: ${JSON.stringify(stored._id)} }`,
      { keyPattern: { _id: 1 }, keyValue: { _id: stored._id } },
    );
  }
  ctx.access.put(target, stored);
  return stored;
}

const insert: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.insert);
  const docs = (ctx.body.documents ?? []) as Document[];
  let n = 0;
  const outcome = runBatch(docs, ctx.body.ordered !== false, (doc) => {
    insertOne(ctx, target, doc);
    n++;
  });
  return withErrors({ n }, outcome);
};

export interface UpdateStatement {
  q: Document;
  u: Document | Document[];
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
  sort?: Document;
}

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** The last document written (for findAndModify's `new: true`). */
  after?: Document;
  /** The BSON of the last document before the update (decoded only by findAndModify). */
  beforeRaw?: Uint8Array;
}

export function checkReplacement(update: Document | Document[]): void {
  if (Array.isArray(update) || !isReplacement(update)) return;
  for (const key of Object.keys(update)) {
    if (key.startsWith('$'))
      throw serverError('DollarPrefixedFieldName', `The dollar ($) prefixed field '${key}' is not valid`);
  }
}

/** One update statement; `preselected` replaces the filter's matches (findAndModify has sorted them). */
export function updateDocs(
  ctx: CommandContext,
  target: string,
  stmt: UpdateStatement,
  preselected?: Document[],
): UpdateOutcome {
  const outcome: UpdateOutcome = { matched: 0, modified: 0 };
  const matches = preselected ?? matchesFor(ctx, target, stmt);
  for (const doc of stmt.multi ? matches : matches.slice(0, 1)) {
    outcome.matched++;
    const beforeRaw = serialize(doc);
    const after = applyUpdate(doc, stmt.u, {
      filter: stmt.q,
      arrayFilters: stmt.arrayFilters,
      inserting: false,
      variables: ctx.access.variables,
    });
    outcome.beforeRaw = beforeRaw;
    outcome.after = after;
    const afterRaw = serializeAnySize(after);
    if (Buffer.from(beforeRaw).equals(afterRaw)) continue;
    ctx.access.put(target, after, afterRaw);
    outcome.modified++;
  }
  if (outcome.matched === 0 && stmt.upsert) upsert(ctx, target, stmt, outcome);
  return outcome;
}

function matchesFor(ctx: CommandContext, target: string, stmt: UpdateStatement): Document[] {
  if (stmt.multi) return [...ctx.access.find(target, stmt.q)].map((found) => found.doc);
  const first = ctx.access.findOne(target, stmt.q);
  return first ? [first.doc] : [];
}

function upsert(ctx: CommandContext, target: string, stmt: UpdateStatement, outcome: UpdateOutcome): void {
  const fromFilter = seedFromFilter(stmt.q);
  const seed = Array.isArray(stmt.u) || !isReplacement(stmt.u) ? fromFilter : {};
  const built = applyUpdate(seed, stmt.u, {
    filter: stmt.q,
    arrayFilters: stmt.arrayFilters,
    inserting: true,
    variables: ctx.access.variables,
  });
  // `_id: null` is a valid _id; only a missing one gets an ObjectId.
  const id: unknown =
    built._id !== undefined ? built._id : fromFilter._id !== undefined ? fromFilter._id : new ObjectId();
  const { _id: _ignored, ...rest } = built;
  const doc = insertOne(ctx, target, { _id: id, ...rest });
  outcome.upsertedId = doc._id;
  outcome.after = doc;
}

const update: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.update);
  const statements = (ctx.body.updates ?? []) as UpdateStatement[];
  // An update statement's `sort` arrived with MongoDB 8.0; 7.0 fails the command on the unknown field.
  if (statements.some((stmt) => stmt.sort !== undefined)) {
    throw serverError('Location40415', "BSON field 'update.updates.sort' is an unknown field.");
  }
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const outcome = runBatch(statements, ctx.body.ordered !== false, (stmt, index) => {
    checkReplacement(stmt.u);
    if (stmt.multi && !Array.isArray(stmt.u) && isReplacement(stmt.u)) {
      throw serverError('FailedToParse', 'multi update is not supported for replacement-style update');
    }
    const result = updateDocs(ctx, target, stmt);
    n += result.upsertedId === undefined ? result.matched : 1;
    nModified += result.modified;
    if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
  });
  return withErrors({ n, nModified, ...(upserted.length ? { upserted } : {}) }, outcome);
};

const remove: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.delete);
  const statements = (ctx.body.deletes ?? []) as Array<{ q: Document; limit?: number }>;
  let n = 0;
  const outcome = runBatch(statements, ctx.body.ordered !== false, (stmt) => {
    const single = Number(stmt.limit ?? 0) === 1;
    const found = single ? [ctx.access.findOne(target, stmt.q)] : [...ctx.access.find(target, stmt.q)];
    for (const match of found) {
      if (!match) continue;
      ctx.access.remove(target, match.idKey);
      n++;
    }
  });
  return withErrors({ n }, outcome);
};

export const writeCommands: Record<string, CommandHandler> = { insert, update, delete: remove };
