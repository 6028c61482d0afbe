// The auth area's collections and document shapes. Secrets are stored only as SHA-256 hashes.
import type { Collection, Db } from 'mongodb';

export const AUTH_COLLECTIONS = {
  users: 'users',
  sessions: 'sessions',
  wsTickets: 'wsTickets',
  rateLimits: 'rateLimits',
  deletedAccounts: 'deletedAccounts',
} as const;

export interface UserDoc {
  /** The user id every other collection is scoped by. */
  _id: string;
  /** Trimmed and lower-cased; unique. */
  email: string;
  passwordHash: string;
  createdAt: Date;
}

export interface SessionDoc {
  /** SHA-256 of the token in the cookie. */
  _id: string;
  userId: string;
  createdAt: Date;
  /** TTL index: the server deletes the document once this passes. */
  expiresAt: Date;
  /** When expiresAt was last pushed forward (at most once a day, to avoid a write per request). */
  refreshedAt: Date;
}

export interface WsTicketDoc {
  /** SHA-256 of the ticket. */
  _id: string;
  userId: string;
  deviceId?: string;
  /** The session that asked for it (its `_id`): revoking the session voids the ticket. */
  sessionId?: string;
  expiresAt: Date;
}

export interface RateLimitDoc {
  key: string;
  at: Date;
  expiresAt: Date;
}

/**
 * A deleted account's id, kept only while a request authorized before the deletion may still be
 * running, so that such a request cannot bring the account back (account-guard.ts).
 */
export interface DeletedAccountDoc {
  _id: string;
  /** TTL index: the server deletes the document once this passes. */
  expiresAt: Date;
}

export const users = (db: Db): Collection<UserDoc> => db.collection<UserDoc>(AUTH_COLLECTIONS.users);
export const sessions = (db: Db): Collection<SessionDoc> =>
  db.collection<SessionDoc>(AUTH_COLLECTIONS.sessions);
export const wsTickets = (db: Db): Collection<WsTicketDoc> =>
  db.collection<WsTicketDoc>(AUTH_COLLECTIONS.wsTickets);
export const rateLimits = (db: Db): Collection<RateLimitDoc> =>
  db.collection<RateLimitDoc>(AUTH_COLLECTIONS.rateLimits);
export const deletedAccounts = (db: Db): Collection<DeletedAccountDoc> =>
  db.collection<DeletedAccountDoc>(AUTH_COLLECTIONS.deletedAccounts);

/** Idempotent; registered in functions/lib/indexes.ts. */
export async function ensureAuthIndexes(db: Db): Promise<void> {
  await users(db).createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
  await sessions(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires_ttl' });
  await sessions(db).createIndex({ userId: 1 }, { name: 'user' });
  await wsTickets(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires_ttl' });
  await wsTickets(db).createIndex({ userId: 1 }, { name: 'user' });
  await rateLimits(db).createIndex({ key: 1, at: 1 }, { name: 'key_at' });
  await rateLimits(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires_ttl' });
  await deletedAccounts(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'expires_ttl' });
}
