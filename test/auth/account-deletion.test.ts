// Deleting an account through the local gateway: it needs the password, removes every document of
// the user from every collection (found by scanning the whole database, not by a list), closes the
// user's sockets, frees its device ids, leaves other users exactly as they were, and an interrupted
// deletion changes nothing (a retry then finishes the job).
import { EJSON } from 'bson';
import type { Collection, Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { newId } from '../../core/ids.ts';
import { deleteAccount } from '../../functions/lib/auth/account-deletion.ts';
import { users } from '../../functions/lib/auth/collections.ts';
import { hashToken } from '../../functions/lib/auth/tokens.ts';
import {
  device,
  localToday,
  openSocket,
  type TestSocket,
  useRealtimeStack,
  wsTicket,
} from '../realtime/stack.ts';
import { gatewayCaller, type RouteCaller } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';
import { createTestUser } from './harness/users.ts';

const stack = useRealtimeStack();
const call: RouteCaller = (route, request) => gatewayCaller(stack.url)(route, request);

const PASSWORD = 'granite-willow-ember-12';

interface Account {
  email: string;
  password: string;
  userId: string;
  cookies: string[];
  deviceId: string;
  socket: TestSocket;
}

function cookieOf(setCookies: string[]): string {
  return setCookies.map((c) => /^sid=[^;]+/.exec(c)?.[0]).find(Boolean) ?? '';
}

/** An account with a bit of everything: two sessions, records in every synced collection, a rejected
 * mutation, failed sign-ins, an unredeemed ticket and an open socket. */
async function busyAccount(): Promise<Account> {
  const { email, password } = await createTestUser(stack.db, 'erase');
  const logIn = () => call(routeNamed('auth-login'), { body: { email, password } });
  const cookies = [cookieOf((await logIn()).setCookies), cookieOf((await logIn()).setCookies)];
  await call(routeNamed('auth-login'), { body: { email, password: 'not-my-password-1' } });
  const d = device(stack.gateway.url, cookies[0] ?? '');
  const { id: taskId } = await d.createTask('Stretch');
  const date = localToday();
  await d.mutate('POST', `/api/tasks/${taskId}/complete`, { taskId, date, points: 1 });
  await d.mutate('PUT', `/api/weights/${date}`, { date, value: 70.5, unit: 'kg' });
  await d.mutate('PUT', '/api/settings', { unit: 'kg', weekStart: 1, timeZone: 'Europe/Paris' });
  // Archiving a task that does not exist is rejected, and the rejection is recorded.
  await d.mutate('POST', `/api/tasks/${newId()}/archive`, { id: newId(), date }).catch(() => undefined);
  await wsTicket(stack.gateway.url, cookies[1] ?? '', d.deviceId);
  const socket = await openSocket(
    `${stack.ws.url}?ticket=${await wsTicket(stack.gateway.url, cookies[0] ?? '', d.deviceId)}`,
  );
  const me = (await call(routeNamed('auth-me'), { cookies: [cookies[0] ?? ''] })).body as { userId: string };
  return { email, password, userId: me.userId, cookies, deviceId: d.deviceId, socket };
}

/** Every document of every collection, short-lived ones included (unlike the snapshot's dump). */
async function everything(): Promise<Record<string, string[]>> {
  const names = (await stack.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  const out: Record<string, string[]> = {};
  for (const name of names.filter((n) => !n.startsWith('system.')).sort()) {
    const docs = await stack.db.collection(name).find({}).toArray();
    out[name] = docs.map((d) => EJSON.stringify(d, { relaxed: false })).sort();
  }
  return out;
}

/** The deletion's own mark, for a few minutes: the id and its expiry, nothing else (account-guard.ts). */
const isDeletionMark = (name: string, doc: string) =>
  name === 'deletedAccounts' && Object.keys(EJSON.parse(doc)).sort().join() === '_id,expiresAt';

/** Every document of the whole database that mentions the account in any way. */
async function traces(account: Pick<Account, 'email' | 'userId' | 'deviceId'>): Promise<string[]> {
  const marks = [account.userId, account.email, hashToken(account.email), account.deviceId];
  const all = await everything();
  return Object.entries(all).flatMap(([name, docs]) =>
    docs
      .filter((d) => marks.some((m) => d.includes(m)) && !isDeletionMark(name, d))
      .map((d) => `${name}: ${d}`),
  );
}

/** The database without anything of the given account: what must not change for everyone else. */
async function othersView(account: Account): Promise<string> {
  const marks = [account.userId, account.email, hashToken(account.email), account.deviceId];
  const all = await everything();
  const kept = Object.entries(all)
    .map(([name, docs]) => [name, docs.filter((d) => !marks.some((m) => d.includes(m)))] as const)
    .filter(([, docs]) => docs.length > 0);
  return JSON.stringify(kept);
}

const erase = (cookie: string, body: unknown) =>
  call(routeNamed('auth-delete-account'), { cookies: [cookie], body });

function closed(socket: TestSocket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.socket.readyState === socket.socket.CLOSED) resolve();
    socket.socket.once('close', () => resolve());
  });
}

