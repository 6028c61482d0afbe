// A password must never reach a log line, a response or an error: every path through sign-up and
// sign-in runs here with console and the process streams captured, including an unexpected failure
// (a corrupt stored hash) that the wrapper logs as a 500, directly and through the local gateway.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '../../functions/lib/auth/collections.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { type AppDb, startAppDb } from '../support/mongo.ts';
import { directCaller, gatewayCaller, type RouteResponse } from './harness/route-caller.ts';
import { routeNamed } from './harness/route-named.ts';

let t: AppDb;
let gateway: LocalGateway;
beforeAll(async () => {
  t = await startAppDb();
  gateway = await createLocalGateway({ port: 0, env: { MONGODB_URI: t.uri, MONGODB_DB: t.db.databaseName } });
});
afterAll(async () => {
  await gateway?.close();
  await t?.stop();
});

const captured: string[] = [];
function capture(): void {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      captured.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '));
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
      captured.push(String(chunk));
      return original(chunk as string, ...rest);
    }) as typeof stream.write);
  }
}
afterEach(() => {
  vi.restoreAllMocks();
});

const SECRET = 'zebra-Quartz-7731-lantern';
const signupRoute = routeNamed('auth-signup');
const loginRoute = routeNamed('auth-login');

describe('passwords stay out of logs and responses', () => {
  it('across sign-up, bad sign-ups, sign-in, failures, lock-out and an internal error', async () => {
    captured.length = 0;
    capture();
    const responses: RouteResponse[] = [];
    const email = 'secret.keeper@example.com';
    const call = async (route: typeof signupRoute, body: unknown, extra = {}) => {
      const res = await directCaller(route, { body, ...extra });
      responses.push(res);
      return res;
    };
    expect((await call(signupRoute, { email, password: SECRET })).status).toBe(201);
    expect((await call(signupRoute, { email, password: SECRET })).status).toBe(409);
    await call(signupRoute, { email: 'x@example.com', password: `${SECRET.slice(0, 5)}` });
    await call(signupRoute, { email: SECRET, password: SECRET });
    await call(signupRoute, SECRET);
    await call(signupRoute, [SECRET]);
    await call(signupRoute, undefined, {
      rawBody: `{"email":"${email}","password":"${SECRET}"`,
      headers: {},
    });
    expect((await call(loginRoute, { email, password: SECRET })).status).toBe(200);
    for (let i = 0; i < 6; i++) await call(loginRoute, { email, password: `${SECRET}-${i}` });
    expect(responses.at(-1)?.status).toBe(429);

    // An unexpected failure: the wrapper logs it as one line and answers 500.
    await users(t.db).insertOne({
      _id: 'corrupt',
      email: 'corrupt@example.com',
      passwordHash: 42 as unknown as string,
      createdAt: new Date(),
    });
    const broken = await call(loginRoute, { email: 'corrupt@example.com', password: SECRET });
    expect(broken.status).toBe(500);
    expect(captured.some((line) => line.includes('"level":"error"'))).toBe(true);

    // The same through the local gateway, whose own logging must not leak the body either.
    const viaGateway = gatewayCaller(gateway.url);
    responses.push(
      await viaGateway(signupRoute, { body: { email: 'gw.keeper@example.com', password: SECRET } }),
    );
    responses.push(
      await viaGateway(loginRoute, { body: { email: 'gw.keeper@example.com', password: `${SECRET}!` } }),
    );
    responses.push(await viaGateway(loginRoute, { rawBody: `{"password":"${SECRET}"` }));
    responses.push(
      await viaGateway(loginRoute, { body: { email: 'corrupt@example.com', password: SECRET } }),
    );
    expect(responses.slice(-4).map((r) => r.status)).toEqual([201, 401, 400, 500]);

    for (const res of responses) {
      expect(res.text).not.toContain(SECRET);
      for (const cookie of res.setCookies) expect(cookie).not.toContain(SECRET);
    }
    expect(captured.length).toBeGreaterThan(0);
    expect(captured.join('\n')).not.toContain(SECRET);

    // Every invocation leaves one structured summary line; none of them names the password or the user.
    const summaries = captured
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.startsWith('{') && line.includes('"message":"request"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(summaries.length).toBeGreaterThanOrEqual(responses.length - 4);
    for (const line of summaries) {
      expect(line).toMatchObject({ level: expect.any(String), route: expect.any(String) });
      expect(typeof line.durationMs).toBe('number');
      expect(['ok', 'client-error', 'server-error']).toContain(line.outcome);
      expect(JSON.stringify(line)).not.toContain(email);
    }
    expect(summaries.some((line) => line.status === 429 && line.outcome === 'client-error')).toBe(true);
  });
});
