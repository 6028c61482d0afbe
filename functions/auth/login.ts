// POST /api/auth/login {email, password} → 200 {userId, email} and a session cookie; one generic 401
// for any wrong email/password pair; 429 with Retry-After from the sign-in limits
// (../lib/auth/sign-in-limits.ts: per account and address, per address, per account).
import { signIn } from '../lib/auth/accounts.ts';
import { clientAddress } from '../lib/auth/client-address.ts';
import { cookieForSession } from '../lib/auth/cookies.ts';
import { credentialsSchema } from '../lib/auth/schemas.ts';
import { createSession } from '../lib/auth/sessions.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler(
  { auth: 'public', body: credentialsSchema },
  async ({ body, event, headers }) => {
    const db = await getDb();
    const user = await signIn(db, body, clientAddress(event));
    const session = await createSession(db, user._id);
    return {
      status: 200,
      body: { userId: user._id, email: user.email },
      cookies: [cookieForSession(headers, session)],
    };
  },
);
