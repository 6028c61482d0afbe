// Revocation through the local gateway, which emulates the stack's authorizer cache: after a sign-out,
// a "sign out everywhere" or a password change, the revoked sessions are refused on every session
// route at once (the cache TTL is within the bound), their unredeemed WebSocket tickets open nothing,
// and their open sockets are closed by the server. Sessions that were not revoked keep working.
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../../functions/lib/mongo.ts';
import { connections } from '../../functions/lib/realtime/connections.ts';
import { REVOCATION_BOUND_SECONDS } from '../../infra/authorizer-cache.ts';
import { httpRoutes } from '../../infra/routes.ts';
import {
  device,
  handshakeStatus,
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

function cookieOf(setCookies: string[]): string {
  const sid = setCookies.map((c) => /^sid=([^;]+)/.exec(c)?.[0]).find(Boolean);
  if (!sid) throw new Error(`no session cookie in ${JSON.stringify(setCookies)}`);
  return sid;
}

/** One account (made in the database, with a cheap hash) signed in on `count` devices over HTTP. */
async function accountWithSessions(
  count: number,
): Promise<{ email: string; password: string; cookies: string[] }> {
  const { email, password } = await createTestUser(await getDb(), 'revoke');
  const cookies: string[] = [];
  while (cookies.length < count) {
    const login = await call(routeNamed('auth-login'), { body: { email, password } });
    expect(login.status, login.text).toBe(200);
    cookies.push(cookieOf(login.setCookies));
  }
  return { email, password, cookies };
}

const sessionRoutes = httpRoutes.filter(
  (r) => r.auth === 'session' && !['auth-logout-everywhere', 'auth-delete-account'].includes(r.name),
);

/** Every session route answers the cookie with 401 (the request itself may be incomplete). */
async function expectRefusedEverywhere(cookie: string): Promise<void> {
  for (const route of sessionRoutes) {
    const res = await call(route, { cookies: [cookie], ...(route.method === 'GET' ? {} : { body: {} }) });
    expect(res.status, `${route.method} ${route.path}: ${res.text}`).toBe(401);
  }
}

async function expectAccepted(cookie: string): Promise<void> {
  const me = await call(routeNamed('auth-me'), { cookies: [cookie] });
  expect(me.status, me.text).toBe(200);
}

/** Warms the authorizer cache for the cookie on every route, as a busy device would. */
async function useEverywhere(cookie: string): Promise<void> {
  await expectAccepted(cookie);
  const d = device(stack.gateway.url, cookie);
  await d.createTask();
  const pull = await call(routeNamed('sync-pull'), { cookies: [cookie], query: { since: '0' } });
  expect(pull.status).toBe(200);
}

function closed(socket: TestSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.socket.readyState === socket.socket.CLOSED) resolve(-1);
    socket.socket.once('close', (code) => resolve(code));
  });
}

async function socketFor(cookie: string): Promise<TestSocket> {
  return openSocket(`${stack.ws.url}?ticket=${await wsTicket(stack.gateway.url, cookie)}`);
}

it(`bounds the authorizer cache by the revocation bound (${REVOCATION_BOUND_SECONDS} s)`, async () => {
  const { AUTHORIZER_CACHE_TTL_SECONDS } = await import('../../infra/authorizer-cache.ts');
  expect(AUTHORIZER_CACHE_TTL_SECONDS).toBeLessThanOrEqual(REVOCATION_BOUND_SECONDS);
});

describe('sign-out', () => {
  it('refuses the signed-out cookie on every route at once and closes its sockets, not the others', async () => {
    const { cookies } = await accountWithSessions(2);
    const [gone, kept] = cookies as [string, string];
    await useEverywhere(gone);
    const goneSocket = await socketFor(gone);
    const keptSocket = await socketFor(kept);
    const spareTicket = await wsTicket(stack.gateway.url, gone);
    const closing = closed(goneSocket);
    const res = await call(routeNamed('auth-logout'), { cookies: [gone], body: {} });
    expect(res.status, res.text).toBe(204);
    await expectRefusedEverywhere(gone);
    expect(await closing).toBeGreaterThan(0);
    expect(await handshakeStatus(`${stack.ws.url}?ticket=${spareTicket}`)).toBe(403);
    await expectAccepted(kept);
    keptSocket.socket.send(JSON.stringify({ action: 'heartbeat' }));
    expect(await keptSocket.next()).toMatchObject({ type: 'heartbeat' });
    await keptSocket.close();
  }, 120_000);
});

describe('sign out everywhere', () => {
  it('refuses every session of the account at once and closes all its sockets', async () => {
    const { cookies } = await accountWithSessions(3);
    const other = await accountWithSessions(1);
    for (const cookie of cookies) await useEverywhere(cookie);
    const sockets = await Promise.all(cookies.map(socketFor));
    const otherSocket = await socketFor(other.cookies[0] ?? '');
    const closings = sockets.map(closed);
    const res = await call(routeNamed('auth-logout-everywhere'), { cookies: [cookies[1] ?? ''], body: {} });
    expect(res.status, res.text).toBe(204);
    expect(res.setCookies.some((c) => /^sid=;/.test(c))).toBe(true);
    for (const cookie of cookies) await expectRefusedEverywhere(cookie);
    for (const code of await Promise.all(closings)) expect(code).toBeGreaterThan(0);
    await expectAccepted(other.cookies[0] ?? '');
    expect(otherSocket.socket.readyState).toBe(otherSocket.socket.OPEN);
    await otherSocket.close();
  }, 120_000);
});

describe('password change', () => {
  it('keeps the session that changed it and revokes (and disconnects) the others', async () => {
    const { email, password, cookies } = await accountWithSessions(3);
    const [current, ...others] = cookies as [string, ...string[]];
    for (const cookie of cookies) await useEverywhere(cookie);
    const currentSocket = await socketFor(current);
    const otherSockets = await Promise.all(others.map(socketFor));
    const closings = otherSockets.map(closed);
    const newPassword = 'amber-tidal-compass-31';
    const res = await call(routeNamed('auth-change-password'), {
      cookies: [current],
      body: { currentPassword: password, newPassword },
    });
    expect(res.status, res.text).toBe(204);
    for (const cookie of others) await expectRefusedEverywhere(cookie);
    for (const code of await Promise.all(closings)) expect(code).toBeGreaterThan(0);
    await expectAccepted(current);
    currentSocket.socket.send(JSON.stringify({ action: 'heartbeat' }));
    expect(await currentSocket.next()).toMatchObject({ type: 'heartbeat' });
    await currentSocket.close();
    const login = (password: string) => call(routeNamed('auth-login'), { body: { email, password } });
    expect((await login(password)).status).toBe(401);
    expect((await login(newPassword)).status).toBe(200);
    await vi.waitFor(async () => expect(await connections(await getDb()).countDocuments({})).toBe(0));
  }, 120_000);
});
