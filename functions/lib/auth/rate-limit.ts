// Sliding-window limits kept in MongoDB, so every Lambda container sees the same counts.
//
// An attempt is recorded *before* the work it guards and counted together with the others in the
// window, so a burst of parallel requests cannot all slip under the limit between check and record.
// A refused attempt removes its own record, so hammering a locked key does not extend the lock.
//
// A rule may also slow down before it refuses: past `slowAfter` attempts in the window, an attempt
// must come a growing delay after the one before it (doubling from `baseDelayMs` up to
// `maxDelayMs`), and is refused with the time left otherwise. A rule without a `limit` only slows.
import type { Db, ObjectId } from 'mongodb';
import { rateLimits } from './collections.ts';

export interface RateLimit {
  /** Attempts allowed within the window; none: never refused outright, only slowed. */
  limit?: number;
  windowMs: number;
  slowAfter?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export type RateDecision =
  | { allowed: true; attemptId: ObjectId }
  | { allowed: false; retryAfterSeconds: number };

export type RatesDecision =
  | { allowed: true; attemptIds: ObjectId[] }
  | { allowed: false; retryAfterSeconds: number };

const MINUTE = 60 * 1000;

/** Sign-ups per source address per hour: enough for a household behind one NAT. */
export const SIGNUP_LIMIT: RateLimit = { limit: 10, windowMs: 60 * MINUTE };

/** Attempts older than the window no longer count toward a delay beyond this many doublings. */
const MAX_DOUBLINGS = 20;

function delayMs(rule: RateLimit, earlier: number): number {
  if (rule.slowAfter === undefined || earlier < rule.slowAfter) return 0;
  const base = rule.baseDelayMs ?? 1000;
  return Math.min(base * 2 ** (earlier - rule.slowAfter), rule.maxDelayMs ?? Number.POSITIVE_INFINITY);
}

const secondsUntil = (at: number, now: Date) => Math.max(1, Math.ceil((at - now.getTime()) / 1000));

export async function takeAttempt(
  db: Db,
  key: string,
  rule: RateLimit,
  now = new Date(),
): Promise<RateDecision> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  const expiresAt = new Date(now.getTime() + rule.windowMs);
  const { insertedId } = await rateLimits(db).insertOne({ key, at: now, expiresAt });
  // Enough of the newest attempts to decide: the limit-th earlier one, or the delay's cap.
  const needed = Math.min(rule.limit ?? Number.POSITIVE_INFINITY, (rule.slowAfter ?? 0) + MAX_DOUBLINGS);
  const recent = await rateLimits(db)
    .find({ key, at: { $gt: windowStart } }, { projection: { at: 1 } })
    .sort({ at: -1 })
    .limit(needed + 1)
    .toArray();
  // recent[0] is this attempt (or a parallel one); the rest came before it.
  const earlier = recent.length - 1;
  let freeAt: number | undefined;
  if (rule.limit !== undefined && earlier >= rule.limit) {
    // The next one fits once the limit-th newest earlier attempt leaves the window.
    freeAt = (recent[rule.limit]?.at.getTime() ?? now.getTime()) + rule.windowMs;
  } else {
    const previous = recent[1]?.at.getTime();
    const wait = delayMs(rule, earlier);
    if (previous !== undefined && wait > 0 && now.getTime() < previous + wait) freeAt = previous + wait;
  }
  if (freeAt === undefined) return { allowed: true, attemptId: insertedId };
  await rateLimits(db).deleteOne({ _id: insertedId });
  return { allowed: false, retryAfterSeconds: secondsUntil(freeAt, now) };
}

/** Takes an attempt on every rule, or on none: when one refuses, the others' records are removed. */
export async function takeAttempts(
  db: Db,
  rules: ReadonlyArray<readonly [key: string, rule: RateLimit]>,
  now = new Date(),
): Promise<RatesDecision> {
  const decisions = await Promise.all(rules.map(([key, rule]) => takeAttempt(db, key, rule, now)));
  const taken = decisions.flatMap((d) => (d.allowed ? [d.attemptId] : []));
  const refusals = decisions.flatMap((d) => (d.allowed ? [] : [d.retryAfterSeconds]));
  if (refusals.length === 0) return { allowed: true, attemptIds: taken };
  await releaseAttempts(db, taken);
  return { allowed: false, retryAfterSeconds: Math.max(...refusals) };
}

/** Removes attempts that turned out not to be failures (their request succeeded). */
export async function releaseAttempts(db: Db, attemptIds: readonly ObjectId[]): Promise<void> {
  if (attemptIds.length > 0) await rateLimits(db).deleteMany({ _id: { $in: [...attemptIds] } });
}

/** Forgets every attempt for the key (a successful sign-in clears its failures). */
export async function clearAttempts(db: Db, key: string): Promise<void> {
  await rateLimits(db).deleteMany({ key });
}
