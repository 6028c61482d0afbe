// How this server calls mingo. Options for every call on client input: no server-side JavaScript
// ($where, $function, $accumulator) — MongoDB would run it; this server refuses it (NotImplemented).
//
// mingo copies its operator registry into every Query and update it builds (its `Context.from`):
// through the package's main entry that is every operator of every kind, ~30–60 µs a command,
// more than the command's own work. A filter needs only the query operators, so it gets a registry
// of just them; a filter using aggregation expressions ($expr) takes the main entry and its full
// registry.
import { Context, Query as FullQuery, find as fullFind, update as fullUpdate } from 'mingo';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import { Query as BaseQuery } from 'mingo/query';

export const MINGO_OPTIONS = { scriptEnabled: false } as const;

type Criteria = Record<string, unknown>;

const QUERY_ONLY = { ...MINGO_OPTIONS, context: Context.init({ query: queryOperators }) };

/** Whether a filter uses aggregation expressions somewhere (`$expr`, at any depth). */
function usesExpressions(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(usesExpressions);
  if (!value || typeof value !== 'object' || (value as { _bsontype?: string })._bsontype) return false;
  for (const key in value) {
    if (key === '$expr' || usesExpressions((value as Criteria)[key])) return true;
  }
  return false;
}

/** A compiled filter; `variables` are the command's `let` ($$name in $expr). */
export function compileFilter(filter: Criteria, variables?: Criteria): { test(doc: unknown): boolean } {
  if (!usesExpressions(filter)) return new BaseQuery(filter, QUERY_ONLY);
  return new FullQuery(filter, variables ? { ...MINGO_OPTIONS, variables } : MINGO_OPTIONS);
}

const PLAIN_PROJECTION = {
  ...MINGO_OPTIONS,
  context: Context.init({ query: queryOperators, projection: projectionOperators }),
};

/** Only inclusions and exclusions (`{a: 1, b: 0}`): no expression to evaluate. */
function isPlainProjection(spec: Criteria): boolean {
  return Object.values(spec).every((value) => typeof value === 'number' || typeof value === 'boolean');
}

/**
 * Projects documents that all matched `query` (only read for positional `a.$` paths). Plain
 * inclusions and exclusions, by far the most common, take the small registry as filters do; a
 * projection with operators or expressions takes the main entry.
 */
export function projectDocs(docs: Criteria[], query: Criteria, spec: Criteria): Criteria[] {
  if (isPlainProjection(spec))
    return new BaseQuery(query, PLAIN_PROJECTION).find(docs, spec).all() as Criteria[];
  return fullFind(docs, query, spec, MINGO_OPTIONS).all() as Criteria[];
}

/** mingo's sort of `docs` by `spec`: no operator is evaluated, so the small registry serves. */
export function sortedDocs<T>(docs: T[], spec: Criteria): T[] {
  return new BaseQuery({}, PLAIN_PROJECTION)
    .find(docs)
    .sort(spec as never)
    .all() as T[];
}

/**
 * Applies update operators to `doc` in place; `filter` resolves positional (`$`) paths. This goes
 * through mingo's main entry and its full registry: the common $set/$unset never get here
 * (update.ts applies them itself), so the registry copy is paid only by the rarer operators.
 */
export function applyMingoUpdate(
  doc: Criteria,
  modifier: Criteria,
  arrayFilters: Criteria[] | undefined,
  filter: Criteria,
): void {
  fullUpdate(doc, modifier as never, arrayFilters, filter, {
    cloneMode: 'none',
    queryOptions: MINGO_OPTIONS,
  });
}
