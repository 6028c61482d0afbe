// DELETE /api/auth/account {password} → 204 and the cookie cleared: the account and every record of
// it are gone (../lib/auth/account-deletion.ts), its sockets closed, its device ids free again. The
// password is checked under the sign-in limits (403 when wrong, 429 past them).

import { deleteAccount } from '../lib/auth/account-deletion.ts';
import { confirmPassword } from '../lib/auth/accounts.ts';
import { clientAddress } from '../lib/auth/client-address.ts';
import { clearedSessionCookie, needsSecureCookie } from '../lib/auth/cookies.ts';
import { deleteAccountSchema } from '../lib/auth/schemas.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler(
  { auth: 'session', body: deleteAccountSchema },
  async ({ userId, body, event, headers }) => {
    const db = await getDb();
    const user = await confirmPassword(db, userId, body.password, clientAddress(event));
    await deleteAccount(db, user);
    return { status: 204, cookies: [clearedSessionCookie(needsSecureCookie(headers))] };
  },
);
