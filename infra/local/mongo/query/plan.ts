// Index selection: the filter's top-level equality (or $in) conditions on `_id` or on every field of
// a complete secondary index become direct key lookups; anything else is a collection scan. The
// full filter is still applied to every candidate, so a lookup may only narrow, never decide.
import type { Document } from 'bson';
import type { Collection } from '../storage/collection.ts';
import { valueKey } from '../storage/keys.ts';
import { SecondaryIndex } from '../storage/secondary-index.ts';

export function isLookupValue(value: unknown): boolean {
  if (value instanceof RegExp || Array.isArray(value)) return false;
  if (value && typeof value === 'object') {
    const tag = (value as { _bsontype?: string })._bsontype;
    if (tag === 'BSONRegExp') return false;
    if (!tag && Object.keys(value).some((key) => key.startsWith('$'))) return false;
  }
  return true;
}

/** The values a field must equal according to the filter's top level, or undefined if unconstrained. */
export function equalityValues(filter: Document, field: string): unknown[] | undefined {
  if (!Object.hasOwn(filter, field)) return fromAnd(filter, field);
  const condition: unknown = filter[field];
  if (isLookupValue(condition)) return [condition];
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) return undefined;
  const ops = Object.keys(condition);
  const op = condition as Document;
  if (ops.length === 1 && ops[0] === '$eq' && isLookupValue(op.$eq)) return [op.$eq];
  if (ops.length === 1 && ops[0] === '$in' && Array.isArray(op.$in) && op.$in.every(isLookupValue)) {
    return op.$in as unknown[];
  }
  return undefined;
}

function fromAnd(filter: Document, field: string): unknown[] | undefined {
  if (!Array.isArray(filter.$and)) return undefined;
  for (const clause of filter.$and as Document[]) {
    const values = clause && typeof clause === 'object' ? equalityValues(clause, field) : undefined;
    if (values) return values;
  }
  return undefined;
}

/** Candidate document id keys for the filter, or undefined when only a scan will do. */
export function candidateIds(coll: Collection, filter: Document): Iterable<string> | undefined {
  const ids = equalityValues(filter, '_id');
  if (ids) return new Set(ids.map(valueKey));
  let best: Set<string> | undefined;
  for (const index of coll.indexes.values()) {
    if (!index.isComplete) continue;
    const found = lookup(index, filter);
    if (found && (!best || found.size < best.size)) best = found;
    if (best?.size === 0) break;
  }
  return best;
}

/** Ids for the index's full key, or for its leading field alone (compound indexes). */
function lookup(index: SecondaryIndex, filter: Document): Set<string> | undefined {
  const perField = index.fields.map((field) => equalityValues(filter, field));
  const found = new Set<string>();
  if (perField.every((values) => values !== undefined)) {
    for (const combination of cartesian(perField as unknown[][])) {
      for (const idKey of index.entries.get(SecondaryIndex.lookupKey(combination)) ?? []) found.add(idKey);
    }
    return found;
  }
  const leading = perField[0];
  if (!index.prefix || !leading) return undefined;
  for (const value of leading) for (const idKey of index.prefix.get(valueKey(value)) ?? []) found.add(idKey);
  return found;
}

function cartesian(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((value) => [...prefix, value]));
  return out;
}
