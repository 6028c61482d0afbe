// The auth endpoints (docs/architecture.md, "Authentication"). The session cookie is HttpOnly, so
// the page never sees it: it only learns who is signed in from these answers.
import * as v from 'valibot';
import { requestJson, TransportError } from '../sync/transport.ts';

export const currentUserSchema = v.object({ userId: v.string(), email: v.string() });
export type CurrentUser = v.InferOutput<typeof currentUserSchema>;

export interface Credentials {
  email: string;
  password: string;
}

export interface AuthClient {
  signUp(credentials: Credentials): Promise<CurrentUser>;
  signIn(credentials: Credentials): Promise<CurrentUser>;
  signOut(): Promise<void>;
  /** Ends every session of the account, this one included. */
  signOutEverywhere(): Promise<void>;
  /** Keeps this session, ends the others. */
  changePassword(change: { currentPassword: string; newPassword: string }): Promise<void>;
  deleteAccount(password: string): Promise<void>;
  /** The signed-in user, or null when the session is missing or expired. */
  me(): Promise<CurrentUser | null>;
}

function parseUser(json: unknown): CurrentUser {
  const result = v.safeParse(currentUserSchema, json);
  if (!result.success) throw new TransportError('transient', 'Malformed answer from the server');
  return result.output;
}

export function createAuthClient(fetchFn: typeof fetch = (...a) => fetch(...a)): AuthClient {
  return {
    async signUp(credentials) {
      return parseUser(await requestJson(fetchFn, '/api/auth/signup', { method: 'POST', body: credentials }));
    },
    async signIn(credentials) {
      return parseUser(await requestJson(fetchFn, '/api/auth/login', { method: 'POST', body: credentials }));
    },
    async signOut() {
      await requestJson(fetchFn, '/api/auth/logout', { method: 'POST', body: {} });
    },
    async signOutEverywhere() {
      await requestJson(fetchFn, '/api/auth/logout-everywhere', { method: 'POST', body: {} });
    },
    async changePassword(change) {
      await requestJson(fetchFn, '/api/auth/password', { method: 'POST', body: change });
    },
    async deleteAccount(password) {
      await requestJson(fetchFn, '/api/auth/account', { method: 'DELETE', body: { password } });
    },
    async me() {
      try {
        return parseUser(await requestJson(fetchFn, '/api/auth/me', { method: 'GET' }));
      } catch (error) {
        if (error instanceof TransportError && error.kind === 'unauthorized') return null;
        throw error;
      }
    },
  };
}
