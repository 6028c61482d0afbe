// The writing stages that end a pipeline: $out (replace a collection with the results) and $merge
// (fold the results into a collection, matching on `on`, default _id, with MongoDB's
// whenMatched / whenNotMatched modes). Pipeline-valued whenMatched is refused.
import type { Document } from 'bson';
import { serverError } from '../errors.ts';
import { type CommandContext, ns } from './context.ts';
import { insertOne } from './write-commands.ts';

const WHEN_MATCHED = new Set(['merge', 'replace', 'keepExisting', 'fail']);
const WHEN_NOT_MATCHED = new Set(['insert', 'discard', 'fail']);

export function writeOut(ctx: CommandContext, stage: Document, docs: Document[]): void {
  if ('$merge' in stage) {
    merge(ctx, stage.$merge, docs);
    return;
  }
  const target = targetOf(ctx, stage.$out, '$out');
  for (const found of [...ctx.access.find(target, {})]) ctx.access.remove(target, found.idKey);
  for (const doc of docs) ctx.access.put(target, doc);
}

function targetOf(ctx: CommandContext, into: unknown, stage: string): string {
  if (typeof into === 'string') return ns(ctx, into);
  if (into && typeof into === 'object' && typeof (into as Document).coll === 'string') {
    const { db, coll } = into as Document;
    return `${typeof db === 'string' ? db : ctx.db}.${String(coll)}`;
  }
  throw serverError('FailedToParse', `${stage} requires a collection name or {db, coll}`);
}

function merge(ctx: CommandContext, spec: unknown, docs: Document[]): void {
  const options = (typeof spec === 'string' ? { into: spec } : spec) as Document;
  const target = targetOf(ctx, options?.into, '$merge');
  const on = options.on === undefined ? ['_id'] : [options.on].flat().map(String);
  const whenMatched = options.whenMatched ?? 'merge';
  const whenNotMatched = options.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string' || !WHEN_MATCHED.has(whenMatched)) {
    throw serverError(
      'NotImplemented',
      '$merge whenMatched must be merge, replace, keepExisting or fail here',
    );
  }
  if (typeof whenNotMatched !== 'string' || !WHEN_NOT_MATCHED.has(whenNotMatched)) {
    throw serverError('BadValue', "$merge whenNotMatched must be 'insert', 'discard' or 'fail'");
  }
  for (const doc of docs) {
    const key = Object.fromEntries(on.map((field) => [field, doc[field] ?? null]));
    const existing = ctx.access.findOne(target, key);
    if (!existing) {
      if (whenNotMatched === 'fail') {
        throw serverError(
          'MergeStageNoMatchingDocument',
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      }
      if (whenNotMatched === 'insert') insertOne(ctx, target, doc);
      continue;
    }
    if (whenMatched === 'fail') {
      throw serverError('DuplicateKey', `E11000 duplicate key error collection: ${target}`, {
        keyPattern: Object.fromEntries(on.map((field) => [field, 1])),
        keyValue: key,
      });
    }
    if (whenMatched === 'keepExisting') continue;
    const next = whenMatched === 'merge' ? { ...existing.doc, ...doc } : { ...doc };
    ctx.access.put(target, { _id: existing.doc._id, ...next });
  }
}
