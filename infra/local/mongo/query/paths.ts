// Dotted-path access into plain documents (array indexes allowed), for the update operators the
// server implements itself and for seeding upserts.
import type { Document } from 'bson';

export function getPath(doc: Document, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Sets a value, creating intermediate documents; returns false if a non-container is in the way. */
export function setPath(doc: Document, path: string, value: unknown): boolean {
  const parts = path.split('.');
  let current: Record<string, unknown> = doc;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      current[part] = created;
      current = created;
    } else if (typeof next === 'object' && !isBsonValue(next)) {
      current = next as Record<string, unknown>;
    } else {
      return false;
    }
  }
  current[parts[parts.length - 1]!] = value;
  return true;
}

export function isBsonValue(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    typeof (value as { _bsontype?: unknown })._bsontype === 'string'
  );
}

export function isOperatorObject(value: unknown): value is Document {
  if (!value || typeof value !== 'object' || Array.isArray(value) || isBsonValue(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

/** The document an upsert starts from: the filter's equality conditions (MongoDB's rule). */
export function seedFromFilter(filter: Document, seed: Document = {}): Document {
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const clause of condition) seedFromFilter(clause as Document, seed);
      continue;
    }
    if (key.startsWith('$')) continue;
    if (isOperatorObject(condition)) {
      if (Object.hasOwn(condition, '$eq')) setPath(seed, key, condition.$eq);
      continue;
    }
    setPath(seed, key, condition);
  }
  return seed;
}
