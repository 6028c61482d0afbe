// find / getMore / killCursors / count / distinct / aggregate.
import type { Document } from 'bson';
import { Aggregator } from 'mingo';
import { serverError } from '../errors.ts';
import { MINGO_OPTIONS } from '../query/mingo-options.ts';
import { matchView, overViews } from '../query/numeric-view.ts';
import { collect, project, scan } from '../query/shape.ts';
import { valueKey, valuesAtPath } from '../storage/keys.ts';
import { writeOut } from './aggregate-out.ts';
import { type CommandContext, type CommandHandler, ns, optionalNumber } from './context.ts';
import { explainReply } from './explain.ts';

const find: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.find);
  const limit = optionalNumber(ctx.body.limit) ?? 0;
  const filter = (ctx.body.filter ?? {}) as Document;
  const options = {
    sort: ctx.body.sort as Document | undefined,
    skip: optionalNumber(ctx.body.skip),
    limit,
    projection: ctx.body.projection as Document | undefined,
  };
  const singleBatch = ctx.body.singleBatch === true || limit < 0;
  const batchSize = optionalNumber(ctx.body.batchSize);
  if (options.sort && Object.keys(options.sort).length > 0) {
    return ctx.cursors.open(target, collect(ctx.access, target, filter, options), { batchSize, singleBatch });
  }
  // Unsorted: read lazily, a batch at a time, projecting each batch as it goes out.
  return ctx.cursors.open(target, scan(ctx.access, target, filter, options), {
    batchSize,
    singleBatch,
    shape: (batch) => project(batch, options.projection, filter),
  });
};

const getMore: CommandHandler = (ctx) =>
  ctx.cursors.more(ctx.body.getMore, ns(ctx, ctx.body.collection), optionalNumber(ctx.body.batchSize));

const killCursors: CommandHandler = (ctx) => {
  const { killed, notFound } = ctx.cursors.kill((ctx.body.cursors ?? []) as unknown[]);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
};

const count: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.count);
  const query = (ctx.body.query ?? {}) as Document;
  const skip = optionalNumber(ctx.body.skip) ?? 0;
  const limit = Math.abs(optionalNumber(ctx.body.limit) ?? 0);
  const coll = ctx.engine.collection(target);
  // estimatedDocumentCount: the collection's size, without decoding every document.
  let n: number;
  if (Object.keys(query).length === 0 && !ctx.access.txn && coll?.options.viewOn === undefined) {
    n = Math.max(0, (coll?.docs.size ?? 0) - skip);
  } else {
    n = 0;
    for (const _found of ctx.access.find(target, query)) n++;
    n = Math.max(0, n - skip);
  }
  return { n: limit > 0 ? Math.min(n, limit) : n };
};

const distinct: CommandHandler = (ctx) => {
  const target = ns(ctx, ctx.body.distinct);
  const key = String(ctx.body.key);
  const seen = new Map<string, unknown>();
  for (const found of ctx.access.find(target, (ctx.body.query ?? {}) as Document)) {
    for (const value of valuesAtPath(found.doc, key)) {
      if (value !== undefined && !seen.has(valueKey(value))) seen.set(valueKey(value), value);
    }
  }
  return { values: [...seen.values()] };
};

/** Runs a pipeline; a leading $match selects documents through the indexes. */
export function runPipeline(ctx: CommandContext, source: string, pipeline: Document[]): Document[] {
  const first = pipeline[0];
  const filter = first && '$match' in first ? (first.$match as Document) : {};
  const rest = first && '$match' in first ? pipeline.slice(1) : pipeline;
  const input = [...ctx.access.find(source, filter)].map((found) => found.doc);
  const aggregator = new Aggregator(
    matchView(rest as never) as Document[],
    {
      ...MINGO_OPTIONS,
      ...(ctx.access.variables ? { variables: ctx.access.variables } : {}),
      collectionResolver: (name: string) =>
        [...ctx.access.find(`${ctx.db}.${name}`, {})].map((found) => matchView(found.doc)),
    } as never,
  );
  return overViews(input, (views) => aggregator.run(views) as Document[]);
}

const aggregate: CommandHandler = (ctx) => {
  if (typeof ctx.body.aggregate !== 'string') {
    throw serverError('NotImplemented', 'The embedded server supports only collection aggregations.');
  }
  if (ctx.body.explain === true) {
    const { explain: _flag, ...inner } = ctx.body;
    return explainReply(ctx, inner, 'queryPlanner');
  }
  const target = ns(ctx, ctx.body.aggregate);
  const pipeline = (ctx.body.pipeline ?? []) as Document[];
  if (pipeline[0] && '$changeStream' in pipeline[0]) {
    throw serverError('NotImplemented', 'change streams are not supported by the embedded server');
  }
  const last = pipeline[pipeline.length - 1];
  const out = last && ('$out' in last || '$merge' in last) ? last : undefined;
  if (out && (ctx.body.readConcern as Document | undefined)?.level === 'linearizable') {
    throw serverError(
      'InvalidOptions',
      "readConcern level 'linearizable' is not allowed with $out or $merge",
    );
  }
  const docs = runPipeline(ctx, target, out ? pipeline.slice(0, -1) : pipeline);
  if (out) {
    writeOut(ctx, out, docs);
    return ctx.cursors.open(target, []);
  }
  const batchSize = optionalNumber((ctx.body.cursor as Document | undefined)?.batchSize);
  return ctx.cursors.open(target, docs, { batchSize });
};

export const readCommands: Record<string, CommandHandler> = {
  find,
  getmore: getMore,
  killcursors: killCursors,
  count,
  distinct,
  aggregate,
};
