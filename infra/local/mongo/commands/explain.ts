// `explain` for find, count, distinct, aggregate, update, delete and findAndModify: the plan the
// query gets (query/explain-plan.ts) and, for the executionStats verbosities, the index keys and
// documents it examined and what it returned. Explaining a write examines the documents it would
// write and writes nothing, as in MongoDB.
import type { Document } from 'bson';
import { serverError } from '../errors.ts';
import { type QueryShape, winningPlan } from '../query/explain-plan.ts';
import { collect } from '../query/shape.ts';
import { type CommandContext, type CommandHandler, ns, optionalNumber } from './context.ts';
import { SERVER_VERSION } from './handshake.ts';

const VERBOSITIES = new Set(['queryPlanner', 'executionStats', 'allPlansExecution']);

interface Explained {
  target: string;
  query: QueryShape;
  /** The stage above the query's plan (COUNT, UPDATE, DELETE…), if any. */
  root?: string;
  /** Whether the query's documents are returned (a write's stage returns none). */
  returns: boolean;
  /** Pipeline stages after a leading $match (aggregate only). */
  stages?: Document[];
}

function queryOf(ctx: CommandContext, inner: Document): Explained {
  const name = (Object.keys(inner)[0] ?? '').toLowerCase();
  const target = ns(ctx, inner[Object.keys(inner)[0]!]);
  switch (name) {
    case 'find':
      return {
        target,
        returns: true,
        query: {
          filter: (inner.filter ?? {}) as Document,
          sort: inner.sort as Document | undefined,
          skip: optionalNumber(inner.skip),
          limit: optionalNumber(inner.limit),
          projection: inner.projection as Document | undefined,
        },
      };
    case 'count':
      return { target, root: 'COUNT', returns: false, query: { filter: (inner.query ?? {}) as Document } };
    case 'distinct':
      return { target, root: 'DISTINCT', returns: true, query: { filter: (inner.query ?? {}) as Document } };
    case 'aggregate': {
      const pipeline = (inner.pipeline ?? []) as Document[];
      const first = pipeline[0];
      const filter = first && '$match' in first ? (first.$match as Document) : {};
      const stages = first && '$match' in first ? pipeline.slice(1) : pipeline;
      return { target, returns: true, query: { filter }, stages };
    }
    case 'update': {
      const statement = ((inner.updates ?? []) as Document[])[0] ?? {};
      const limit = statement.multi === true ? undefined : 1;
      return {
        target,
        root: 'UPDATE',
        returns: false,
        query: { filter: (statement.q ?? {}) as Document, limit },
      };
    }
    case 'delete': {
      const statement = ((inner.deletes ?? []) as Document[])[0] ?? {};
      const limit = Number(statement.limit ?? 0) === 1 ? 1 : undefined;
      return {
        target,
        root: 'DELETE',
        returns: false,
        query: { filter: (statement.q ?? {}) as Document, limit },
      };
    }
    case 'findandmodify':
      return {
        target,
        root: inner.remove === true ? 'DELETE' : 'UPDATE',
        returns: false,
        query: {
          filter: (inner.query ?? {}) as Document,
          sort: inner.sort as Document | undefined,
          limit: 1,
        },
      };
    default:
      throw serverError(
        'CommandNotFound',
        `Explain failed due to unknown command: ${Object.keys(inner)[0] ?? ''}`,
      );
  }
}

/** Runs the query (reads only) and returns what it examined and returned. */
function execute(ctx: CommandContext, explained: Explained): Document {
  const stats = ctx.engine.queryStats;
  const before = { keys: stats.scanned, docs: stats.scannedObjects };
  const started = performance.now();
  const docs = collect(ctx.access, explained.target, explained.query.filter, explained.query);
  const keys = stats.scanned - before.keys;
  const docsExamined = stats.scannedObjects - before.docs;
  return {
    executionSuccess: true,
    nReturned: explained.returns ? docs.length : 0,
    executionTimeMillis: Math.round(performance.now() - started),
    // The _id probe reads no index entries of the ordered indexes; it examines one key per hit.
    totalKeysExamined: keys,
    totalDocsExamined: docsExamined,
    matched: docs.length,
  };
}

function withRoot(plan: Document, root: string | undefined): Document {
  return root ? { stage: root, inputStage: plan } : plan;
}

export const explain: CommandHandler = (ctx) => {
  const inner = ctx.body.explain;
  if (!inner || typeof inner !== 'object' || Array.isArray(inner)) {
    throw serverError('FailedToParse', 'explain command requires a nested object');
  }
  const verbosity = String(ctx.body.verbosity ?? 'allPlansExecution');
  if (!VERBOSITIES.has(verbosity)) {
    throw serverError(
      'FailedToParse',
      `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`,
    );
  }
  return explainReply(ctx, inner as Document, verbosity);
};

export function explainReply(ctx: CommandContext, inner: Document, verbosity: string): Document {
  const explained = queryOf(ctx, inner);
  // A write's plan has no LIMIT stage: the UPDATE / DELETE stage itself stops after one document.
  const planned = explained.root ? { ...explained.query, limit: undefined } : explained.query;
  const { plan, chosen } = winningPlan(ctx.engine.collection(explained.target), planned);
  const queryPlanner = {
    namespace: explained.target,
    indexFilterSet: false,
    parsedQuery: explained.query.filter,
    winningPlan: withRoot(plan, explained.root),
    rejectedPlans: [],
  };
  let executionStats: Document | undefined;
  if (verbosity !== 'queryPlanner') {
    const { matched, ...figures } = execute(ctx, explained);
    // The planner also reads the losing indexes' spans; the winning plan's keys are its ids.
    if (chosen?.kind === 'index') figures.totalKeysExamined = chosen.ids.size;
    if (chosen?.kind === 'id') figures.totalKeysExamined = matched;
    if (chosen?.kind === 'id' && figures.totalDocsExamined === 0) figures.totalDocsExamined = matched;
    executionStats = {
      ...figures,
      executionStages: { ...withRoot(plan, explained.root), nReturned: figures.nReturned },
    };
  }
  const cursor = { queryPlanner, ...(executionStats ? { executionStats } : {}) };
  const body =
    explained.stages && explained.stages.length > 0
      ? { stages: [{ $cursor: cursor }, ...explained.stages] }
      : cursor;
  return {
    explainVersion: '1',
    ...body,
    command: inner,
    serverInfo: { host: ctx.info.host, port: ctx.info.port, version: SERVER_VERSION, gitVersion: 'embedded' },
  };
}
