// The sign-in limits through the local gateway, each client on its own loopback address (the
// gateway's sourceIp): failures count per account *and* address, an address trying many accounts is
// slowed then refused, and guesses spread over many addresses slow the account down without
// locking its owner out. The slow-then-refuse schedule itself is checked on the limiter with a clock.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimits } from '../../functions/lib/auth/collections.ts';
import { takeAttempt } from '../../functions/lib/auth/rate-limit.ts';
import { SIGN_IN_LIMITS } from '../../functions/lib/auth/sign-in-limits.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { loopbackCaller } from './harness/loopback-caller.ts';
import type { RouteResponse } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';
import { createTestUser } from './harness/users.ts';

let t: AppDb;
let gateway: LocalGateway;
beforeAll(async () => {
  t = await startAppDb();
  gateway = await createLocalGateway({
    port: 0,
    host: '127.0.0.1',
    env: { MONGODB_URI: t.uri, MONGODB_DB: t.db.databaseName },
  });
});
afterAll(async () => {
  await gateway?.close();
  await t?.stop();
});

let nextHost = 1;
/** A client on a loopback address no other test uses. */
function client() {
  nextHost += 1;
  const call = loopbackCaller(gateway.url, `127.0.0.${nextHost}`);
  return {
    logIn: (email: string, password: string) => call(routeNamed('auth-login'), { body: { email, password } }),
  };
}

const newEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

function expectRetryAfter(res: RouteResponse, atMostSeconds: number): number {
  expect(res.status, res.text).toBe(429);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(atMostSeconds);
  expect(res.body).toMatchObject({ retryAfterSeconds: seconds });
  return seconds;
}

describe('per account and address', () => {
  it('locks out the guessing address, not the owner signing in from another one', async () => {
    const { email, password: PASSWORD } = await createTestUser(t.db, 'owner');
    const home = client();
    expect((await home.logIn(email, PASSWORD)).status).toBe(200);
    const attacker = client();
    for (let i = 0; i < 5; i++) expect((await attacker.logIn(email, `guess-${i}-wrong`)).status).toBe(401);
    expectRetryAfter(await attacker.logIn(email, `guess-6-wrong`), 15 * 60);
    // Even the right password from the guessing address waits.
    expectRetryAfter(await attacker.logIn(email, PASSWORD), 15 * 60);
    const travelling = client();
    expect((await travelling.logIn(email, PASSWORD)).status).toBe(200);
    expect((await home.logIn(email, PASSWORD)).status).toBe(200);
  }, 120_000);
});

describe('one address, many accounts', () => {
  it('is slowed after 10 failures (429 + Retry-After), whatever accounts it tries', async () => {
    const sprayer = client();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await sprayer.logIn(newEmail('spray'), 'Winter2026!!')).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // A refused attempt does not count: after the wait, the next one is checked again.
    expectRetryAfter(await sprayer.logIn(newEmail('spray'), 'Winter2026!!'), 60);
    // Another address is not slowed by this one.
    expect((await client().logIn(newEmail('spray'), 'Winter2026!!')).status).toBe(401);
  }, 120_000);
});

describe('one account, many addresses', () => {
  it('slows guesses from unknown addresses down, while the owner at a known address gets in', async () => {
    const { email, password: PASSWORD } = await createTestUser(t.db, 'target');
    // The owner has signed in from home before: that address is known for the account.
    const home = client();
    expect((await home.logIn(email, PASSWORD)).status).toBe(200);
    for (let i = 0; i < SIGN_IN_LIMITS.account.slowAfter; i++) {
      expect((await client().logIn(email, `botnet-guess-${i}`)).status).toBe(401);
    }
    // The next guess, from yet another address, must wait; it is never refused for minutes on end.
    expectRetryAfter(await client().logIn(email, 'botnet-guess-x'), 60);
    // The owner's own address is not slowed by them.
    expect((await home.logIn(email, PASSWORD)).status).toBe(200);
  }, 120_000);
});

describe('the schedule (limiter with a clock)', () => {
  const at = (start: number, seconds: number) => new Date(start + seconds * 1000);

  it('address: free for 10, then a doubling wait capped at a minute, then refused until the window frees', async () => {
    const key = `test:addr:${randomUUID()}`;
    const rule = SIGN_IN_LIMITS.address;
    const start = Date.now(); // expiresAt then lies ahead: the TTL monitor leaves the records alone
    let now = 0;
    for (let i = 0; i < rule.slowAfter; i++) {
      expect((await takeAttempt(t.db, key, rule, at(start, now))).allowed).toBe(true);
      now += 1;
    }
    const waits: number[] = [];
    for (let n = rule.slowAfter; n < rule.limit; n++) {
      const refused = await takeAttempt(t.db, key, rule, at(start, now));
      const wait = refused.allowed ? 0 : refused.retryAfterSeconds;
      waits.push(wait);
      now += wait;
      expect((await takeAttempt(t.db, key, rule, at(start, now))).allowed).toBe(true);
    }
    // The first wait counts from the 10th failure, a second earlier; each later one from the last.
    expect(waits).toEqual([9, 20, 40, 60, 60, 60, 60, 60, 60, 60]);
    const refused = await takeAttempt(t.db, key, rule, at(start, now + 60));
    expect(refused.allowed).toBe(false);
    // Refused outright: until the oldest of the 20 leaves the 15-minute window, minutes away.
    const untilFree = 15 * 60 - (now + 60);
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBe(untilFree);
    expect(await rateLimits(t.db).countDocuments({ key })).toBe(rule.limit);
  });

  it('account: never refused for longer than the capped wait, however many guesses', async () => {
    const key = `test:acct:${randomUUID()}`;
    const rule = SIGN_IN_LIMITS.account;
    const start = Date.now(); // expiresAt then lies ahead: the TTL monitor leaves the records alone
    let now = 0;
    for (let i = 0; i < 60; i++) {
      const decision = await takeAttempt(t.db, key, rule, at(start, now));
      if (!decision.allowed) {
        expect(decision.retryAfterSeconds).toBeLessThanOrEqual(60);
        now += decision.retryAfterSeconds;
        expect((await takeAttempt(t.db, key, rule, at(start, now))).allowed).toBe(true);
      }
      now += 0.5;
    }
  });
});
