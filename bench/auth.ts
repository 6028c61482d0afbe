// Costs of authentication on this machine: one scrypt hash/verify at the production cost (what a
// sign-up or sign-in spends per request, and so how much Lambda memory/CPU those two functions
// want), a sign-in through its handler, and the HTTP authorizer that runs before every protected
// request (one session lookup on the embedded MongoDB).
import { randomUUID } from 'node:crypto';
import { handler as authorizer } from '../functions/auth/authorizer.ts';
import { handler as login } from '../functions/auth/login.ts';
import { ensureAuthIndexes, users } from '../functions/lib/auth/collections.ts';
import { hashPassword, verifyPassword } from '../functions/lib/auth/passwords.ts';
import { createSession } from '../functions/lib/auth/sessions.ts';
import type { HttpEvent } from '../functions/lib/http-handler.ts';
import { closeMongoClient, getDb } from '../functions/lib/mongo.ts';
import { startMongoServer } from '../infra/local/mongo/index.ts';
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
    return {
      name: 'auth',
      metrics: {
        scryptHashP50: { value: round(percentile(hashes, 50)), unit: 'ms', target: '≤ 250 (N=2^15, r=8)' },
        scryptVerifyP50: { value: round(percentile(verifies, 50)), unit: 'ms', target: '≤ 250' },
        loginHandlerP50: { value: round(percentile(logins, 50)), unit: 'ms', target: '≤ 300' },
        authorizerP50: { value: round(percentile(authorizations, 50)), unit: 'ms', target: '≤ 5' },
        authorizerP99: { value: round(percentile(authorizations, 99)), unit: 'ms', target: '≤ 20' },
      },
    };
  } finally {
    await closeMongoClient();
    await mongo.stop();
  }
}
