// POST /api/auth/logout → 204, the session deleted server-side and the cookie cleared.
import { clearedSessionCookie, needsSecureCookie, sessionTokensOf } from '../lib/auth/cookies.ts';
import { deleteSession } from '../lib/auth/sessions.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler({ auth: 'session' }, async ({ userId, cookies, headers }) => {
  const db = await getDb();
  for (const token of sessionTokensOf({ cookies, headers })) await deleteSession(db, token, userId);
  return { status: 204, cookies: [clearedSessionCookie(needsSecureCookie(headers))] };
});
