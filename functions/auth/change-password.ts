// POST /api/auth/password {currentPassword, newPassword} → 204. The current password is checked
// under the sign-in limits (403 when wrong, 429 past them), the new one against the password rules
// (400). Then every other session of the user ends, with its sockets; this one is kept.
import { assertAcceptablePassword, confirmPassword } from '../lib/auth/accounts.ts';
import { clientAddress } from '../lib/auth/client-address.ts';
import { users } from '../lib/auth/collections.ts';
import { sessionTokensOf } from '../lib/auth/cookies.ts';
import { hashPassword } from '../lib/auth/passwords.ts';
import { revokeSessions } from '../lib/auth/revocation.ts';
import { changePasswordSchema } from '../lib/auth/schemas.ts';
import { currentSessionId } from '../lib/auth/sessions.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler(
  { auth: 'session', body: changePasswordSchema },
  async ({ userId, body, event, cookies, headers }) => {
    const db = await getDb();
    const user = await confirmPassword(db, userId, body.currentPassword, clientAddress(event));
    assertAcceptablePassword(body.newPassword, user.email, 'newPassword');
    const sessionId = await currentSessionId(db, sessionTokensOf({ cookies, headers }), userId);
    // The new hash first: if revoking is cut short, the old password already opens nothing, and
    // repeating the change (or signing out everywhere) finishes the job.
    await users(db).updateOne(
      { _id: userId },
      { $set: { passwordHash: await hashPassword(body.newPassword) } },
    );
    await revokeSessions(db, userId, { kind: 'others', sessionId });
    return { status: 204 };
  },
);
