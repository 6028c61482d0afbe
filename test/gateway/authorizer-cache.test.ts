// The local gateway's emulation of API Gateway's authorizer result cache: allowed answers are reused
// for the TTL by requests with the same identity source (the cookie header), denials and failures
// never are, and the TTL is the one the CDK stack deploys.

import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../infra/authorizer-cache.ts';
import { stackConfigSchema } from '../../infra/cloud/stack-config.ts';
import type { RequestInfo } from '../../infra/local/api-event.ts';
import { type AuthorizerCache, authorize, createAuthorizerCache } from '../../infra/local/authorizer.ts';
import { createFunctionHost } from '../../infra/local/function-host.ts';
import { createLocalGateway, type LocalGateway, REPO_ROOT } from '../../infra/local/gateway.ts';
import { createRouteMatcher } from '../../infra/local/route-matcher.ts';
import type { HttpRoute, InternalFunction } from '../../infra/routes.ts';

const dir = 'test/gateway/fixtures';
const routes: HttpRoute[] = [
  { method: 'GET', path: '/api/private', name: 'private', entry: `${dir}/echo.ts`, auth: 'session' },
  { method: 'GET', path: '/api/other', name: 'other', entry: `${dir}/echo.ts`, auth: 'session' },
];
const authorizerFn: InternalFunction = {
  name: 'counting-authorizer',
  entry: `${dir}/counting-authorizer.ts`,
  role: 'http-authorizer',
};
const host = createFunctionHost(REPO_ROOT, [{ ...authorizerFn, timeoutSeconds: 5 }]);
const matchRoute = createRouteMatcher(routes);

function requestInfo(cookies: string[], path = '/api/private'): RequestInfo {
  return {
    method: 'GET',
    url: path,
    headers: cookies.length > 0 ? { cookie: cookies } : {},
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    port: 0,
  };
}

/** The authorizer's invocation number behind the answer, or the gateway's status when denied. */
async function callsBehind(cache: AuthorizerCache, cookies: string[], path = '/api/private') {
  const match = matchRoute('GET', path);
  if (!match) throw new Error(`no route for ${path}`);
  const outcome = await authorize(host, authorizerFn.name, requestInfo(cookies, path), match, 'req', cache);
  if (outcome.kind === 'denied') return { status: outcome.response.status };
  return outcome.authorizer?.lambda ?? {};
}

function clock(start = 1_000_000) {
  const c = { ms: start, now: () => c.ms };
  return c;
}

