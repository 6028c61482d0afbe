// Signing out must end the server's session, also when the sign-out happened offline: the session
// cookie is HttpOnly, so only the server can forget it.
import { describe, expect, it } from 'vitest';
import type { AuthClient, CurrentUser } from '../../web/src/auth/auth-client.ts';
import { createAuthClient } from '../../web/src/auth/auth-client.ts';
import { createAuthModel, describeAuthError } from '../../web/src/auth/auth-model.ts';
import { TransportError } from '../../web/src/sync/transport.ts';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const ALICE: CurrentUser = { userId: 'u1', email: 'alice@example.com' };

/** A server holding one session for Alice until a sign-out reaches it. */
function fakeServer() {
  const server = { online: true, session: true, signOuts: 0, everywhere: 0, account: true };
  const offline = () => new TransportError('network', 'offline');
  const client: AuthClient = {
    async signIn() {
      if (!server.online) throw offline();
      server.session = true;
      return ALICE;
    },
    async signUp() {
      return ALICE;
    },
    async signOut() {
      if (!server.online) throw offline();
      server.signOuts += 1;
      if (!server.session) throw new TransportError('unauthorized', 'no session', 401);
      server.session = false;
    },
    async signOutEverywhere() {
      if (!server.online) throw offline();
      server.everywhere += 1;
      server.session = false;
    },
    async changePassword({ currentPassword }) {
      if (currentPassword !== 'right password 1') {
        throw new TransportError('permanent', 'Your current password is incorrect', 403);
      }
    },
    async deleteAccount(password) {
      if (password !== 'right password 1') {
        throw new TransportError('permanent', 'Your current password is incorrect', 403);
      }
      server.account = false;
      server.session = false;
    },
    async me() {
      if (!server.online) throw offline();
      return server.session ? ALICE : null;
    },
  };
  return { server, client };
}

describe('signing out', () => {
  it('online: ends the session at once', async () => {
    const { server, client } = fakeServer();
    const storage = new MemoryStorage();
    const auth = createAuthModel(client, storage);
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    await auth.signOut();
    expect(auth.user.value).toBeNull();
    expect(server.session).toBe(false);
    await createAuthModel(client, storage).verify();
    expect(server.signOuts).toBe(1);
  });

  it('offline: stays signed out, and the next start ends the session instead of resuming it', async () => {
    const { server, client } = fakeServer();
    const storage = new MemoryStorage();
    const auth = createAuthModel(client, storage);
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    server.online = false;
    await auth.signOut();
    expect(auth.user.value).toBeNull();
    expect(server.session).toBe(true);

    // Still offline at the next start: signed out, nothing sent.
    const stillOffline = createAuthModel(client, storage);
    await stillOffline.verify();
    expect(stillOffline.user.value).toBeNull();

    // Online again: the session ends, and /me does not sign the user back in.
    server.online = true;
    const next = createAuthModel(client, storage);
    await next.verify();
    expect(server.session).toBe(false);
    expect(next.user.value).toBeNull();
    // Done once: later starts ask /me as usual.
    await createAuthModel(client, storage).verify();
    expect(server.signOuts).toBe(1);
  });

  it('a sign-in after an offline sign-out is not undone by the pending one', async () => {
    const { server, client } = fakeServer();
    const storage = new MemoryStorage();
    const auth = createAuthModel(client, storage);
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    server.online = false;
    await auth.signOut();
    server.online = true;
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    const next = createAuthModel(client, storage);
    await next.verify();
    expect(next.user.value).toEqual(ALICE);
    expect(server.session).toBe(true);
  });
});

describe('account control', () => {
  it('signs out everywhere through its own endpoint, and this device with it', async () => {
    const { server, client } = fakeServer();
    const auth = createAuthModel(client, new MemoryStorage());
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    await auth.signOut('everywhere');
    expect(server.everywhere).toBe(1);
    expect(server.signOuts).toBe(0);
    expect(auth.user.value).toBeNull();
  });

  it('says why a password change or a deletion failed, and keeps the user signed in', async () => {
    const { server, client } = fakeServer();
    const auth = createAuthModel(client, new MemoryStorage());
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    expect(await auth.changePassword('wrong password 1', 'new password 22')).toBe(
      'Your current password is incorrect',
    );
    expect(await auth.deleteAccount('wrong password 1')).toBe('Your current password is incorrect');
    expect(auth.user.value).toEqual(ALICE);
    expect(server.account).toBe(true);
    expect(await auth.changePassword('right password 1', 'new password 22')).toBeNull();
    expect(await auth.deleteAccount('right password 1')).toBeNull();
    expect(server.account).toBe(false);
    expect(auth.user.value).toBeNull();
  });
});

describe('an expired session', () => {
  it('says why the sign-in form appeared', async () => {
    const { client } = fakeServer();
    const auth = createAuthModel(client, new MemoryStorage());
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    auth.expire();
    expect(auth.user.value).toBeNull();
    expect(auth.error.value).toBe('Your session has ended. Sign in again to keep syncing.');
    await auth.signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    expect(auth.error.value).toBeNull();
  });

  it('says so at start-up too, when the remembered user’s session is gone', async () => {
    const { server, client } = fakeServer();
    const storage = new MemoryStorage();
    await createAuthModel(client, storage).signIn({ email: ALICE.email, password: 'x'.repeat(12) });
    server.session = false;
    const next = createAuthModel(client, storage);
    expect(next.user.value).toEqual(ALICE);
    await next.verify();
    expect(next.user.value).toBeNull();
    expect(next.error.value).toMatch(/^Your session has ended/);
    // A visitor nobody was signed in for sees no such message.
    const fresh = createAuthModel(client, new MemoryStorage());
    await fresh.verify();
    expect(fresh.error.value).toBeNull();
  });
});

describe('sign-up errors', () => {
  const answering = (status: number, body: unknown): typeof fetch =>
    (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

  it('give the field-level reason the server sent, not only its summary', async () => {
    const client = createAuthClient(
      answering(400, {
        error: 'BadRequest',
        message: 'Choose a stronger password',
        issues: [{ path: 'password', message: 'This password is too common; choose another' }],
      }),
    );
    const error = await client.signUp({ email: 'a@example.com', password: 'password123' }).catch((e) => e);
    expect(describeAuthError(error, 'up')).toBe('This password is too common; choose another.');
  });

  it('fall back to the summary without issues', async () => {
    const client = createAuthClient(answering(400, { error: 'BadRequest', message: 'Invalid request body' }));
    const error = await client.signUp({ email: 'a@example.com', password: 'x'.repeat(12) }).catch((e) => e);
    expect(describeAuthError(error, 'up')).toBe('Invalid request body');
  });

  it('say when to try again after too many attempts, from Retry-After', async () => {
    const limited = (retryAfter?: string): typeof fetch =>
      (async () =>
        new Response(JSON.stringify({ error: 'TooManyRequests', retryAfterSeconds: 1 }), {
          status: 429,
          headers: retryAfter ? { 'retry-after': retryAfter } : {},
        })) as typeof fetch;
    const said = async (retryAfter?: string) =>
      describeAuthError(
        await createAuthClient(limited(retryAfter))
          .signUp({ email: 'a@example.com', password: 'x'.repeat(12) })
          .catch((e) => e),
        'up',
      );
    expect(await said('2940')).toBe('Too many attempts. Try again in 49 minutes.');
    expect(await said('61')).toBe('Too many attempts. Try again in 2 minutes.');
    expect(await said('30')).toBe('Too many attempts. Try again in a minute.');
    expect(await said()).toBe('Too many attempts. Try again in a few minutes.');
  });
});
