// Sign-up and sign-in against `users`. Sign-in failures are one generic error whatever went wrong
// (unknown email or wrong password), with the same scrypt work either way, so an attacker learns
// nothing about which emails have accounts. Every password check goes through the sign-in limits
// (./sign-in-limits.ts). Errors never carry the password.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { HttpError } from '../errors.ts';
import { type UserDoc, users } from './collections.ts';
import { PASSWORD_PROBLEMS, passwordProblem } from './password-policy.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { SIGNUP_LIMIT, takeAttempt } from './rate-limit.ts';
import type { Credentials } from './schemas.ts';
import { markKnownAddress, signInKeys, signInSucceeded, takeSignInAttempt } from './sign-in-limits.ts';

const DUPLICATE_KEY = 11000;

export const SIGN_IN_FAILED = 'Email or password is incorrect';

function tooManyAttempts(retryAfterSeconds: number): HttpError {
  return new HttpError('TooManyRequests', 'Too many attempts; try again later', {
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { retryAfterSeconds },
  });
}

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

/** 400 naming the rule a new password breaks, on the given field. */
export function assertAcceptablePassword(password: string, email: string, field = 'password'): void {
  const problem = passwordProblem(password, email);
  if (!problem) return;
  throw new HttpError('BadRequest', 'Choose a stronger password', {
    issues: [{ path: field, message: PASSWORD_PROBLEMS[problem] }],
  });
}

/** Creates the account; the caller opens its first session. */
export async function signUp(db: Db, { email, password }: Credentials, address: string): Promise<UserDoc> {
  assertAcceptablePassword(password, email);
  const decision = await takeAttempt(db, `signup:${address}`, SIGNUP_LIMIT);
  if (!decision.allowed) throw tooManyAttempts(decision.retryAfterSeconds);
  const user: UserDoc = {
    _id: randomUUID(),
    email,
    passwordHash: await hashPassword(password),
    createdAt: new Date(),
  };
  try {
    await users(db).insertOne(user);
  } catch (err) {
    if (isDuplicateKey(err)) throw new HttpError('Conflict', 'An account with this email already exists');
    throw err;
  }
  await markKnownAddress(db, signInKeys(email, address).known);
  return user;
}

/** The account, if the password is its own; undefined otherwise (429 once the limits are reached). */
async function checkPassword(db: Db, email: string, password: string, address: string) {
  const attempt = await takeSignInAttempt(db, email, address);
  if (!attempt.decision.allowed) throw tooManyAttempts(attempt.decision.retryAfterSeconds);
  const user = await users(db).findOne({ email });
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !ok) return undefined;
  await signInSucceeded(db, attempt);
  return user;
}

export async function signIn(db: Db, { email, password }: Credentials, address: string): Promise<UserDoc> {
  const user = await checkPassword(db, email, password, address);
  if (!user) throw new HttpError('Unauthorized', SIGN_IN_FAILED);
  return user;
}

export const WRONG_CURRENT_PASSWORD = 'Your current password is incorrect';

/**
 * A signed-in user's password, asked again before a change that needs it. A wrong one is 403, not
 * 401: the session itself is fine. It counts as a failed sign-in, so a stolen session cannot be
 * used to guess the password faster than the sign-in form could.
 */
export async function confirmPassword(db: Db, userId: string, password: string, address: string) {
  const found = await users(db).findOne({ _id: userId }, { projection: { email: 1 } });
  if (!found) throw new HttpError('Unauthorized', 'Sign in first');
  const user = await checkPassword(db, found.email, password, address);
  if (user?._id !== userId) throw new HttpError('Forbidden', WRONG_CURRENT_PASSWORD);
  return user;
}
