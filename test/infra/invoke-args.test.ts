// The invoke CLI's pure parts: argument parsing, HTTP events from the short form, outputs files,
// and decoding of results.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_URL, parseInvokeArgs, UsageError } from '../../infra/invoke/args.ts';
import { httpInvocation } from '../../infra/invoke/event.ts';
import { decodeInvokeResult } from '../../infra/invoke/result.ts';
import { cloudTarget } from '../../infra/invoke/target.ts';
import type { HttpRoute } from '../../infra/routes.ts';

const routes: HttpRoute[] = [
  { method: 'GET', path: '/api/health', name: 'health', entry: 'functions/health.ts', auth: 'public' },
  { method: 'GET', path: '/api/home', name: 'read-home', entry: 'functions/read/home.ts', auth: 'session' },
  { method: 'PATCH', path: '/api/tasks/{taskId}', name: 'tasks-edit', entry: 'x.ts', auth: 'session' },
];

describe('parseInvokeArgs', () => {
  const ok = [
    {
      name: 'name only',
      argv: ['health'],
      expected: { functionName: 'health', hasPayload: false, local: undefined },
    },
    {
      name: 'name and payload',
      argv: ['broadcast', '{"a":1}'],
      expected: { functionName: 'broadcast', payload: { a: 1 } },
    },
    { name: '--local default URL', argv: ['health', '--local'], expected: { local: DEFAULT_LOCAL_URL } },
    {
      name: '--local with URL',
      argv: ['--local', 'http://127.0.0.1:4000', 'health'],
      expected: { local: 'http://127.0.0.1:4000', functionName: 'health' },
    },
    {
      name: '--local before the payload',
      argv: ['broadcast', '--local', '{"a":1}'],
      expected: { local: DEFAULT_LOCAL_URL, payload: { a: 1 } },
    },
    {
      name: '--http alone',
      argv: ['--http', 'get /api/home?date=2026-01-01'],
      expected: { functionName: undefined, http: { method: 'GET', url: '/api/home?date=2026-01-01' } },
    },
    {
      name: '--http with a body',
      argv: ['--http', 'POST /api/tasks', '{"title":"x"}'],
      expected: { payload: { title: 'x' }, hasPayload: true },
    },
    {
      name: 'headers lower-cased',
      argv: ['x', '--http', 'GET /', '--header', 'X-Device-Id: d1'],
      expected: { headers: { 'x-device-id': 'd1' } },
    },
    { name: 'help', argv: ['--help'], expected: { help: true } },
  ];
  for (const { name, argv, expected } of ok) {
    it(name, () => expect(parseInvokeArgs(argv)).toMatchObject(expected));
  }

  const bad = [
    { name: 'nothing', argv: [], message: /Name the function/ },
    { name: 'bad JSON', argv: ['health', '{nope'], message: /not valid JSON/ },
    {
      name: 'missing payload file',
      argv: ['health', '@/no/such/file.json'],
      message: /Cannot read payload file/,
    },
    { name: 'unknown option', argv: ['health', '--fast'], message: /Unknown option --fast/ },
    { name: 'flag without value', argv: ['health', '--user'], message: /--user needs a value/ },
    { name: 'bad method', argv: ['--http', 'FETCH /api'], message: /unknown method FETCH/ },
    { name: 'relative path', argv: ['--http', 'GET api/home'], message: /must start with "\/"/ },
    { name: 'malformed header', argv: ['x', '--header', 'novalue'], message: /name: value/ },
    { name: 'too many words', argv: ['health', '{}', 'extra'], message: /Too many arguments/ },
  ];
  for (const { name, argv, message } of bad) {
    it(`rejects ${name}`, () => {
      expect(() => parseInvokeArgs(argv)).toThrow(UsageError);
      expect(() => parseInvokeArgs(argv)).toThrow(message);
    });
  }
});

