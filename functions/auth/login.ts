// POST /api/auth/login {email, password} → 200 {userId, email} and a session cookie; one generic 401
// for any wrong email/password pair; 429 with Retry-After after 5 failures in 15 minutes.
import { signIn } from '../lib/auth/accounts.ts';
import { cookieForSession } from '../lib/auth/cookies.ts';
import { credentialsSchema } from '../lib/auth/schemas.ts';
import { createSession } from '../lib/auth/sessions.ts';
import { defineHandler } from '../lib/http-handler.ts';
import { getDb } from '../lib/mongo.ts';

export const handler = defineHandler(
  { auth: 'public', body: credentialsSchema },
  async ({ body, headers }) => {
    const db = await getDb();
    const user = await signIn(db, body);
    const session = await createSession(db, user._id);
    return {
      status: 200,
      body: { userId: user._id, email: user.email },
      cookies: [cookieForSession(headers, session)],
    };
  },
);
