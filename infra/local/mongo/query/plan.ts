// Index selection, as MongoDB builds index bounds: for each complete (non-sparse, non-partial)
// index, the filter's top-level equality (or $in) conditions on a prefix of the index's fields and
// a range ($gt/$gte/$lt/$lte) on the next field give key ranges; `_id` equality is a direct probe
// of the collection's map. Of the usable indexes, the one whose ranges hold the fewest ids wins.
// The full filter is still applied to every candidate, so ranges may be wider than the filter
// (bounds are inclusive, a multikey index is scanned on one bound), never narrower.
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.ts';
import { valueKey } from '../storage/keys.ts';
import { AFTER, afterPrefix, type Ordered, ordered, orderKey } from '../storage/order-keys.ts';
import type { KeyRange, SecondaryIndex } from '../storage/secondary-index.ts';

export function isLookupValue(value: unknown): boolean {
  if (value instanceof RegExp || Array.isArray(value)) return false;
  if (value && typeof value === 'object') {
    const tag = (value as { _bsontype?: string })._bsontype;
    if (tag === 'BSONRegExp') return false;
    if (!tag && Object.keys(value).some((key) => key.startsWith('$'))) return false;
  }
  return true;
}

/** The conditions on a field at the filter's top level and in its top-level `$and` clauses. */
export function conditionsOn(filter: Document, field: string): unknown[] {
  const found: unknown[] = Object.hasOwn(filter, field) ? [filter[field]] : [];
  if (Array.isArray(filter.$and)) {
    for (const clause of filter.$and as unknown[]) {
      if (clause && typeof clause === 'object' && Object.hasOwn(clause, field)) {
        found.push((clause as Document)[field]);
      }
    }
  }
  return found;
}

export function operators(condition: unknown): Document | undefined {
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return undefined;
  if ((condition as { _bsontype?: string })._bsontype !== undefined) return undefined;
  const keys = Object.keys(condition);
  return keys.length > 0 && keys.every((key) => key.startsWith('$')) ? (condition as Document) : undefined;
}

/** The values a field must equal according to the filter's top level, or undefined if unconstrained. */
export function equalityValues(filter: Document, field: string): unknown[] | undefined {
  for (const condition of conditionsOn(filter, field)) {
    if (isLookupValue(condition)) return [condition];
    const op = operators(condition);
    if (!op) continue;
    const ops = Object.keys(op);
    if (ops.length === 1 && ops[0] === '$eq' && isLookupValue(op.$eq)) return [op.$eq];
    if (ops.length === 1 && ops[0] === '$in' && Array.isArray(op.$in) && op.$in.every(isLookupValue)) {
      return op.$in as unknown[];
    }
  }
  return undefined;
}

/**
 * The key span, within one type bracket, that holds every value satisfying the field's range
 * operators; undefined when there are none of a type ranges are planned on.
 */
function rangeOn(filter: Document, field: string, multikey: boolean): KeyRange | undefined {
  let low: Ordered | undefined;
  let high: Ordered | undefined;
  for (const condition of conditionsOn(filter, field)) {
    const op = operators(condition);
    if (!op) continue;
    low ??= ordered(op.$gt) ?? ordered(op.$gte);
    high ??= ordered(op.$lt) ?? ordered(op.$lte);
  }
  // Two bounds in different brackets match nothing, and on a multikey index they may be met by
  // different elements: either way one bound alone gives a superset.
  if (low && high && (low.tag !== high.tag || multikey)) high = undefined;
  const bound = low ?? high;
  if (!bound) return undefined;
  return {
    low: bound.tag + (low?.content ?? ''),
    high: bound.tag + (high ? high.content + AFTER : AFTER),
  };
}

export interface IndexPlan {
  index: SecondaryIndex;
  ranges: KeyRange[];
  /** Two per equality field, one for a range: more constrained plans are tried first. */
  score: number;
  /** How many leading fields are bound by equality (the next one may hold a range). */
  equalities: number;
}

/** The access path a filter gets: `_id` probes, one index's ranges, or (undefined) a scan. */
export type ChosenPlan =
  | { kind: 'id'; ids: Set<string> }
  | { kind: 'index'; ids: Set<string>; plan: IndexPlan };

function planFor(index: SecondaryIndex, filter: Document): IndexPlan | undefined {
  let prefixes = [''];
  let k = 0;
  for (; k < index.fields.length; k++) {
    const values = equalityValues(filter, index.fields[k]!);
    if (!values) break;
    const keys = [...new Set(values.map(orderKey))];
    prefixes = prefixes.flatMap((prefix) => keys.map((key) => prefix + key));
  }
  const score = 2 * k;
  const range = k < index.fields.length ? rangeOn(filter, index.fields[k]!, index.multikey) : undefined;
  let ranges: KeyRange[];
  if (range) {
    ranges = prefixes.map((prefix) => ({ low: prefix + range.low, high: prefix + range.high }));
  } else if (k > 0) {
    ranges = prefixes.map((prefix) => ({ low: prefix, high: afterPrefix(prefix) }));
  } else {
    return undefined;
  }
  // Index order, as MongoDB returns an index scan over sorted $in values.
  ranges.sort((a, b) => (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
  return { index, ranges, score: range ? score + 1 : score, equalities: k };
}

/** Candidate document id keys for the filter, or undefined when only a scan will do. */
export function candidateIds(
  coll: Collection,
  filter: Document,
  stats: { scanned: number } = { scanned: 0 },
): Iterable<string> | undefined {
  return choosePlan(coll, filter, stats)?.ids;
}

/** The plan for a filter with the ids it reaches, or undefined when only a scan will do. */
export function choosePlan(
  coll: Collection,
  filter: Document,
  stats: { scanned: number } = { scanned: 0 },
): ChosenPlan | undefined {
  const ids = equalityValues(filter, '_id');
  if (ids) return { kind: 'id', ids: new Set(ids.map(valueKey)) };
  const plans: IndexPlan[] = [];
  for (const index of coll.indexes.values()) {
    if (!index.isComplete) continue;
    const plan = planFor(index, filter);
    if (plan) plans.push(plan);
  }
  plans.sort((a, b) => b.score - a.score);
  let best: { kind: 'index'; ids: Set<string>; plan: IndexPlan } | undefined;
  for (const plan of plans) {
    // A plan that reaches as many ids as the best one so far is abandoned mid-scan.
    const limit = best ? best.ids.size - 1 : Number.POSITIVE_INFINITY;
    const found = new Set<string>();
    const within = plan.ranges.every((range) => plan.index.idsInRange(range, found, limit));
    stats.scanned += found.size;
    if (!within) continue;
    best = { kind: 'index', ids: found, plan };
    if (found.size === 0) break;
  }
  return best;
}
