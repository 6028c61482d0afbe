// Costs of authentication on this machine: one scrypt hash/verify at the production cost (what a
// sign-up or sign-in spends per request, and so how much Lambda memory/CPU those two functions
// want), a sign-in through its handler, and the HTTP authorizer that runs before every protected
// request (one session lookup on the embedded MongoDB). Side by side in one run: a protected
// request's authorization through the local gateway's emulation with no cache (TTL 0, what the
// stack deploys so that revocation is immediate) and answered from a cache (what a TTL would save).
import { randomUUID } from 'node:crypto';
import { handler as authorizer } from '../functions/auth/authorizer.ts';
import { handler as login } from '../functions/auth/login.ts';
import { ensureAuthIndexes, users } from '../functions/lib/auth/collections.ts';
import { hashPassword, verifyPassword } from '../functions/lib/auth/passwords.ts';
import { createSession } from '../functions/lib/auth/sessions.ts';
import type { HttpEvent } from '../functions/lib/http-handler.ts';
import { closeMongoClient, getDb } from '../functions/lib/mongo.ts';
import { authorize, createAuthorizerCache } from '../infra/local/authorizer.ts';
import { createFunctionHost } from '../infra/local/function-host.ts';
import { REPO_ROOT } from '../infra/local/gateway.ts';
import { startMongoServer } from '../infra/local/mongo/index.ts';
import { createRouteMatcher } from '../infra/local/route-matcher.ts';
import { httpRoutes } from '../infra/routes.ts';
import { httpEvent, lambdaContext } from '../test/support/http-event.ts';
import { percentile } from './lib/load.ts';
import type { BenchResult } from './lib/result.ts';

const round = (n: number) => Math.round(n * 100) / 100;

async function timeEach(times: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

function loginEvent(email: string, password: string): HttpEvent {
  return httpEvent({ method: 'POST', path: '/api/auth/login', body: { email, password } });
}

function authorizerEvent(cookie: string): Parameters<typeof authorizer>[0] {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:local/$default/GET/api/auth/me',
    identitySource: [cookie],
    routeKey: 'GET /api/auth/me',
    rawPath: '/api/auth/me',
    rawQueryString: '',
    cookies: [cookie],
    headers: { host: 'localhost' },
    requestContext: httpEvent({ path: '/api/auth/me' }).requestContext,
  } as unknown as Parameters<typeof authorizer>[0];
}

export async function run(): Promise<BenchResult> {
  const hashes = await timeEach(8, () => hashPassword('correct horse battery staple'));
  const stored = await hashPassword('correct horse battery staple');
  const verifies = await timeEach(8, () => verifyPassword('correct horse battery staple', stored));

  const mongo = await startMongoServer({ port: 0 });
  process.env.MONGODB_URI = mongo.uri;
  process.env.MONGODB_DB = 'bench_auth';
  try {
    const db = await getDb();
    await ensureAuthIndexes(db);
    const userId = randomUUID();
    const email = `bench-${userId.slice(0, 8)}@example.com`;
    await users(db).insertOne({ _id: userId, email, passwordHash: stored, createdAt: new Date() });
    const logins = await timeEach(8, async () => {
      const res = await login(loginEvent(email, 'correct horse battery staple'), lambdaContext('auth-login'));
      if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}`);
    });
    const { token } = await createSession(db, userId);
    await timeEach(50, () => authorizer(authorizerEvent(`sid=${token}`))); // warm-up
    const authorizations = await timeEach(1000, async () => {
      const res = await authorizer(authorizerEvent(`sid=${token}`));
      if (res.context.userId !== userId) throw new Error('authorizer lost the session');
    });
    const gateway = await gatewayAuthorization(`sid=${token}`);
    return {
      name: 'auth',
      metrics: {
        scryptHashP50: { value: round(percentile(hashes, 50)), unit: 'ms', target: '≤ 250 (N=2^15, r=8)' },
        scryptVerifyP50: { value: round(percentile(verifies, 50)), unit: 'ms', target: '≤ 250' },
        loginHandlerP50: { value: round(percentile(logins, 50)), unit: 'ms', target: '≤ 300' },
        authorizerP50: { value: round(percentile(authorizations, 50)), unit: 'ms', target: '≤ 5' },
        authorizerP99: { value: round(percentile(authorizations, 99)), unit: 'ms', target: '≤ 20' },
        gatewayAuthorizeUncachedP50: { value: round(percentile(gateway.uncached, 50)), unit: 'ms' },
        gatewayAuthorizeCachedP50: { value: round(percentile(gateway.cached, 50)), unit: 'ms' },
      },
    };
  } finally {
    await closeMongoClient();
    await mongo.stop();
  }
}

/** The local gateway's authorization step for GET /api/auth/me, alternately without and with a cache. */
async function gatewayAuthorization(cookie: string): Promise<{ uncached: number[]; cached: number[] }> {
  const host = createFunctionHost(REPO_ROOT, [
    { name: 'authorizer', entry: 'functions/auth/authorizer.ts', timeoutSeconds: 10 },
  ]);
  const match = createRouteMatcher(httpRoutes)('GET', '/api/auth/me');
  if (!match) throw new Error('no route for GET /api/auth/me');
  const info = {
    method: 'GET',
    url: '/api/auth/me',
    headers: { cookie: [cookie], host: ['localhost'] },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    port: 0,
  };
  const caches = {
    uncached: createAuthorizerCache({ ttlSeconds: 0 }),
    cached: createAuthorizerCache({ ttlSeconds: 3600 }),
  };
  const samples = { uncached: [] as number[], cached: [] as number[] };
  for (let i = 0; i < 550; i++) {
    for (const kind of ['uncached', 'cached'] as const) {
      const t0 = performance.now();
      const outcome = await authorize(host, 'authorizer', info, match, `bench-${i}`, caches[kind]);
      if (outcome.kind !== 'allowed') throw new Error('the gateway refused the session');
      if (i >= 50) samples[kind].push(performance.now() - t0); // the first 50 warm up
    }
  }
  return { uncached: samples.uncached.sort((a, b) => a - b), cached: samples.cached.sort((a, b) => a - b) };
}
