// The gateway over real HTTP with fixture functions: events in, responses out, and its faults.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { fixtureInternal, fixtureRoutes } from './fixtures/routes.ts';

let gateway: LocalGateway;
let webRoot: string;

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'gateway-web-'));
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(webRoot, 'main-ABCDEF12.js'), 'console.log(1);\n'.repeat(200));
  gateway = await createLocalGateway({
    port: 0,
    webRoot,
    routes: fixtureRoutes,
    internalFunctions: fixtureInternal,
  });
});

afterAll(async () => {
  await gateway?.close();
  await rm(webRoot, { recursive: true, force: true });
});

interface Echo {
  event: Record<string, unknown> & { requestContext: Record<string, unknown> };
  invocations: number;
  context: { awsRequestId: string; functionName: string; remainingMs: number };
}

async function echo(path: string, init?: RequestInit): Promise<Echo> {
  const res = await fetch(gateway.url + path, init);
  expect(res.status).toBe(200);
  return (await res.json()) as Echo;
}

describe('events', () => {
  it('builds a payload 2.0 event as API Gateway does', async () => {
    const { event } = await echo('/api/echo?a=1&a=2&b=x%20y', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Custom': 'v', cookie: 'c1=1; c2=2' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /api/echo',
      rawPath: '/api/echo',
      rawQueryString: 'a=1&a=2&b=x%20y',
      queryStringParameters: { a: '1,2', b: 'x y' },
      cookies: ['c1=1', 'c2=2'],
      body: '{"hello":"world"}',
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'v' });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.requestContext).toMatchObject({
      routeKey: 'POST /api/echo',
      stage: '$default',
      http: { method: 'POST', path: '/api/echo', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
    });
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('passes path parameters and prefers the most specific route', async () => {
    const param = await echo('/api/echo/a%20b');
    expect(param.event).toMatchObject({ routeKey: 'GET /api/echo/{id}', pathParameters: { id: 'a b' } });
    const special = await echo('/api/echo/special');
    expect(special.context.functionName).toBe('echo-special');
    const greedy = await echo('/api/files/x/y/z.txt');
    expect(greedy.event.pathParameters).toEqual({ path: 'x/y/z.txt' });
  });

  it('gives a Lambda-like context and keeps each module warm', async () => {
    const first = await echo('/api/echo/1');
    const second = await echo('/api/echo/2');
    expect(second.invocations).toBeGreaterThan(first.invocations);
    expect(first.context.functionName).toBe('echo-param');
    expect(first.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.context.awsRequestId).not.toBe(second.context.awsRequestId);
    expect(first.context.remainingMs).toBeGreaterThan(0);
    expect(first.context.remainingMs).toBeLessThanOrEqual(10_000);
  });

  it('base64-encodes binary request bodies', async () => {
    const { event } = await echo('/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 1]),
    });
    expect(event).toMatchObject({ isBase64Encoded: true, body: Buffer.from([0, 255, 1]).toString('base64') });
  });
});

describe('responses', () => {
  it('maps the bare-string and object shorthands to 200 JSON', async () => {
    const str = await fetch(`${gateway.url}/api/respond/string`);
    expect([str.status, str.headers.get('content-type'), await str.text()]).toEqual([
      200,
      'application/json',
      'hello from lambda',
    ]);
    const obj = await fetch(`${gateway.url}/api/respond/object`);
    expect(await obj.json()).toEqual({ message: 'hello', n: 1 });
  });

  it('decodes base64 bodies and keeps the status and headers', async () => {
    const res = await fetch(`${gateway.url}/api/respond/binary`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-multi')).toBe('a,b');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 250, 255]);
  });

  it('sends each cookie as its own Set-Cookie header', async () => {
    const res = await fetch(`${gateway.url}/api/respond/cookies`);
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(res.headers.get('x-count')).toBe('2');
  });

  it('turns a malformed response into the gateway 500', async () => {
    const res = await fetch(`${gateway.url}/api/respond/malformed`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ message: 'Internal Server Error' });
  });
});

describe('faults', () => {
  it('answers unknown API routes and wrong methods with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['DELETE', '/api/echo'],
      ['GET', '/api'],
    ] as const) {
      const res = await fetch(gateway.url + path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('answers a throwing handler with 500 and a request id, and keeps serving', async () => {
    const res = await fetch(`${gateway.url}/api/throw`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { message: string; requestId: string };
    expect(body.message).toBe('Internal Server Error');
    expect(body.requestId).toBe(res.headers.get('apigw-requestid'));
    await echo('/api/echo/after-throw');
  });

  it('answers a function that outlives its timeout with 504', async () => {
    const res = await fetch(`${gateway.url}/api/slow`);
    expect(res.status).toBe(504);
    await echo('/api/echo/after-timeout');
  });

  it('refuses bodies over 10 MB with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${gateway.url}/api/echo`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(Buffer.alloc(10 * 1024 * 1024 + 1, 97));
    });
    expect(status).toBe(413);
    await echo('/api/echo/after-413');
  });
});

describe('authorizer', () => {
  it('answers 401 without calling the authorizer when there is no cookie', async () => {
    const res = await fetch(`${gateway.url}/api/private`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
  });

  it('answers 403 when the authorizer says no, 500 when it fails', async () => {
    const denied = await fetch(`${gateway.url}/api/private`, { headers: { cookie: 'sid=bad' } });
    expect([denied.status, await denied.json()]).toEqual([403, { message: 'Forbidden' }]);
    const failed = await fetch(`${gateway.url}/api/private`, { headers: { cookie: 'sid=throw' } });
    expect(failed.status).toBe(500);
  });

  it('passes the REQUEST payload and hands its context to the route', async () => {
    const { event } = await echo('/api/private?x=1', { headers: { cookie: 'theme=dark; sid=good' } });
    expect(event.requestContext.authorizer).toEqual({
      lambda: {
        userId: 'user-1',
        type: 'REQUEST',
        identitySource: ['theme=dark; sid=good'],
        routeArn: 'arn:aws:execute-api:us-east-1:123456789012:local/$default/GET/api/private',
      },
    });
  });
});

describe('static site', () => {
  it('serves files and falls back to index.html for app routes', async () => {
    const js = await fetch(`${gateway.url}/main-ABCDEF12.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('content-encoding')).toBe('br');
    expect(await js.text()).toBe('console.log(1);\n'.repeat(200));
    const gzip = await fetch(`${gateway.url}/main-ABCDEF12.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(`${gateway.url}/main-ABCDEF12.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers.get('content-length')).toBe(String('console.log(1);\n'.length * 200));
    const page = await fetch(`${gateway.url}/tasks/today`);
    expect([page.status, await page.text()]).toEqual([200, '<!doctype html><title>app</title>']);
    const traversal = await fetch(`${gateway.url}/..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).toBe('<!doctype html><title>app</title>');
  });
});
