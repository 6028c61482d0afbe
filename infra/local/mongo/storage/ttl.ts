// TTL indexes: documents whose indexed date is older than expireAfterSeconds are deleted by a
// periodic sweep (MongoDB's TTL monitor runs every 60 s; ours every second, so tests stay quick).
import type { Document } from 'bson';
import { decode } from './collection.ts';
import type { DocWrite, Engine } from './engine.ts';
import { valuesAtPath } from './keys.ts';

function expiresBefore(doc: Document, field: string, cutoff: number): boolean {
  return valuesAtPath(doc, field).some((value) => value instanceof Date && value.getTime() <= cutoff);
}

export async function sweepTtl(
  engine: Engine,
  durable: () => Promise<void>,
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  for (const coll of [...engine.collections.values()]) {
    for (const index of coll.indexes.values()) {
      const seconds = index.spec.expireAfterSeconds;
      const field = index.fields[0];
      if (seconds === undefined || field === undefined || index.fields.length !== 1) continue;
      const cutoff = now - Number(seconds) * 1000;
      const expired = new Map<string, DocWrite>();
      for (const [key, ids] of index.entries) {
        if (!key.startsWith('d')) continue;
        for (const idKey of ids) {
          const stored = coll.get(idKey);
          if (stored && expiresBefore(decode(stored), field, cutoff))
            expired.set(idKey, { ns: coll.ns, idKey, doc: null });
        }
      }
      for (const write of expired.values()) engine.commit([write]);
      removed += expired.size;
    }
  }
  if (removed > 0) await durable();
  return removed;
}
