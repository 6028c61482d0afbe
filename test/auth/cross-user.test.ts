// User B acting on user A's ids, for every protected route of the table. A's records and devices
// are seeded through the routes themselves (one valid sample per route); then B sends each route's
// request with A's device id (→ 403) and with A's record ids from B's own device (→ 403/404 where the
// request names A's records; otherwise it may only touch B's own data). After every request A's data
// is byte-for-byte unchanged, and no response to B carries anything of A's; B's full pull neither.

import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDeviceId } from '../../core/ids.ts';
import { createSession } from '../../functions/lib/auth/sessions.ts';
import { httpRoutes } from '../../infra/routes.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { directCaller, type RouteResponse } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';
import { type Fixture, newFixture, ROUTE_SAMPLES, requestFor, withDevice } from './harness/route-samples.ts';
import { createTestUser, type TestUser } from './harness/users.ts';

const sessionRoutes = httpRoutes.filter((r) => r.auth === 'session');

let t: AppDb;
let a: TestUser;
let fxA: Fixture;
let fxB: Fixture;
let aState: string;

/** Everything of A's: documents owned by A's user id, or about A's devices, or A's account itself. */
async function ownerState(db: Db, userId: string, deviceId: string): Promise<string> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
  const state: Record<string, unknown[]> = {};
  for (const name of names) {
    const filter = {
      $or: [{ userId }, { deviceId }, { sourceDeviceId: deviceId }, { _id: userId as never }],
    };
    const docs = await db.collection(name).find(filter).toArray();
    state[name] = docs.map((d) => JSON.stringify(d)).sort();
  }
  return JSON.stringify(state);
}

/** Every B that acted, so the final check can pull as each of them. */
const intruders: TestUser[] = [];

/** A fresh user B for each request, so nothing B did before (say, create a task with A's id) changes
 * what the next request finds. */
async function asNewB(request: ReturnType<typeof requestFor>, routeName: string): Promise<RouteResponse> {
  const b = await createTestUser(t.db, 'bob');
  intruders.push(b);
  return directCaller(routeNamed(routeName), { ...request, cookies: [b.cookie] });
}

function expectNothingOfA(res: RouteResponse): void {
  for (const secret of [a.userId, a.email, fxA.marker]) expect(res.text).not.toContain(secret);
}

beforeAll(async () => {
  t = await startAppDb();
  a = await createTestUser(t.db, 'alice');
  fxA = { ...newFixture('a'), password: a.password };
  fxB = newFixture('b');
  for (const [name, s] of Object.entries(ROUTE_SAMPLES)) {
    const route = httpRoutes.find((r) => r.name === name);
    if (!route || s.endsSession) continue;
    const res = await directCaller(route, { ...s.request(fxA), cookies: [a.cookie] });
    expect(res.status, `seeding A through ${name}: ${res.text}`).toBeLessThan(300);
  }
  aState = await ownerState(t.db, a.userId, fxA.deviceId);
  // The seeding really made A's device (and A's records, once their routes exist).
  expect(aState).toContain(fxA.deviceId);
});
afterAll(async () => {
  await t?.stop();
});

describe.each(sessionRoutes.map((r) => [r.name, r] as const))('%s', (name, route) => {
  const known = ROUTE_SAMPLES[name];

  it("with A's device id: 403 (or nothing of A's touched when it names no device)", async () => {
    const res = await asNewB(requestFor(route, { ...fxA, marker: fxB.marker, mutationIds: new Map() }), name);
    expect(res.status).toBeLessThan(500);
    if (known?.namesDevice) expect(res.status).toBe(403);
    expectNothingOfA(res);
    expect(await ownerState(t.db, a.userId, fxA.deviceId)).toBe(aState);
  });

  it("with A's record ids from B's own device: refused or confined to B's data", async () => {
    const fx = { ...withDevice(fxA, newDeviceId()), marker: fxB.marker };
    const res = await asNewB(requestFor(route, fx), name);
    expect(res.status).toBeLessThan(500);
    if (known?.othersRecords === 'refused') expect([403, 404], res.text).toContain(res.status);
    expectNothingOfA(res);
    expect(await ownerState(t.db, a.userId, fxA.deviceId)).toBe(aState);
  });
});

describe("B's view", () => {
  it("a full pull by every B holds nothing of A's, while A's own pull holds A's records", async () => {
    const pull = routeNamed('sync-pull');
    expect(intruders.length).toBeGreaterThan(sessionRoutes.length);
    for (const b of intruders) {
      // A new session: one of them signed out (the logout route).
      const { token } = await createSession(t.db, b.userId);
      const theirs = await directCaller(pull, { query: { since: '0' }, cookies: [`sid=${token}`] });
      expect(theirs.status).toBe(200);
      expectNothingOfA(theirs);
    }
    const own = await directCaller(pull, { query: { since: '0' }, cookies: [a.cookie] });
    expect(own.status).toBe(200);
    expect(own.text).toContain(fxA.marker);
  });
});
