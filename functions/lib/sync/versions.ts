// The per-user version counter. Every committed write increments it inside its transaction, so the
// version document is the one thing all of a user's writes touch: they serialize on it (a concurrent
// transaction hits a WriteConflict and the driver retries it), and versions commit in order.
import type { ClientSession, Db } from 'mongodb';
import { versionsCollection } from './collections.ts';

export async function readVersion(db: Db, userId: string, session?: ClientSession): Promise<number> {
  const doc = await versionsCollection(db).findOne({ _id: userId }, session ? { session } : {});
  return doc?.version ?? 0;
}

/** Inside the write transaction: the user's next version, which stamps every changed document. */
export async function bumpVersion(db: Db, userId: string, session: ClientSession): Promise<number> {
  const doc = await versionsCollection(db).findOneAndUpdate(
    { _id: userId },
    { $inc: { version: 1 } },
    { upsert: true, returnDocument: 'after', session },
  );
  if (!doc) throw new Error('Version upsert returned no document');
  return doc.version;
}
