// Test users made straight in the database (no HTTP, cheap scrypt), each with a live session.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { users } from '../../../functions/lib/auth/collections.ts';
import { hashPassword } from '../../../functions/lib/auth/passwords.ts';
import { createSession } from '../../../functions/lib/auth/sessions.ts';

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  token: string;
  /** `sid=<token>`, ready for RouteRequest.cookies. */
  cookie: string;
}

export async function createTestUser(db: Db, label = 'user'): Promise<TestUser> {
  const userId = randomUUID();
  const email = `${label}-${userId.slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  const passwordHash = await hashPassword(password, { log2N: 10, r: 8, p: 1 });
  await users(db).insertOne({ _id: userId, email, passwordHash, createdAt: new Date() });
  const { token } = await createSession(db, userId);
  return { userId, email, password, token, cookie: `sid=${token}` };
}

/** The same token with one character changed: well-formed, but no session has its hash. */
export function tamper(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -1)}${last}`;
}
