// TTL indexes: documents whose indexed date is older than expireAfterSeconds are deleted by a
// periodic sweep (MongoDB's TTL monitor runs every 60 s; ours every second, so tests stay quick).
// The index key of a date is `d<milliseconds>`, so the sweep reads dates from the index alone and
// decodes no document; an array of dates expires with its earliest one, as in MongoDB.
import type { Engine } from './engine.ts';
import type { SecondaryIndex } from './secondary-index.ts';

function expiredIds(index: SecondaryIndex, cutoff: number): Set<string> {
  const expired = new Set<string>();
  for (const [key, ids] of index.entries) {
    if (!key.startsWith('d') || Number(key.slice(1)) > cutoff) continue;
    for (const idKey of ids) expired.add(idKey);
  }
  return expired;
}

export async function sweepTtl(
  engine: Engine,
  durable: () => Promise<void>,
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  for (const coll of [...engine.collections.values()]) {
    for (const index of [...coll.indexes.values()]) {
      const seconds = index.spec.expireAfterSeconds;
      if (seconds === undefined || index.fields.length !== 1) continue;
      for (const idKey of expiredIds(index, now - Number(seconds) * 1000)) {
        if (!coll.get(idKey)) continue;
        engine.commit([{ ns: coll.ns, idKey, doc: null }]);
        removed++;
      }
    }
  }
  if (removed > 0) await durable();
  return removed;
}
