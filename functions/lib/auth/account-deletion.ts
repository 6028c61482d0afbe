// Deleting an account: every document of the user, in every collection, in one transaction, so an
// interruption leaves the account whole (and a retry starts over) rather than half gone. Then its
// open sockets are closed. The list below is every collection that names a user; the account
// deletion test scans the whole database for what it might have missed. What stays, for a few
// minutes, is the mark `deletedAccounts {_id}` that keeps requests already under way from
// bringing the account back (account-guard.ts).
//
//   users {_id}  sessions, wsTickets, wsConnections, syncState and syncMutationIds (its devices),
//   syncCommits, rejectedMutations, tasks, completions, weights, settings {userId}
//   syncVersions {_id}  rateLimits (keys of the email)
import type { ClientSession, Db } from 'mongodb';
import { type ConnectionCloser, managementCloser } from '../realtime/connection-closer.ts';
import { connections } from '../realtime/connections.ts';
import {
  commitsCollection,
  mutationIdsCollection,
  recordsCollection,
  rejectedCollection,
  SYNCED_COLLECTIONS,
  syncStateCollection,
  versionsCollection,
} from '../sync/collections.ts';
import { deletedAccounts, rateLimits, sessions, type UserDoc, users, wsTickets } from './collections.ts';
import { accountKeyPattern } from './sign-in-limits.ts';

/**
 * Everything keyed by the user's id (all but its account document and its email's sign-in limits).
 * Also what an in-flight write erases when it finds the account gone (account-guard.ts).
 */
export async function eraseUserData(db: Db, userId: string, session?: ClientSession): Promise<void> {
  const byUser = { userId };
  const options = session ? { session } : {};
  await sessions(db).deleteMany(byUser, options);
  await wsTickets(db).deleteMany(byUser, options);
  await connections(db).deleteMany(byUser, options);
  await syncStateCollection(db).deleteMany(byUser, options);
  await mutationIdsCollection(db).deleteMany(byUser, options);
  await commitsCollection(db).deleteMany(byUser, options);
  await rejectedCollection(db).deleteMany(byUser, options);
  for (const name of SYNCED_COLLECTIONS) await recordsCollection(db, name).deleteMany(byUser, options);
  await versionsCollection(db).deleteOne({ _id: userId }, options);
}

/** Far beyond the longest a request can run (API Gateway's 30 s integration timeout). */
export const DELETED_ACCOUNT_MARK_SECONDS = 600;

async function deleteEverything(db: Db, user: UserDoc, session: ClientSession): Promise<void> {
  await eraseUserData(db, user._id, session);
  const expiresAt = new Date(Date.now() + DELETED_ACCOUNT_MARK_SECONDS * 1000);
  await deletedAccounts(db).updateOne({ _id: user._id }, { $set: { expiresAt } }, { session, upsert: true });
  await rateLimits(db).deleteMany({ key: { $regex: accountKeyPattern(user.email) } }, { session });
  await users(db).deleteOne({ _id: user._id }, { session });
}

export async function deleteAccount(
  db: Db,
  user: UserDoc,
  closer: ConnectionCloser = managementCloser(),
): Promise<void> {
  const open = await connections(db)
    .find({ userId: user._id }, { projection: { _id: 1 } })
    .toArray();
  await db.client.withSession((session) =>
    session.withTransaction(() => deleteEverything(db, user, session)),
  );
  // A write that committed while the transaction ran is not in its snapshot and touched no document
  // it deleted (a new device, a new record): swept here. Writes that commit later find the account
  // gone themselves (account-guard.ts).
  await eraseUserData(db, user._id);
  // After the commit: a socket whose close fails has no document left, so its next heartbeat is
  // answered "gone" and reconnecting needs a session the account no longer has.
  await Promise.allSettled(open.map((c) => closer.close(c._id)));
}
