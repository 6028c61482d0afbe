// Fuzzing every route of the table (public and protected) with fast-check: bodies, queries, path
// parameters and mutation headers bent away from a valid request. Whatever arrives, the answer is
// never a 5xx, and a 4xx leaves the database exactly as it was (failed sign-ins are counted in
// `rateLimits`, and a mutation the domain rejects is recorded as rejected, by design: nothing else). Routes added later are fuzzed from a generic probe
// until they get a sample in harness/route-samples.ts.

import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStateCollection } from '../../functions/lib/sync/collections.ts';
import { type HttpRoute, httpRoutes } from '../../infra/routes.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { canonical, dump, WRITTEN_ON_REFUSAL } from './harness/db-snapshot.ts';
import { applyOps, requestOps } from './harness/request-fuzz.ts';
import { directCaller, type RouteRequest } from './harness/route-caller.ts';
import { type Fixture, newFixture, ROUTE_SAMPLES, requestFor } from './harness/route-samples.ts';
import { createTestUser, type TestUser } from './harness/users.ts';

const RUNS_PER_ROUTE = 25;
/** What a rejected mutation writes by design: the rejection and the device's spent id. */
const RECORDED_ON_REJECTION = new Set([...WRITTEN_ON_REFUSAL, 'rejectedMutations', 'syncState']);

let t: AppDb;
let user: TestUser;
let fx: Fixture;

/** Valid starting points for the public routes, which the cross-user samples do not cover. */
function publicBase(route: HttpRoute): RouteRequest | undefined {
  if (route.name === 'auth-signup') {
    return {
      body: { email: `fuzz-${randomUUID().slice(0, 8)}@example.com`, password: 'violet-anchor-river-9' },
    };
  }
  if (route.name === 'auth-login') return { body: { email: user.email, password: user.password } };
  if (route.name === 'health') return {};
  return undefined;
}

beforeAll(async () => {
  t = await startAppDb();
  user = await createTestUser(t.db, 'fuzz');
  fx = { ...newFixture('fuzz'), password: user.password };
  // The user's records exist, so that bent requests reach the code paths that find them.
  for (const [name, s] of Object.entries(ROUTE_SAMPLES)) {
    const route = httpRoutes.find((r) => r.name === name);
    if (!route || s.endsSession) continue;
    await directCaller(route, { ...s.request(fx), cookies: [user.cookie] });
  }
});
afterAll(async () => {
  await t?.stop();
});

describe.each(httpRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_key, route) => {
  it('never answers 5xx, and a 4xx writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(requestOps, async (ops) => {
        // Continue the device's mutation ids where the server is, so bent ids are the only gaps.
        const device = await syncStateCollection(t.db).findOne({ deviceId: fx.deviceId });
        fx.mutationIds.set(fx.deviceId, device?.lastMutationId ?? 0);
        // Logout, a password change or a deletion would end what the other runs use: a user of its own.
        const own = ROUTE_SAMPLES[route.name]?.endsSession ? await createTestUser(t.db) : user;
        const base = publicBase(route) ?? requestFor(route, { ...fx, password: own.password });
        const request = applyOps(base, ops);
        const cookie = own.cookie;
        const before = await dump(t.db);
        const res = await directCaller(route, { ...request, cookies: [cookie] });
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status < 400) return;
        // A mutation the domain rejects is recorded (its id is spent, a replay answers the same), and
        // nothing else: no record, no version. Any other 4xx writes nothing at all.
        const rejected = (res.body as { status?: unknown } | undefined)?.status === 'rejected';
        const ignore = rejected ? RECORDED_ON_REJECTION : WRITTEN_ON_REFUSAL;
        expect(canonical(await dump(t.db), ignore), `${res.status} ${res.text}`).toBe(
          canonical(before, ignore),
        );
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
    // 25 sign-ups hash 25 passwords at the production scrypt cost: slow on a shared, loaded machine.
  }, 180_000);
});
