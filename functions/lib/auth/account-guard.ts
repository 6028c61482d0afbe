// A request the authorizer let through can still be running when its account is deleted: the
// authorizer answered while the session existed. What such a write adds after the deletion's
// snapshot would outlive the account (the deletion cannot see it, and nothing else removes it), so a
// write runs under this guard: once it is done, or has failed, it looks for the mark the deletion
// leaves for a few minutes (`deletedAccounts`); if the account was deleted, the guard erases what is
// left of the user and answers 401. Not "the user document is missing": a caller the authorizer
// trusts may name a user that never had one (the handler tests do), and that is no deletion.
//
//   the write commits before the deletion reads   → the deletion's transaction removes it
//   the write commits while the deletion runs      → the deletion's sweep after its commit removes it
//   the write commits after the deletion committed → this guard finds the account gone and erases it
import type { Db } from 'mongodb';
import { HttpError } from '../errors.ts';
import { eraseUserData } from './account-deletion.ts';
import { deletedAccounts } from './collections.ts';

async function wasDeleted(db: Db, userId: string): Promise<boolean> {
  return (await deletedAccounts(db).findOne({ _id: userId }, { projection: { _id: 1 } })) !== null;
}

async function erased(db: Db, userId: string, cause?: unknown): Promise<HttpError> {
  await eraseUserData(db, userId);
  return new HttpError('Unauthorized', 'This account has been deleted', {}, { cause });
}

/**
 * `write`, then the deletion check. `afterWrite` is what must follow the write but need not wait for
 * the check (the fan-out of a committed change): it runs beside it, one round trip off the answer.
 */
export async function whileAccountExists<T>(
  db: Db,
  userId: string,
  write: () => Promise<T>,
  afterWrite?: (result: T) => Promise<void>,
): Promise<T> {
  let result: T;
  try {
    result = await write();
  } catch (err) {
    // An unreachable database fails the check too: then the write's own error is the answer.
    if (await wasDeleted(db, userId).catch(() => false)) throw await erased(db, userId, err);
    throw err;
  }
  // The follow-up first: its commands reach the database ahead of the check's.
  const [after, check] = await Promise.allSettled([afterWrite?.(result), wasDeleted(db, userId)]);
  if (check.status === 'rejected') throw check.reason;
  if (check.value) throw await erased(db, userId);
  if (after.status === 'rejected') throw after.reason;
  return result;
}
