// A canonical dump of the whole database, to assert that a request changed nothing.
import { EJSON } from 'bson';
import type { Db } from 'mongodb';

const EXPIRY_MARGIN_MS = 10 * 60 * 1000;

/** Collections that a refused request writes by design (failed sign-ins are counted). */
export const WRITTEN_ON_REFUSAL: ReadonlySet<string> = new Set(['rateLimits']);

export type Dump = Record<string, string[]>;

export async function dump(db: Db): Promise<Dump> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.'))
    .sort();
  const out: Dump = {};
  // Documents that expire within the margin are left out: the TTL monitor may delete them at any
  // moment, and a snapshot taken before must compare equal to one taken a little later.
  const horizon = new Date(Date.now() + EXPIRY_MARGIN_MS);
  for (const name of names) {
    const docs = await db
      .collection(name)
      .find({ expiresAt: { $not: { $lte: horizon } } })
      .toArray();
    out[name] = docs.map((d) => EJSON.stringify(d, { relaxed: false })).sort();
  }
  return out;
}

/** The dump as one comparable string, without the ignored collections. */
export function canonical(data: Dump, ignore: ReadonlySet<string> = WRITTEN_ON_REFUSAL): string {
  return JSON.stringify(Object.fromEntries(Object.entries(data).filter(([name]) => !ignore.has(name))));
}

export async function snapshot(db: Db, ignore: ReadonlySet<string> = WRITTEN_ON_REFUSAL): Promise<string> {
  return canonical(await dump(db), ignore);
}