describe('httpInvocation', () => {
  const base = {
    routes,
    functionName: undefined,
    body: undefined,
    hasBody: false,
    user: undefined,
    headers: {},
  };

  it('builds a payload 2.0 event with route key, path parameters, query and the authorizer context', () => {
    const built = httpInvocation({
      ...base,
      request: { method: 'PATCH', url: '/api/tasks/t%201?x=1&x=2' },
      body: { title: 'Read' },
      hasBody: true,
      user: 'u1',
      headers: { 'x-device-id': 'd1' },
    });
    expect(built.functionName).toBe('tasks-edit');
    expect(built.missingUser).toBe(false);
    expect(built.event).toMatchObject({
      version: '2.0',
      routeKey: 'PATCH /api/tasks/{taskId}',
      rawPath: '/api/tasks/t%201',
      rawQueryString: 'x=1&x=2',
      queryStringParameters: { x: '1,2' },
      pathParameters: { taskId: 't 1' },
      headers: { 'content-type': 'application/json', 'x-device-id': 'd1' },
      body: '{"title":"Read"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'PATCH', path: '/api/tasks/t%201' },
        authorizer: { lambda: { userId: 'u1' } },
      },
    });
  });

  it('leaves the authorizer out on public routes and flags session routes without a user', () => {
    expect(
      httpInvocation({ ...base, request: { method: 'GET', url: '/api/health' } }).event.requestContext,
    ).not.toHaveProperty('authorizer');
    const home = httpInvocation({ ...base, request: { method: 'GET', url: '/api/home' } });
    expect(home.missingUser).toBe(true);
    expect(home.event.requestContext.authorizer).toEqual({ lambda: { userId: '' } });
  });

  it('rejects a request no route serves, or one served by another function than the one named', () => {
    expect(() => httpInvocation({ ...base, request: { method: 'DELETE', url: '/api/health' } })).toThrow(
      /No route serves DELETE \/api\/health/,
    );
    expect(() =>
      httpInvocation({ ...base, functionName: 'health', request: { method: 'GET', url: '/api/home' } }),
    ).toThrow(/health serves GET \/api\/health; GET \/api\/home goes to read-home/);
  });
});

describe('cloudTarget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'invoke-target-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const names = JSON.stringify({ health: 'Stack-HealthFn-1' });

  it('resolves the physical name and the region from the outputs file', () => {
    const outputs = file('one.json', { RoutineSync: { FunctionNames: names, Region: 'eu-west-1' } });
    expect(cloudTarget('health', { outputsFile: outputs, env: {} })).toMatchObject({
      physicalName: 'Stack-HealthFn-1',
      client: { region: 'eu-west-1' },
    });
  });

  it('explains each way the outputs can be unusable', () => {
    const several = file('two.json', { A: { FunctionNames: names }, B: { FunctionNames: names } });
    const cases = [
      { outputsFile: join(dir, 'missing.json'), message: /npm run deploy` writes it/ },
      { outputsFile: file('bad.json', '{'), message: /not valid JSON/ },
      {
        outputsFile: file('other.json', { S: { Url: 'x' } }),
        message: /no stack with a FunctionNames output/,
      },
      { outputsFile: several, message: /several stacks \(A, B\): pick one with --stack/ },
    ];
    for (const { outputsFile, message } of cases) {
      expect(() => cloudTarget('health', { outputsFile, env: {} })).toThrow(message);
    }
    expect(() => cloudTarget('nope', { outputsFile: several, stack: 'A', env: {} })).toThrow(
      /no function nope; deployed: health/,
    );
    expect(() => cloudTarget('health', { outputsFile: several, stack: 'A', env: {} })).toThrow(/No region/);
    expect(
      cloudTarget('health', { outputsFile: several, stack: 'B', env: { AWS_REGION: 'us-west-2' } }).client
        .region,
    ).toBe('us-west-2');
  });
});

describe('decodeInvokeResult', () => {
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const json = JSON.stringify({ hello: 'world' });

  const cases = [
    {
      name: 'plain JSON',
      payload: { a: 1 },
      http: false,
      summary: 'ok',
      text: '{\n  "a": 1\n}',
      failed: false,
    },
    {
      name: 'HTTP 200',
      payload: { statusCode: 200, body: json },
      http: true,
      summary: 'HTTP 200',
      text: JSON.stringify({ hello: 'world' }, null, 2),
      failed: false,
    },
    {
      name: 'HTTP 404 fails',
      payload: { statusCode: 404, body: '{"error":"NotFound"}' },
      http: true,
      summary: 'HTTP 404',
      failed: true,
    },
    {
      name: 'brotli body',
      payload: {
        statusCode: 200,
        isBase64Encoded: true,
        headers: { 'content-encoding': 'br' },
        body: brotliCompressSync(json).toString('base64'),
      },
      http: true,
      summary: 'HTTP 200',
      text: JSON.stringify({ hello: 'world' }, null, 2),
      failed: false,
    },
    {
      name: 'gzip body',
      payload: {
        statusCode: 201,
        isBase64Encoded: true,
        headers: { 'Content-Encoding': 'gzip' },
        body: gzipSync(json).toString('base64'),
      },
      http: true,
      summary: 'HTTP 201',
      text: JSON.stringify({ hello: 'world' }, null, 2),
      failed: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decoded = decodeInvokeResult(bytes(c.payload), { httpMode: c.http, functionError: undefined });
      expect(decoded).toMatchObject({
        summary: c.summary,
        failed: c.failed,
        ...(c.text ? { text: c.text } : {}),
      });
    });
  }

  it('reports a function error as failed', () => {
    const decoded = decodeInvokeResult(bytes({ errorType: 'TypeError' }), {
      httpMode: true,
      functionError: 'Unhandled',
    });
    expect(decoded).toMatchObject({ summary: 'function error (Unhandled)', failed: true });
  });
});
