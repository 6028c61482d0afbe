// POST /api/auth/logout → 204, the session deleted server-side (refused from the next request on),
// its WebSocket tickets voided and its sockets closed, and the cookie cleared.
import { clearedSessionCookie, needsSecureCookie, sessionTokensOf } from '../lib/auth/cookies.ts';
import { revokeSessions } from '../lib/auth/revocation.ts';
import { sessionIdOf } from '../lib/auth/sessions.ts';
import { isWellFormedToken } from '../lib/auth/tokens.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler({ auth: 'session' }, async ({ userId, cookies, headers }) => {
  const db = await getDb();
  // Only the user's own sessions match: a token cannot sign someone else out.
  for (const token of sessionTokensOf({ cookies, headers }).filter(isWellFormedToken)) {
    await revokeSessions(db, userId, { kind: 'session', sessionId: sessionIdOf(token) });
  }
  return { status: 204, cookies: [clearedSessionCookie(needsSecureCookie(headers))] };
});
