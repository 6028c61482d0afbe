// findAndModify: pick the first match in sort order, then update, replace or remove it and return
// the document before or after.
import type { Document } from 'bson';
import { collect, project } from '../query/shape.ts';
import { valueKey } from '../storage/keys.ts';
import { decodeBytes } from '../storage/stored-doc.ts';
import { type CommandHandler, ns } from './context.ts';
import { checkReplacement, type UpdateStatement, updateDocs } from './write-commands.ts';

export const findAndModify: CommandHandler = (ctx) => {
  const body = ctx.body;
  const target = ns(ctx, body.findAndModify ?? body.findandmodify);
  const filter = (body.query ?? {}) as Document;
  const [match] = collect(ctx.access, target, filter, { sort: body.sort as Document | undefined, limit: 1 });
  const fields = body.fields as Document | undefined;
  const shaped = (doc: Document | undefined) => (doc ? (project([doc], fields, filter)[0] ?? null) : null);
  if (body.remove === true) {
    if (match) ctx.access.remove(target, valueKey(match._id));
    return { lastErrorObject: { n: match ? 1 : 0 }, value: shaped(match) };
  }
  const update = body.update as Document | Document[] | undefined;
  if (update === undefined) return { lastErrorObject: { n: 0 }, value: null };
  checkReplacement(update);
  const stmt: UpdateStatement = {
    q: filter,
    u: update,
    upsert: body.upsert === true,
    arrayFilters: body.arrayFilters as Document[] | undefined,
  };
  const outcome = updateDocs(ctx, target, stmt, match ? [match] : []);
  const upserted = outcome.upsertedId !== undefined;
  const before = outcome.beforeRaw ? decodeBytes(outcome.beforeRaw) : undefined;
  const value = body.new === true ? outcome.after : upserted ? undefined : before;
  return {
    lastErrorObject: {
      n: upserted ? 1 : outcome.matched,
      updatedExisting: outcome.matched > 0,
      ...(upserted ? { upserted: outcome.upsertedId } : {}),
    },
    value: shaped(value),
  };
};