describe('authorizer result cache', () => {
  it('answers a repeated cookie header from the cache, on any route behind the authorizer', async () => {
    const cache = createAuthorizerCache({ ttlSeconds: 60, now: clock().now });
    const first = await callsBehind(cache, ['sid=a1']);
    expect(first).toMatchObject({ userId: 'user-a1', routeKey: 'GET /api/private' });
    expect(await callsBehind(cache, ['sid=a1'])).toEqual(first);
    // The cached context is reused as it is, the first route's key included (as on AWS).
    expect(await callsBehind(cache, ['sid=a1'], '/api/other')).toEqual(first);
  });

  it('is keyed by the identity source values: a changed cookie header is a miss', async () => {
    const cache = createAuthorizerCache({ ttlSeconds: 60, now: clock().now });
    const first = (await callsBehind(cache, ['sid=b1'])) as { calls: number };
    const other = (await callsBehind(cache, ['sid=b2'])) as { calls: number; userId: string };
    expect(other.calls).toBeGreaterThan(first.calls);
    expect(other.userId).toBe('user-b2');
    const extra = (await callsBehind(cache, ['sid=b1', 'theme=dark'])) as { calls: number };
    expect(extra.calls).toBeGreaterThan(other.calls);
    expect(await callsBehind(cache, ['sid=b1'])).toEqual(first);
  });

  it('runs the authorizer again once the TTL has passed', async () => {
    const c = clock();
    const cache = createAuthorizerCache({ ttlSeconds: 60, now: c.now });
    const first = (await callsBehind(cache, ['sid=c1'])) as { calls: number };
    c.ms += 60_000 - 1;
    expect(await callsBehind(cache, ['sid=c1'])).toEqual(first);
    c.ms += 1;
    const renewed = (await callsBehind(cache, ['sid=c1'])) as { calls: number };
    expect(renewed.calls).toBeGreaterThan(first.calls);
    c.ms += 30_000;
    expect(await callsBehind(cache, ['sid=c1'])).toEqual(renewed);
  });

  it('never caches a denial or a failure', async () => {
    const cache = createAuthorizerCache({ ttlSeconds: 60, now: clock().now });
    for (let i = 0; i < 2; i += 1) {
      expect(await callsBehind(cache, ['sid=bad'])).toEqual({ status: 403 });
      expect(await callsBehind(cache, ['sid=throw'])).toEqual({ status: 500 });
    }
    const probe = (await callsBehind(cache, ['sid=d1'])) as { calls: number };
    const before = probe.calls;
    await callsBehind(cache, ['sid=bad']);
    await callsBehind(cache, ['sid=throw']);
    const after = (await callsBehind(cache, ['sid=d2'])) as { calls: number };
    expect(after.calls).toBe(before + 3);
  });

  it('with a TTL of 0 calls the authorizer every time; without a cookie never', async () => {
    const cache = createAuthorizerCache({ ttlSeconds: 0, now: clock().now });
    const first = (await callsBehind(cache, ['sid=e1'])) as { calls: number };
    const second = (await callsBehind(cache, ['sid=e1'])) as { calls: number };
    expect(second.calls).toBe(first.calls + 1);
    expect(await callsBehind(cache, [])).toEqual({ status: 401 });
    const third = (await callsBehind(cache, ['sid=e1'])) as { calls: number };
    expect(third.calls).toBe(second.calls + 1);
  });

  it('drops the oldest entry beyond its bound', async () => {
    const cache = createAuthorizerCache({ ttlSeconds: 60, now: clock().now, maxEntries: 2 });
    const oldest = await callsBehind(cache, ['sid=f1']);
    const kept = await callsBehind(cache, ['sid=f2']);
    await callsBehind(cache, ['sid=f3']);
    expect(await callsBehind(cache, ['sid=f2'])).toEqual(kept);
    expect(await callsBehind(cache, ['sid=f1'])).not.toEqual(oldest);
  });

  it('uses the TTL the CDK stack deploys by default', () => {
    expect(v.parse(stackConfigSchema, {}).authorizerCacheSeconds).toBe(AUTHORIZER_CACHE_TTL_SECONDS);
  });
});

describe('through the local gateway', () => {
  let gateway: LocalGateway;
  beforeAll(async () => {
    gateway = await createLocalGateway({
      port: 0,
      webRoot: REPO_ROOT,
      routes,
      internalFunctions: [authorizerFn],
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  async function lambdaContext(cookie: string, path = '/api/private') {
    const res = await fetch(gateway.url + path, { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { event: { requestContext: { authorizer: { lambda: unknown } } } };
    return body.event.requestContext.authorizer.lambda as { calls: number; userId: string };
  }

  it('asks the authorizer on every request, as the TTL the stack deploys (0) makes API Gateway do', async () => {
    expect(AUTHORIZER_CACHE_TTL_SECONDS).toBe(0);
    const first = await lambdaContext('sid=g1');
    const again = await lambdaContext('sid=g1', '/api/other');
    expect(again.calls).toBeGreaterThan(first.calls);
    const changed = await lambdaContext('sid=g1; theme=dark');
    expect(changed.calls).toBeGreaterThan(again.calls);
    const denied = await fetch(`${gateway.url}/api/private`, { headers: { cookie: 'sid=bad' } });
    expect(denied.status).toBe(403);
  });
});
