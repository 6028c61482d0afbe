// Server-side sessions: a random token in the cookie, its hash in `sessions` with a sliding 30-day
// expiry. The expiry is pushed forward at most once a day, so a busy user costs one write a day.
import type { Db } from 'mongodb';
import { sessions } from './collections.ts';
import { hashToken, isWellFormedToken, newToken } from './tokens.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
export const SESSION_REFRESH_INTERVAL_MS = DAY_MS;

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

export interface ActiveSession {
  userId: string;
  expiresAt: Date;
}

/** A session's id (its document's `_id`): the token's hash, never the token. */
export const sessionIdOf = (token: string): string => hashToken(token);

export async function createSession(db: Db, userId: string, now = new Date()): Promise<IssuedSession> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await sessions(db).insertOne({
    _id: hashToken(token),
    userId,
    createdAt: now,
    expiresAt,
    refreshedAt: now,
  });
  return { token, expiresAt };
}

/**
 * The session a token names, if it exists and has not expired (the TTL monitor runs only once a
 * minute, so expiry is checked here too). Slides the expiry when the last refresh is a day old.
 */
export async function resolveSession(db: Db, token: string, now = new Date()): Promise<ActiveSession | null> {
  if (!isWellFormedToken(token)) return null;
  const id = hashToken(token);
  const doc = await sessions(db).findOne({ _id: id });
  if (!doc || doc.expiresAt.getTime() <= now.getTime()) return null;
  if (now.getTime() - doc.refreshedAt.getTime() < SESSION_REFRESH_INTERVAL_MS) {
    return { userId: doc.userId, expiresAt: doc.expiresAt };
  }
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await sessions(db).updateOne({ _id: id }, { $set: { expiresAt, refreshedAt: now } });
  return { userId: doc.userId, expiresAt };
}

/** Whether the session with this id (the token's hash) exists and has not expired. */
export async function isLiveSession(db: Db, sessionId: string, now = new Date()): Promise<boolean> {
  const doc = await sessions(db).findOne({ _id: sessionId }, { projection: { expiresAt: 1 } });
  return doc !== null && doc.expiresAt.getTime() > now.getTime();
}

/** First token among the candidates that names a live session (a browser may send stale duplicates). */
export async function resolveFirstSession(
  db: Db,
  tokens: readonly string[],
  now = new Date(),
): Promise<(ActiveSession & { token: string }) | null> {
  for (const token of tokens.filter(isWellFormedToken).slice(0, 4)) {
    const session = await resolveSession(db, token, now);
    if (session) return { ...session, token };
  }
  return null;
}

/** The id of the user's session among the request's cookies (the one the authorizer let in). */
export async function currentSessionId(
  db: Db,
  tokens: readonly string[],
  userId: string,
): Promise<string | undefined> {
  const session = await resolveFirstSession(db, tokens);
  return session?.userId === userId ? sessionIdOf(session.token) : undefined;
}
