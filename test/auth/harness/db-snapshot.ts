// A canonical dump of the whole database, to assert that a request changed nothing.
import { EJSON } from 'bson';
import type { Db } from 'mongodb';

const EXPIRY_MARGIN_MS = 10 * 60 * 1000;

/** Collections that a refused request writes by design (failed sign-ins are counted). */
export const WRITTEN_ON_REFUSAL = new Set(['rateLimits']);

export async function snapshot(db: Db, ignore: ReadonlySet<string> = WRITTEN_ON_REFUSAL): Promise<string> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => !ignore.has(name) && !name.startsWith('system.'))
    .sort();
  const dump: Record<string, string[]> = {};
  // Documents that expire within the margin are left out: the TTL monitor may delete them at any
  // moment, and a snapshot taken before must compare equal to one taken a little later.
  const horizon = new Date(Date.now() + EXPIRY_MARGIN_MS);
  for (const name of names) {
    const docs = await db
      .collection(name)
      .find({ expiresAt: { $not: { $lte: horizon } } })
      .toArray();
    dump[name] = docs.map((d) => EJSON.stringify(d, { relaxed: false })).sort();
  }
  return JSON.stringify(dump);
}
