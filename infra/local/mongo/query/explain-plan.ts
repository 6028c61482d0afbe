// The plan a query gets, described as MongoDB's explain describes it: a tree of stages (IDHACK,
// IXSCAN under FETCH, COLLSCAN; SORT, SKIP, LIMIT and PROJECTION_DEFAULT above them), with the
// chosen index's name, key pattern and bounds written as MongoDB writes them ('["u1", "u1"]',
// '(5, 10]', '[MinKey, MaxKey]').
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.ts';
import { orderKey } from '../storage/order-keys.ts';
import {
  type ChosenPlan,
  choosePlan,
  conditionsOn,
  equalityValues,
  type IndexPlan,
  operators,
} from './plan.ts';

export interface QueryShape {
  filter: Document;
  sort?: Document | undefined;
  skip?: number | undefined;
  limit?: number | undefined;
  projection?: Document | undefined;
}

/** A bound value in MongoDB's notation. */
function boundText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : value > 0 ? 'inf.0' : '-inf.0';
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'ObjectId') return `ObjectId('${String(value)}')`;
  if (tag === 'MinKey' || tag === 'MaxKey') return tag;
  return String(value);
}

/** The far end of a one-sided range, within the bound's type bracket. */
function bracketEnd(value: unknown, upper: boolean): string {
  if (typeof value === 'string') return upper ? '{}' : '""';
  if (value instanceof Date) return `new Date(${upper ? '9223372036854775807' : '-9223372036854775808'})`;
  if ((value as { _bsontype?: string })?._bsontype === 'ObjectId') {
    return `ObjectId('${(upper ? 'f' : '0').repeat(24)}')`;
  }
  return upper ? 'inf.0' : '-inf.0';
}

function rangeBounds(filter: Document, field: string): string[] | undefined {
  for (const condition of conditionsOn(filter, field)) {
    const op = operators(condition);
    if (!op) continue;
    const low = op.$gt !== undefined ? ['(', op.$gt] : op.$gte !== undefined ? ['[', op.$gte] : undefined;
    const high = op.$lt !== undefined ? [op.$lt, ')'] : op.$lte !== undefined ? [op.$lte, ']'] : undefined;
    if (!low && !high) continue;
    const start = low ? `${low[0]}${boundText(low[1])}` : `[${bracketEnd(high![0], false)}`;
    const end = high ? `${boundText(high[0])}${high[1]}` : `${bracketEnd(low![1], true)}]`;
    return [`${start}, ${end}`];
  }
  return undefined;
}

export function indexBounds(plan: IndexPlan, filter: Document): Document {
  const bounds: Document = {};
  plan.index.fields.forEach((field, position) => {
    if (position < plan.equalities) {
      const values = [...(equalityValues(filter, field) ?? [])];
      values.sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : 1));
      bounds[field] = values.map((value) => `[${boundText(value)}, ${boundText(value)}]`);
    } else {
      bounds[field] = (position === plan.equalities && rangeBounds(filter, field)) || ['[MinKey, MaxKey]'];
    }
  });
  return bounds;
}

function ixscan(plan: IndexPlan, filter: Document): Document {
  const spec = plan.index.spec;
  return {
    stage: 'IXSCAN',
    keyPattern: spec.key,
    indexName: spec.name,
    isMultiKey: plan.index.multikey,
    multiKeyPaths: Object.fromEntries(plan.index.fields.map((field) => [field, []])),
    isUnique: spec.unique === true,
    isSparse: spec.sparse === true,
    isPartial: spec.partialFilterExpression !== undefined,
    indexVersion: spec.v ?? 2,
    direction: 'forward',
    indexBounds: indexBounds(plan, filter),
  };
}

function accessStage(chosen: ChosenPlan | undefined, filter: Document): Document {
  const withFilter = (stage: Document) => (Object.keys(filter).length > 0 ? { ...stage, filter } : stage);
  if (!chosen) return withFilter({ stage: 'COLLSCAN', direction: 'forward' });
  if (chosen.kind === 'id') {
    if (Object.keys(filter).length === 1) return { stage: 'IDHACK' };
    const ids = [...(equalityValues(filter, '_id') ?? [])].map(
      (id) => `[${boundText(id)}, ${boundText(id)}]`,
    );
    return withFilter({
      stage: 'FETCH',
      inputStage: {
        stage: 'IXSCAN',
        keyPattern: { _id: 1 },
        indexName: '_id_',
        direction: 'forward',
        indexBounds: { _id: ids },
      },
    });
  }
  return withFilter({ stage: 'FETCH', inputStage: ixscan(chosen.plan, filter) });
}

/** The winning plan's stage tree for a query over `coll` (EOF when the collection does not exist). */
export function winningPlan(
  coll: Collection | undefined,
  query: QueryShape,
): { plan: Document; chosen?: ChosenPlan } {
  if (!coll) return { plan: { stage: 'EOF' } };
  const chosen = coll.options.viewOn === undefined ? choosePlan(coll, query.filter) : undefined;
  let plan = accessStage(chosen, query.filter);
  const limit = Math.abs(query.limit ?? 0);
  if (query.sort && Object.keys(query.sort).length > 0) {
    plan = {
      stage: 'SORT',
      sortPattern: query.sort,
      memLimit: 104_857_600,
      ...(limit > 0 ? { limitAmount: limit + (query.skip ?? 0) } : {}),
      type: 'simple',
      inputStage: plan,
    };
  }
  if (query.skip) plan = { stage: 'SKIP', skipAmount: query.skip, inputStage: plan };
  if (limit > 0) plan = { stage: 'LIMIT', limitAmount: limit, inputStage: plan };
  if (query.projection && Object.keys(query.projection).length > 0) {
    plan = { stage: 'PROJECTION_DEFAULT', transformBy: query.projection, inputStage: plan };
  }
  return chosen ? { plan, chosen } : { plan };
}
