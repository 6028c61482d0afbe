// TTL indexes: documents whose indexed date is older than expireAfterSeconds are deleted by a
// periodic sweep (MongoDB's TTL monitor runs every 60 s; ours every second, so tests stay quick).
// Dates sort in the index, so the sweep reads only the expired span of it and decodes no document;
// an array of dates expires with its earliest one, as in MongoDB.

import type { Engine } from './engine.ts';
import { AFTER, ordered, TAG } from './order-keys.ts';
import type { SecondaryIndex } from './secondary-index.ts';

function expiredIds(index: SecondaryIndex, cutoff: number): Set<string> {
  const expired = new Set<string>();
  const upTo = ordered(new Date(cutoff))!;
  index.idsInRange({ low: TAG.date, high: TAG.date + upTo.content + AFTER }, expired);
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
