// The events the gateway builds, compared field by field with events recorded from API Gateway
// (test/fixtures/aws-events, from aws-powertools' test data).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildAuthorizerEvent,
  buildHttpEvent,
  formatRequestTime,
  queryParameters,
  type RequestInfo,
} from '../../infra/local/api-event.ts';
import type { RouteMatch } from '../../infra/local/route-matcher.ts';

type Json = Record<string, unknown> & { requestContext: Record<string, unknown> };
const recorded = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../fixtures/aws-events/${name}.json`, import.meta.url), 'utf8'));

const full = recorded('http-api-v2-full');
const behindAuthorizer = recorded('http-api-v2-lambda-authorizer-context');
const authorizerRequest = recorded('http-api-v2-authorizer-request');

function info(overrides: Partial<RequestInfo> = {}): RequestInfo {
  return {
    method: 'POST',
    url: '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
    headers: {
      host: ['id.execute-api.us-east-1.amazonaws.com'],
      header1: ['value1'],
      header2: ['value1', 'value2'],
      cookie: ['cookie1; cookie2'],
      'content-type': ['application/json'],
      'user-agent': ['agent'],
    },
    body: Buffer.from(String(full.body)),
    sourceIp: '192.168.0.1',
    port: 3000,
    ...overrides,
  };
}

const match: RouteMatch = {
  route: { method: 'POST', path: '/my/{parameter1}', name: 'f', entry: 'f.ts', auth: 'public' },
  routeKey: '$default',
  pathParameters: { parameter1: 'value1' },
};

const keys = (o: object) => Object.keys(o).sort();

describe('route event (payload 2.0)', () => {
  const event = buildHttpEvent(info(), match, 'id') as unknown as Json;

  it('carries the same request fields as the recorded event', () => {
    for (const field of [
      'version',
      'routeKey',
      'rawPath',
      'rawQueryString',
      'cookies',
      'queryStringParameters',
    ]) {
      expect(event[field], field).toEqual(full[field]);
    }
    expect(event.pathParameters).toEqual(full.pathParameters);
    expect(event.body).toBe(full.body);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('lower-cases headers, comma-joins repeats and moves cookies out', () => {
    const recordedHeaders = Object.fromEntries(
      Object.entries(full.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(event.headers).toMatchObject(recordedHeaders);
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.headers).toMatchObject({ 'x-forwarded-for': '192.168.0.1', 'x-forwarded-proto': 'http' });
  });

  it('has every top-level field of the recorded event except the ones we do not emulate', () => {
    // stageVariables: the local stage has none, and AWS omits the field then.
    expect(keys(event)).toEqual(keys(full).filter((k) => k !== 'stageVariables'));
  });

  it('has the recorded requestContext shape', () => {
    // authentication (mTLS) and the JWT authorizer are not used by this app's public routes.
    const expected = keys(full.requestContext).filter((k) => k !== 'authentication' && k !== 'authorizer');
    expect(keys(event.requestContext)).toEqual(expected);
    expect(keys(event.requestContext.http as object)).toEqual(keys(full.requestContext.http as object));
    expect(event.requestContext).toMatchObject({ requestId: 'id', stage: '$default', domainPrefix: 'id' });
    expect(event.requestContext.http).toEqual(full.requestContext.http);
  });

  it('puts the authorizer context under requestContext.authorizer.lambda', () => {
    const authorized = buildHttpEvent(info({ url: '/lambda', body: Buffer.alloc(0) }), match, 'x', {
      lambda: { userId: 'u1' },
    }) as unknown as Json;
    expect(keys(authorized.requestContext)).toEqual(keys(behindAuthorizer.requestContext));
    expect(authorized.requestContext.authorizer).toEqual({ lambda: { userId: 'u1' } });
    expect(authorized).not.toHaveProperty('body');
    expect(authorized).not.toHaveProperty('queryStringParameters');
  });

  it('formats time as API Gateway does', () => {
    expect(formatRequestTime(full.requestContext.timeEpoch as number)).toMatch(
      /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/,
    );
    expect(formatRequestTime(1718639559080)).toBe(authorizerRequest.requestContext.time);
  });
});

describe('authorizer event (REQUEST, payload 2.0)', () => {
  it('has the recorded fields, with the cookie header as identity source', () => {
    const request = info({ method: 'POST', url: '/lambda', body: Buffer.alloc(0) });
    const event = buildAuthorizerEvent(request, { ...match, routeKey: 'POST /lambda' }, 'r', [
      'cookie1; cookie2',
    ]) as unknown as Json;
    const optional = ['cookies', 'pathParameters'];
    expect(keys(event).filter((k) => !optional.includes(k))).toEqual(keys(authorizerRequest));
    expect(keys(event.requestContext)).toEqual(keys(authorizerRequest.requestContext));
    expect(event).toMatchObject({
      type: 'REQUEST',
      routeKey: 'POST /lambda',
      identitySource: ['cookie1; cookie2'],
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:local/$default/POST/lambda',
      cookies: ['cookie1', 'cookie2'],
    });
  });
});

describe('queryStringParameters', () => {
  it.each([
    ['', undefined],
    ['a=1', { a: '1' }],
    ['a=1&a=2&a=3', { a: '1,2,3' }],
    ['q=hello%20world&plus=a+b', { q: 'hello world', plus: 'a b' }],
    ['flag', { flag: '' }],
  ])('%j', (raw, expected) => {
    expect(queryParameters(raw)).toEqual(expected);
  });
});
