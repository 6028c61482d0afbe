// Who is signed in. The last user is remembered locally so the app can open their cached replica at
// once, even offline; the server's answer to /me then confirms it or sends the visitor to sign in.
import { type Signal, signal } from '@preact/signals';
import { TransportError } from '../sync/transport.ts';
import type { AuthClient, Credentials, CurrentUser } from './auth-client.ts';

const LAST_USER_KEY = 'routine-sync:last-user';
// A sign-out the server has not heard of yet (offline): the HttpOnly session cookie is still valid,
// and without this the next start's /me would quietly sign the user back in on a shared computer.
const SIGN_OUT_PENDING_KEY = 'routine-sync:sign-out-pending';

export type AuthState = 'signed-in' | 'signed-out';
export type SignOutScope = 'this-device' | 'everywhere';

export interface AuthModel {
  readonly user: Signal<CurrentUser | null>;
  readonly error: Signal<string | null>;
  readonly isBusy: Signal<boolean>;
  /** Confirms the remembered user with the server (keeps it when offline). */
  verify(): Promise<void>;
  signIn(credentials: Credentials): Promise<void>;
  signUp(credentials: Credentials): Promise<void>;
  /** Signs this device out; 'everywhere' ends every session of the account on the server too. */
  signOut(scope?: SignOutScope): Promise<void>;
  /** Resolves to the reason it failed, or null once the password is changed. */
  changePassword(currentPassword: string, newPassword: string): Promise<string | null>;
  /** Resolves to the reason it failed, or null once the account is gone (and this device signed out). */
  deleteAccount(password: string): Promise<string | null>;
  /** The server said the session is gone. */
  expire(): void;
}

function remembered(storage: Storage): CurrentUser | null {
  try {
    const raw = storage.getItem(LAST_USER_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object' && 'userId' in parsed && 'email' in parsed) {
      return { userId: String(parsed.userId), email: String(parsed.email) };
    }
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

/** The server's Retry-After in words: the sign-up limit frees up within the hour, sign-in within 15 minutes. */
function whenAgain(seconds: number | undefined): string {
  if (!seconds) return 'in a few minutes';
  if (seconds < 60) return 'in a minute';
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'in a minute' : `in ${minutes} minutes`;
}

const FAILED = {
  in: 'Signing in failed. Please try again.',
  up: 'Signing up failed. Please try again.',
  account: 'That did not work. Please try again.',
} as const;

export function describeAuthError(error: unknown, action: keyof typeof FAILED): string {
  if (error instanceof TransportError) {
    if (error.kind === 'network') return 'You are offline. Connect to the internet and try again.';
    if (error.status === 429) return `Too many attempts. Try again ${whenAgain(error.retryAfterSeconds)}.`;
    if (error.status === 401 && action === 'account') return 'Your session has ended. Sign in again.';
    if (error.status === 401) return 'That email and password do not match an account.';
    if (error.status === 409) return 'An account with that email already exists. Sign in instead.';
    // 403: the password asked again was wrong; the server's words say so.
    if (error.status === 400 || error.status === 403 || error.status === 422) return error.message;
  }
  return FAILED[action];
}

export function createAuthModel(client: AuthClient, storage: Storage = localStorage): AuthModel {
  const user = signal<CurrentUser | null>(remembered(storage));
  const error = signal<string | null>(null);
  const isBusy = signal(false);
  const setUser = (next: CurrentUser | null) => {
    if (next) storage.setItem(LAST_USER_KEY, JSON.stringify(next));
    else storage.removeItem(LAST_USER_KEY);
    user.value = next;
  };
  // Signing in or out in one tab signs every tab of the app in or out at once.
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.key === LAST_USER_KEY || event.key === null) user.value = remembered(storage);
    });
  }
  // Done when the server ended the session, or says there is none (401); anything else is retried.
  const sendSignOut = (scope: SignOutScope = 'this-device') =>
    (scope === 'everywhere' ? client.signOutEverywhere() : client.signOut()).then(
      () => storage.removeItem(SIGN_OUT_PENDING_KEY),
      (e: unknown) => {
        if (!(e instanceof TransportError && e.kind === 'unauthorized')) throw e;
        storage.removeItem(SIGN_OUT_PENDING_KEY);
      },
    );
  // Without a word the app would just turn into the sign-in form; what is queued stays on the device
  // and is sent after the user signs in again.
  const expire = () => {
    if (user.peek()) error.value = 'Your session has ended. Sign in again to keep syncing.';
    setUser(null);
  };
  const attempt = async (action: 'in' | 'up', credentials: Credentials) => {
    isBusy.value = true;
    error.value = null;
    try {
      setUser(await (action === 'in' ? client.signIn(credentials) : client.signUp(credentials)));
      storage.removeItem(SIGN_OUT_PENDING_KEY);
    } catch (e) {
      error.value = describeAuthError(e, action);
    } finally {
      isBusy.value = false;
    }
  };
  return {
    user,
    error,
    isBusy,
    async verify() {
      try {
        if (storage.getItem(SIGN_OUT_PENDING_KEY)) return await sendSignOut();
        const current = await client.me();
        if (!current) expire();
        else if (current.userId !== user.value?.userId || current.email !== user.value?.email)
          setUser(current);
      } catch {
        // Offline or the server is down: keep working from the cache with the remembered user (or
        // stay signed out until the pending sign-out reaches the server).
      }
    },
    signIn: (credentials) => attempt('in', credentials),
    signUp: (credentials) => attempt('up', credentials),
    async signOut(scope = 'this-device') {
      storage.setItem(SIGN_OUT_PENDING_KEY, '1');
      await sendSignOut(scope).catch(() => undefined);
      setUser(null);
    },
    async changePassword(currentPassword, newPassword) {
      try {
        await client.changePassword({ currentPassword, newPassword });
        return null;
      } catch (e) {
        return describeAuthError(e, 'account');
      }
    },
    async deleteAccount(password) {
      try {
        await client.deleteAccount(password);
      } catch (e) {
        return describeAuthError(e, 'account');
      }
      storage.removeItem(SIGN_OUT_PENDING_KEY);
      setUser(null);
      return null;
    },
    expire,
  };
}
