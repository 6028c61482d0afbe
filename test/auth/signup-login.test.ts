import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rateLimits, sessions, users } from '../../functions/lib/auth/collections.ts';
import { hashToken } from '../../functions/lib/auth/tokens.ts';
import { useTestMongo } from '../support/mongo.ts';
import { directCaller, type RouteRequest } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';

const t = useTestMongo();

const signupRoute = routeNamed('auth-signup');
const loginRoute = routeNamed('auth-login');
let addressCounter = 0;
/**
 * Each sign-up from its own connection address, so the per-address limit only bites where a test
 * wants it. (X-Forwarded-For would not do: without CloudFront's origin secret it is not trusted.)
 */
function freshAddress(): string {
  addressCounter += 1;
  return `203.0.113.${addressCounter}`;
}
const signup = (body: unknown, request: RouteRequest = {}) =>
  directCaller(signupRoute, { body, sourceIp: freshAddress(), ...request });
/** Each sign-in test from its own address, so that only its own failures count against it. */
let loginAddress = freshAddress();
beforeEach(() => {
  loginAddress = freshAddress();
});
const login = (body: unknown, request: RouteRequest = {}) =>
  directCaller(loginRoute, { body, sourceIp: loginAddress, ...request });
const PASSWORD = 'plum-jam-on-toast-42';

function sidOf(setCookies: string[]): string | undefined {
  return setCookies.map((c) => /^sid=([^;]*)/.exec(c)?.[1]).find(Boolean);
}

describe('POST /api/auth/signup', () => {
  it('creates the account with a normalized email, a scrypt hash and a session cookie', async () => {
    const res = await signup({ email: '  New.Person@Example.COM ', password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: expect.any(String), email: 'new.person@example.com' });
    const cookie = res.setCookies[0] ?? '';
    expect(cookie).toMatch(/^sid=[\w-]{43}; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Strict; Secure$/);
    const user = await users(t.db).findOne({ email: 'new.person@example.com' });
    expect(user?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    const token = sidOf(res.setCookies) ?? '';
    expect(await sessions(t.db).findOne({ _id: token })).toBeNull();
    expect(await sessions(t.db).findOne({ _id: hashToken(token) })).toMatchObject({ userId: user?._id });
  });

  it('leaves Secure off on plain http://localhost only', async () => {
    const res = await signup(
      { email: 'local@example.com', password: PASSWORD },
      { headers: { host: 'localhost:3000', 'x-forwarded-proto': 'http' } },
    );
    expect(res.status).toBe(201);
    expect(res.setCookies[0]).not.toContain('Secure');
  });

  it('refuses a second account for the same email in another case (409)', async () => {
    expect((await signup({ email: 'dup@example.com', password: PASSWORD })).status).toBe(201);
    const again = await signup({ email: 'DUP@example.com ', password: 'another-fine-password' });
    expect(again.status).toBe(409);
    expect(again.setCookies).toEqual([]);
    expect(await users(t.db).countDocuments({ email: 'dup@example.com' })).toBe(1);
  });

  it.each([
    ['a short password', { email: 'a@example.com', password: 'short1' }, 'password'],
    ['a common password', { email: 'b@example.com', password: 'Password123' }, 'password'],
    [
      'the email as password',
      { email: 'carol.smith@example.com', password: 'carol.smith@example.com' },
      'password',
    ],
    ['an invalid email', { email: 'not-an-email', password: PASSWORD }, 'email'],
    ['a missing password', { email: 'd@example.com' }, 'password'],
    ['a numeric password', { email: 'e@example.com', password: 12345678901 }, 'password'],
  ])('refuses %s with 400 and an issue on the field, writing nothing', async (_name, body, field) => {
    const before = await users(t.db).countDocuments();
    const res = await signup(body);
    expect(res.status).toBe(400);
    expect((res.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(field);
    expect(res.setCookies).toEqual([]);
    expect(await users(t.db).countDocuments()).toBe(before);
    const password = (body as { password?: unknown }).password;
    if (password !== undefined) expect(res.text).not.toContain(String(password));
  });

  it('refuses a body that is not JSON (415, CSRF)', async () => {
    const res = await signup(undefined, {
      rawBody: `email=f%40example.com&password=${PASSWORD}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });

  it('limits sign-ups per source address (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await signup(
        { email: `burst${i}@example.com`, password: PASSWORD },
        { sourceIp: '198.51.100.77' },
      );
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    const other = await signup({ email: 'elsewhere@example.com', password: PASSWORD });
    expect(other.status).toBe(201);
  }, 120_000);
});

describe('POST /api/auth/login', () => {
  const email = 'login.user@example.com';
  beforeAll(async () => {
    expect((await signup({ email, password: PASSWORD })).status).toBe(201);
  });

  it('signs in with any case of the email and sets a fresh session cookie', async () => {
    const res = await login({ email: ' LOGIN.user@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: expect.any(String), email });
    const token = sidOf(res.setCookies) ?? '';
    expect(await sessions(t.db).findOne({ _id: hashToken(token) })).not.toBeNull();
  });

  it('answers a wrong password and an unknown email with the same generic 401', async () => {
    const wrong = await login({ email, password: 'not-the-password' });
    const unknown = await login({ email: 'nobody@example.com', password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.text).not.toContain('not-the-password');
    expect(wrong.setCookies).toEqual([]);
  });

  it('locks an email at one address after 5 failures in 15 minutes (429 + Retry-After), even for the right password', async () => {
    const target = 'brute@example.com';
    expect((await signup({ email: target, password: PASSWORD })).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await login({ email: target, password: `guess-number-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const locked = await login({ email: target, password: 'guess-number-6' });
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await login({ email: target.toUpperCase(), password: PASSWORD })).status).toBe(429);
    // Another account is unaffected.
    expect((await login({ email, password: PASSWORD })).status).toBe(200);
  });

  it('counts a burst of parallel guesses too: at most 5 are checked', async () => {
    const target = 'parallel@example.com';
    expect((await signup({ email: target, password: PASSWORD })).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login({ email: target, password: `parallel-guess-${i}` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('a successful sign-in clears earlier failures', async () => {
    const target = 'forgetful@example.com';
    expect((await signup({ email: target, password: PASSWORD })).status).toBe(201);
    for (let i = 0; i < 4; i++) await login({ email: target, password: `almost-${i}-right` });
    expect((await login({ email: target, password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 5; i++)
      expect((await login({ email: target, password: `again-${i}-wrong` })).status).toBe(401);
  }, 120_000);

  it('keeps limiter keys hashed: no email in the rate-limit collection', async () => {
    const keys = (await rateLimits(t.db).find({}).toArray()).map((d) => d.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/@/);
  });
});
