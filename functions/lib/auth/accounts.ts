// Sign-up and sign-in against `users`. Sign-in failures are one generic error whatever went wrong
// (unknown email or wrong password), with the same scrypt work either way, so an attacker learns
// nothing about which emails have accounts. Errors never carry the password.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { HttpError } from '../errors.ts';
import { type UserDoc, users } from './collections.ts';
import { PASSWORD_PROBLEMS, passwordProblem } from './password-policy.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { clearAttempts, LOGIN_FAILURE_LIMIT, SIGNUP_LIMIT, takeAttempt } from './rate-limit.ts';
import type { Credentials } from './schemas.ts';
import { hashToken } from './tokens.ts';

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

/** Creates the account; the caller opens its first session. */
export async function signUp(db: Db, { email, password }: Credentials, address: string): Promise<UserDoc> {
  const problem = passwordProblem(password, email);
  if (problem) {
    throw new HttpError('BadRequest', 'Choose a stronger password', {
      issues: [{ path: 'password', message: PASSWORD_PROBLEMS[problem] }],
    });
  }
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
  return user;
}

/** The limiter key is a hash: the collection need not hold email addresses in clear. */
function loginKey(email: string): string {
  return `login:${hashToken(email)}`;
}

export async function signIn(db: Db, { email, password }: Credentials): Promise<UserDoc> {
  const key = loginKey(email);
  const decision = await takeAttempt(db, key, LOGIN_FAILURE_LIMIT);
  if (!decision.allowed) throw tooManyAttempts(decision.retryAfterSeconds);
  const user = await users(db).findOne({ email });
  const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !ok) throw new HttpError('Unauthorized', SIGN_IN_FAILED);
  await clearAttempts(db, key);
  return user;
}
