// GET /api/auth/me → {userId, email}. The app calls it on start, so it also re-issues the cookie with
// the session's current (sliding) expiry: the browser's copy then lives as long as the session does.

import { users } from '../lib/auth/collections.ts';
import { cookieForSession, sessionTokensOf } from '../lib/auth/cookies.ts';
import { resolveFirstSession } from '../lib/auth/sessions.ts';
import { HttpError } from '../lib/errors.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler({ auth: 'session' }, async ({ userId, cookies, headers }) => {
  const db = await getDb();
  const user = await users(db).findOne({ _id: userId }, { projection: { email: 1 } });
  if (!user) throw new HttpError('Unauthorized', 'Sign in first');
  const session = await resolveFirstSession(db, sessionTokensOf({ cookies, headers }));
  const refreshed = session?.userId === userId ? [cookieForSession(headers, session)] : [];
  return { status: 200, body: { userId, email: user.email }, cookies: refreshed };
});
