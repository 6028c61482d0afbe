// Limits on password checks (sign-in, and the password asked again by a password change or an
// account deletion), after OWASP's authentication guidance: failures count per account *and* per
// address, so that guessing is slowed everywhere but nobody can lock the owner out.
//
//   (account, address)  5 failures / 15 min → 429 for that pair only: the owner elsewhere is unaffected
//   address             past 10 failures / 15 min each try waits 10 s, 20 s, 40 s, then 60 s after
//                       the one before; 20 → 429 until the window frees (one address, many accounts)
//   account             only failures from addresses that have not signed in to it (within 30 days)
//                       count; past 10 they are slowed the same way, never refused outright
//
// A success clears its pair's failures and takes back its own attempt from the other two, but
// not their earlier failures: an attacker cannot reset an address's count by signing in to an
// account of their own between guesses. Keys hold the email only as a hash.
import type { Db } from 'mongodb';
import { rateLimits } from './collections.ts';
import {
  clearAttempts,
  type RateLimit,
  type RatesDecision,
  releaseAttempts,
  takeAttempts,
} from './rate-limit.ts';
import { hashToken } from './tokens.ts';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

export const SIGN_IN_LIMITS = {
  pair: { limit: 5, windowMs: 15 * MINUTE },
  address: { limit: 20, windowMs: 15 * MINUTE, slowAfter: 10, baseDelayMs: 10_000, maxDelayMs: MINUTE },
  account: { windowMs: 15 * MINUTE, slowAfter: 10, baseDelayMs: 10_000, maxDelayMs: MINUTE },
} as const satisfies Record<string, RateLimit>;

/** How long an address that signed in stays exempt from the account-wide slowdown. */
export const KNOWN_ADDRESS_MS = 30 * DAY;

export function signInKeys(email: string, address: string) {
  const account = hashToken(email);
  return {
    pair: `login:pair:${account}:${address}`,
    address: `login:addr:${address}`,
    account: `login:acct:${account}`,
    known: `login:known:${account}:${address}`,
  };
}

/** Every limiter key of an account (its failures, its known addresses), for account deletion. */
export function accountKeyPattern(email: string): RegExp {
  // `login:<hash>` is the key of the per-email limit that came before these.
  return new RegExp(`^login:((pair|acct|known):)?${hashToken(email)}(:|$)`);
}

export interface SignInAttempt {
  decision: RatesDecision;
  keys: ReturnType<typeof signInKeys>;
}

export async function takeSignInAttempt(db: Db, email: string, address: string): Promise<SignInAttempt> {
  const keys = signInKeys(email, address);
  const known = await rateLimits(db).findOne({ key: keys.known }, { projection: { _id: 1 } });
  const rules: Array<readonly [string, RateLimit]> = [
    [keys.pair, SIGN_IN_LIMITS.pair],
    [keys.address, SIGN_IN_LIMITS.address],
  ];
  if (!known) rules.push([keys.account, SIGN_IN_LIMITS.account]);
  return { decision: await takeAttempts(db, rules), keys };
}

/** The password was right: this attempt was no failure, and the address is now known for the account. */
export async function signInSucceeded(db: Db, { decision, keys }: SignInAttempt, now = new Date()) {
  await clearAttempts(db, keys.pair);
  if (decision.allowed) await releaseAttempts(db, decision.attemptIds);
  await markKnownAddress(db, keys.known, now);
}

export async function markKnownAddress(db: Db, knownKey: string, now = new Date()): Promise<void> {
  const expiresAt = new Date(now.getTime() + KNOWN_ADDRESS_MS);
  await rateLimits(db).updateOne({ key: knownKey }, { $set: { at: now, expiresAt } }, { upsert: true });
}
