// Sliding-window limits kept in MongoDB, so every Lambda container sees the same counts.
//
// An attempt is recorded *before* the work it guards and counted together with the others in the
// window, so a burst of parallel requests cannot all slip under the limit between check and record.
// A refused attempt removes its own record, so hammering a locked key does not extend the lock.
import type { Db } from 'mongodb';
import { rateLimits } from './collections.ts';

export interface RateLimit {
  /** Attempts allowed within the window. */
  limit: number;
  windowMs: number;
}

export type RateDecision =
  | { allowed: true; attemptId: unknown }
  | { allowed: false; retryAfterSeconds: number };

/** 5 failed sign-ins per email within 15 minutes; the 6th gets 429. */
export const LOGIN_FAILURE_LIMIT: RateLimit = { limit: 5, windowMs: 15 * 60 * 1000 };
/** Sign-ups per source address per hour: enough for a household behind one NAT. */
export const SIGNUP_LIMIT: RateLimit = { limit: 10, windowMs: 60 * 60 * 1000 };

export async function takeAttempt(
  db: Db,
  key: string,
  rule: RateLimit,
  now = new Date(),
): Promise<RateDecision> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const expiresAt = new Date(now.getTime() + rule.windowMs);
  const { insertedId } = await rateLimits(db).insertOne({ key, at: now, expiresAt });
  const recent = await rateLimits(db)
    .find({ key, at: { $gt: windowStart } }, { projection: { at: 1 } })
    .sort({ at: -1 })
    .limit(rule.limit + 1)
    .toArray();
  if (recent.length <= rule.limit) return { allowed: true, attemptId: insertedId };
  await rateLimits(db).deleteOne({ _id: insertedId });
  // recent[0] is this attempt; the next one fits once the limit-th newest earlier attempt leaves the window.
  const blocking = recent[rule.limit]?.at.getTime() ?? now.getTime();
  const freeAt = blocking + rule.windowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
}

/** Forgets every attempt for the key (a successful sign-in clears its failures). */
export async function clearAttempts(db: Db, key: string): Promise<void> {
  await rateLimits(db).deleteMany({ key });
}