describe('DELETE /api/auth/account', () => {
  it('needs the password: a wrong one is 403, none is 400, and nothing is removed', async () => {
    const a = await busyAccount();
    const before = await traces(a);
    expect((await erase(a.cookies[0] ?? '', {})).status).toBe(400);
    const wrong = await erase(a.cookies[0] ?? '', { password: 'not-the-password-9' });
    expect(wrong.status, wrong.text).toBe(403);
    expect(wrong.text).not.toContain('not-the-password-9');
    // Only the failed attempt itself is new (it counts against the sign-in limits).
    const after = (await traces(a)).filter((d) => !d.startsWith('rateLimits'));
    expect(after).toEqual(before.filter((d) => !d.startsWith('rateLimits')));
    await a.socket.close();
  }, 120_000);

  it('removes every trace of the account, closes its sockets, and leaves the others untouched', async () => {
    const a = await busyAccount();
    const b = await busyAccount();
    const found = new Set((await traces(a)).map((d) => d.split(':')[0]));
    // The scan below is only as good as what it had to find: something in every kind of collection.
    for (const name of ['users', 'sessions', 'wsTickets', 'wsConnections', 'rateLimits', 'syncState'])
      expect(found).toContain(name);
    for (const name of [
      'tasks',
      'completions',
      'weights',
      'settings',
      'syncVersions',
      'rejectedMutations',
      'syncCommits',
      'syncMutationIds',
    ])
      expect(found).toContain(name);
    const othersBefore = await othersView(a);
    const socketClosed = closed(a.socket);
    const res = await erase(a.cookies[1] ?? '', { password: a.password });
    expect(res.status, res.text).toBe(204);
    expect(res.setCookies.some((c) => /^sid=;/.test(c))).toBe(true);
    await socketClosed;
    expect(await traces(a)).toEqual([]);
    expect(await othersView(a)).toBe(othersBefore);
    for (const cookie of a.cookies) {
      expect((await call(routeNamed('auth-me'), { cookies: [cookie] })).status).toBe(401);
    }
    const login = await call(routeNamed('auth-login'), { body: { email: a.email, password: a.password } });
    expect(login.status).toBe(401);
    b.socket.socket.send(JSON.stringify({ action: 'heartbeat' }));
    expect(await b.socket.next()).toMatchObject({ type: 'heartbeat' });
    await b.socket.close();
  }, 120_000);

  it("frees the account's device ids and email for a new account", async () => {
    const a = await busyAccount();
    await a.socket.close();
    expect((await erase(a.cookies[0] ?? '', { password: a.password })).status).toBe(204);
    const again = await call(routeNamed('auth-signup'), { body: { email: a.email, password: PASSWORD } });
    expect(again.status, again.text).toBe(201);
    const cookie = cookieOf(again.setCookies);
    const ticket = await call(routeNamed('sync-ws-ticket'), {
      cookies: [cookie],
      body: { deviceId: a.deviceId },
    });
    expect(ticket.status, ticket.text).toBe(200);
  }, 120_000);
});

describe('an interrupted deletion', () => {
  it('changes nothing, and a retry finishes the job', async () => {
    const a = await busyAccount();
    await a.socket.close();
    const before = await traces(a);
    const user = await users(stack.db).findOne({ _id: a.userId });
    if (!user) throw new Error('the account is missing');
    await expect(deleteAccount(failingOn(stack.db, 'weights'), user)).rejects.toThrow('interrupted');
    expect(await traces(a)).toEqual(before);
    await deleteAccount(stack.db, user);
    expect(await traces(a)).toEqual([]);
  }, 120_000);
});

/** The real database, except that deleting from one collection fails as a lost connection would. */
function failingOn(real: Db, failing: string): Db {
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'collection') return Reflect.get(target, prop, receiver);
      return (name: string) => {
        const collection = target.collection(name);
        if (name !== failing) return collection;
        return new Proxy(collection, {
          get(c: Collection, p, r) {
            if (p === 'deleteMany') return () => Promise.reject(new Error('interrupted'));
            return Reflect.get(c, p, r);
          },
        });
      };
    },
  });
}
