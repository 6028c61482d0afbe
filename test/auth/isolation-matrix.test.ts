// Every protected route of the route table, whatever it is and whenever it was added, refuses a
// request without a live session: no cookie, a cookie that is not a session, a tampered token, an
// expired or signed-out session → 401, and nothing is written. A live session passes (the control
// that keeps this matrix from passing vacuously). Each case runs twice: authorizer + handler in this
// process as API Gateway would run them, and over HTTP through the local gateway.

import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../functions/lib/auth/collections.ts';
import { hashToken, newToken } from '../../functions/lib/auth/tokens.ts';
import type { HttpHandler } from '../../functions/lib/http-handler.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { type HttpRoute, httpRoutes } from '../../infra/routes.ts';
import { httpEvent, lambdaContext } from '../support/http-event.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { snapshot } from './harness/db-snapshot.ts';
import {
  directCaller,
  fillPath,
  gatewayCaller,
  REPO_ROOT,
  type RouteCaller,
} from './harness/route-caller.ts';
import { createTestUser, tamper } from './harness/users.ts';

const PUBLIC_ROUTES = ['health', 'auth-signup', 'auth-login'];
const sessionRoutes = httpRoutes.filter((r) => r.auth === 'session');

let t: AppDb;
let gateway: LocalGateway;
const callers: Record<string, () => RouteCaller> = {
  direct: () => directCaller,
  gateway: () => gatewayCaller(gateway.url),
};

beforeAll(async () => {
  t = await startAppDb();
  gateway = await createLocalGateway({
    port: 0,
    env: { MONGODB_URI: t.uri, MONGODB_DB: t.db.databaseName },
  });
});
afterAll(async () => {
  await gateway?.close();
  await t?.stop();
});

/** Cookie headers that must not get anyone in, each made fresh against the database. */
const refusedCookies: Record<string, (db: Db) => Promise<string[]>> = {
  'no cookie': async () => [],
  'other cookies only': async () => ['theme=dark', 'lang=en'],
  'an empty sid': async () => ['sid='],
  'a malformed sid': async () => ['sid=../../etc/passwd'],
  'a random well-formed sid': async () => [`sid=${newToken()}`],
  'a tampered sid': async (db) => [`sid=${tamper((await createTestUser(db)).token)}`],
  'the stored hash as sid': async (db) => [`sid=${hashToken((await createTestUser(db)).token)}`],
  'an expired session': async (db) => {
    const user = await createTestUser(db);
    await sessions(db).updateOne(
      { _id: hashToken(user.token) },
      { $set: { expiresAt: new Date(Date.now() - 1) } },
    );
    return [user.cookie];
  },
  'a signed-out session': async (db) => {
    const user = await createTestUser(db);
    await sessions(db).deleteOne({ _id: hashToken(user.token) });
    return [user.cookie];
  },
};

function minimalRequest(route: HttpRoute, cookies: string[]) {
  return { cookies, ...(route.method === 'GET' ? {} : { body: {} }) };
}

describe('the route table', () => {
  it('has exactly the agreed public routes; everything else needs a session', () => {
    expect(
      httpRoutes
        .filter((r) => r.auth === 'public')
        .map((r) => r.name)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
    expect(sessionRoutes.length).toBeGreaterThanOrEqual(4);
  });
});

describe.each(Object.keys(callers))('through %s', (mode) => {
  describe.each(sessionRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_key, route) => {
    it('refuses every request without a live session with 401, and writes nothing', async () => {
      const cases = await Promise.all(
        Object.entries(refusedCookies).map(async ([name, make]) => ({ name, cookies: await make(t.db) })),
      );
      const before = await snapshot(t.db);
      for (const { name, cookies } of cases) {
        const res = await callers[mode]!()(route, minimalRequest(route, cookies));
        expect(res.status, `${name}: ${res.text}`).toBe(401);
        // The gateway itself answers a request without any cookie, as API Gateway does.
        if (mode === 'direct' || cookies.length > 0)
          expect(res.body, name).toMatchObject({ error: 'Unauthorized' });
        expect(
          res.setCookies.filter((c) => !/^sid=;/.test(c)),
          name,
        ).toEqual([]);
      }
      expect(await snapshot(t.db)).toBe(before);
    });

    it('lets a live session through (control)', async () => {
      const user = await createTestUser(t.db);
      const res = await callers[mode]!()(route, minimalRequest(route, [user.cookie]));
      expect(res.status, res.text).not.toBe(401);
      expect(res.status, res.text).toBeLessThan(500);
    });
  });
});

/** The content types a cross-site HTML form (or a CORS "simple" request) can send. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain'];
const stateChanging = httpRoutes.filter((r) => r.method !== 'GET');

describe('CSRF: state-changing routes take only JSON bodies', () => {
  it.each(stateChanging.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s refuses a form body with 415 and writes nothing',
    async (_key, route) => {
      const user = await createTestUser(t.db);
      const before = await snapshot(t.db);
      for (const type of FORM_TYPES) {
        const res = await directCaller(route, {
          cookies: [user.cookie],
          rawBody: 'email=a%40example.com&password=x&deviceId=device_1700000000000_abcd',
          headers: { 'content-type': type },
        });
        expect(res.status, `${type}: ${res.text}`).toBe(415);
      }
      expect(await snapshot(t.db)).toBe(before);
    },
  );
});

describe('without the authorizer in front (a misconfigured gateway)', () => {
  it.each(sessionRoutes.map((r) => [r.name, r] as const))(
    '%s still answers 401 on its own',
    async (_name, route) => {
      const mod = (await import(`${REPO_ROOT}${route.entry}`)) as { handler: HttpHandler };
      const event = httpEvent({
        method: route.method,
        path: fillPath(route.path),
        routePath: route.path,
        ...(route.method === 'GET' ? {} : { body: {} }),
      });
      delete (event.requestContext as { authorizer?: unknown }).authorizer;
      const result = await mod.handler(event, lambdaContext(route.name));
      expect(result.statusCode).toBe(401);
    },
  );
});
