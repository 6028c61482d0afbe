// The app's own route table through the gateway, on the embedded database: the real authorizer runs
// before session routes, and a session cookie set by one function opens the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeMongoClient } from '../../functions/lib/mongo.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { startTestMongo, type TestMongo } from '../support/mongo.ts';

let mongo: TestMongo;
let gateway: LocalGateway;

beforeAll(async () => {
  mongo = await startTestMongo();
  gateway = await createLocalGateway({ port: 0, env: { MONGODB_URI: mongo.uri } });
});

afterAll(async () => {
  await gateway?.close();
  await closeMongoClient();
  await mongo?.stop();
});

/** `sid=…` from the first Set-Cookie header, as a browser would send it back. */
function sessionCookie(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
  expect(cookie).toBeDefined();
  return (cookie ?? '').split(';')[0] ?? '';
}

describe('session routes through the real authorizer', () => {
  it('signs up, then reaches a session route with the cookie it was given', async () => {
    const signup = await fetch(`${gateway.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'gateway@example.com', password: 'a long and unusual passphrase 42' }),
    });
    expect(signup.status).toBe(201);
    const { userId } = (await signup.json()) as { userId: string };
    const me = await fetch(`${gateway.url}/api/auth/me`, { headers: { cookie: sessionCookie(signup) } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userId });
  });

  it('answers 401 at the gateway without a cookie, and 401 from the wrapper with a bogus one', async () => {
    const none = await fetch(`${gateway.url}/api/auth/me`);
    expect([none.status, await none.json()]).toEqual([401, { message: 'Unauthorized' }]);
    const bogus = await fetch(`${gateway.url}/api/auth/me`, { headers: { cookie: 'sid=not-a-session' } });
    expect(bogus.status).toBe(401);
    expect(await bogus.json()).toMatchObject({ error: 'Unauthorized' });
  });
});
