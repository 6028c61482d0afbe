// POST /api/auth/logout-everywhere → 204: every session of the user ends (this one too), with its
// WebSocket tickets and open sockets, and this device's cookie is cleared.
import { clearedSessionCookie, needsSecureCookie } from '../lib/auth/cookies.ts';
import { revokeSessions } from '../lib/auth/revocation.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler({ auth: 'session' }, async ({ userId, headers }) => {
  await revokeSessions(await getDb(), userId, { kind: 'all' });
  return { status: 204, cookies: [clearedSessionCookie(needsSecureCookie(headers))] };
});
