import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as authorizer } from '../../functions/auth/authorizer.ts';
import { sessions, users } from '../../functions/lib/auth/collections.ts';
import {
  resolveSession,
  SESSION_REFRESH_INTERVAL_MS,
  SESSION_TTL_MS,
} from '../../functions/lib/auth/sessions.ts';
import { hashToken } from '../../functions/lib/auth/tokens.ts';
import { useTestMongo } from '../support/mongo.ts';
import { directCaller } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';
import { createTestUser, tamper } from './harness/users.ts';

const t = useTestMongo();

const DAY = 24 * 60 * 60 * 1000;

/** An authorizer event shaped like test/fixtures/aws-events/http-api-v2-authorizer-request.json. */
function authorizerEvent(parts: {
  cookies?: string[];
  identitySource?: string[];
  cookieHeader?: string;
}): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc/$default/GET/api/auth/me',
    identitySource: parts.identitySource ?? [],
    routeKey: 'GET /api/auth/me',
    rawPath: '/api/auth/me',
    rawQueryString: '',
    ...(parts.cookies ? { cookies: parts.cookies } : {}),
    headers: {
      host: 'abc.execute-api.eu-west-1.amazonaws.com',
      ...(parts.cookieHeader ? { cookie: parts.cookieHeader } : {}),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc',
      domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc',
      http: {
        method: 'GET',
        path: '/api/auth/me',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'vitest',
      },
      requestId: 'req',
      routeKey: 'GET /api/auth/me',
      stage: '$default',
      time: '17/Jun/2024:15:52:39 +0000',
      timeEpoch: 1718639559080,
    },
  } as APIGatewayRequestAuthorizerEventV2;
}

describe('HTTP authorizer', () => {
  it.each([
    ['the payload 2.0 cookies array', (c: string) => ({ cookies: ['theme=dark', c] })],
    ['the identity source (cookie header)', (c: string) => ({ identitySource: [`theme=dark; ${c}`] })],
    ['a raw cookie header', (c: string) => ({ cookieHeader: c })],
  ])('finds the session in %s', async (_name, where) => {
    const user = await createTestUser(t.db);
    expect(await authorizer(authorizerEvent(where(user.cookie)))).toEqual({
      isAuthorized: true,
      context: { userId: user.userId },
    });
  });

  it('prefers a live session over a stale duplicate cookie', async () => {
    const user = await createTestUser(t.db);
    const result = await authorizer(authorizerEvent({ cookies: [`sid=${tamper(user.token)}`, user.cookie] }));
    expect(result.context.userId).toBe(user.userId);
  });

  it.each([
    ['no cookie', () => ({})],
    ['another cookie only', () => ({ cookies: ['theme=dark'] })],
    ['a garbage sid', () => ({ cookies: ['sid=not-a-token'] })],
    ['an empty sid', () => ({ cookies: ['sid='] })],
  ])('answers an empty userId for %s', async (_name, parts) => {
    expect(await authorizer(authorizerEvent(parts()))).toEqual({
      isAuthorized: true,
      context: { userId: '' },
    });
  });

  it('answers an empty userId for a tampered token', async () => {
    const user = await createTestUser(t.db);
    const result = await authorizer(authorizerEvent({ cookies: [`sid=${tamper(user.token)}`] }));
    expect(result.context.userId).toBe('');
  });

  it('answers an empty userId for an expired session the TTL monitor has not removed yet', async () => {
    const user = await createTestUser(t.db);
    await sessions(t.db).updateOne(
      { _id: hashToken(user.token) },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    const result = await authorizer(authorizerEvent({ cookies: [user.cookie] }));
    expect(result.context.userId).toBe('');
  });
});

describe('sliding expiry', () => {
  it('pushes the expiry forward once the last refresh is a day old, not on every request', async () => {
    const user = await createTestUser(t.db);
    const id = hashToken(user.token);
    const created = (await sessions(t.db).findOne({ _id: id }))!;
    const soon = new Date(created.refreshedAt.getTime() + SESSION_REFRESH_INTERVAL_MS - 60_000);
    expect((await resolveSession(t.db, user.token, soon))?.expiresAt).toEqual(created.expiresAt);
    expect((await sessions(t.db).findOne({ _id: id }))?.refreshedAt).toEqual(created.refreshedAt);

    const later = new Date(created.refreshedAt.getTime() + 2 * DAY);
    const slid = await resolveSession(t.db, user.token, later);
    expect(slid?.expiresAt).toEqual(new Date(later.getTime() + SESSION_TTL_MS));
    const stored = (await sessions(t.db).findOne({ _id: id }))!;
    expect(stored.expiresAt).toEqual(new Date(later.getTime() + SESSION_TTL_MS));
    expect(stored.refreshedAt).toEqual(later);
  });

  it('a session unused for 30 days is gone', async () => {
    const user = await createTestUser(t.db);
    const created = (await sessions(t.db).findOne({ _id: hashToken(user.token) }))!;
    const after = new Date(created.expiresAt.getTime() + 1);
    expect(await resolveSession(t.db, user.token, after)).toBeNull();
  });

  it('stores a TTL index on the expiry so the server deletes dead sessions', async () => {
    const indexes = await sessions(t.db).indexes();
    expect(indexes.find((i) => i.key.expiresAt === 1)?.expireAfterSeconds).toBe(0);
    const userIndexes = await users(t.db).indexes();
    expect(userIndexes.find((i) => i.key.email === 1)?.unique).toBe(true);
  });
});

describe('GET /api/auth/me and POST /api/auth/logout', () => {
  const me = routeNamed('auth-me');
  const logout = routeNamed('auth-logout');

  it('me answers the user and re-issues the cookie with the session expiry', async () => {
    const user = await createTestUser(t.db);
    const res = await directCaller(me, { cookies: [user.cookie] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: user.userId, email: user.email });
    expect(res.setCookies[0]).toMatch(new RegExp(`^sid=${user.token}; Path=/; Max-Age=259\\d{4}; HttpOnly`));
  });

  it('me answers 401 once the account is gone', async () => {
    const user = await createTestUser(t.db);
    await users(t.db).deleteOne({ _id: user.userId });
    expect((await directCaller(me, { cookies: [user.cookie] })).status).toBe(401);
  });

  it('logout deletes the session, clears the cookie, and the old cookie stops working', async () => {
    const user = await createTestUser(t.db);
    const other = await createTestUser(t.db);
    const res = await directCaller(logout, { cookies: [user.cookie], body: {} });
    expect(res.status).toBe(204);
    expect(res.setCookies[0]).toMatch(/^sid=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict; Secure/);
    expect(await sessions(t.db).findOne({ _id: hashToken(user.token) })).toBeNull();
    expect((await directCaller(me, { cookies: [user.cookie] })).status).toBe(401);
    expect((await directCaller(me, { cookies: [other.cookie] })).status).toBe(200);
  });

  it("logout cannot delete another user's session named in a second cookie", async () => {
    const user = await createTestUser(t.db);
    const victim = await createTestUser(t.db);
    const res = await directCaller(logout, { cookies: [user.cookie, victim.cookie], body: {} });
    expect(res.status).toBe(204);
    expect(await sessions(t.db).findOne({ _id: hashToken(victim.token) })).not.toBeNull();
  });
});
