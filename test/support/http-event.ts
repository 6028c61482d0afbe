// Factories for API Gateway HTTP API (payload 2.0) events and Lambda contexts, shaped like the
// recorded examples in test/fixtures/aws-events, for handler tests that skip the gateway.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../functions/lib/http-handler.ts';
import { formatRequestTime, queryParameters } from '../../infra/local/api-event.ts';

export interface EventInput {
  method?: string;
  path: string;
  routePath?: string;
  query?: Record<string, string>;
  /** Instead of `query`: the raw query string, parsed as API Gateway does (repeats comma-joined). */
  rawQueryString?: string;
  body?: unknown;
  headers?: Record<string, string>;
  cookies?: string[];
  pathParameters?: Record<string, string>;
  userId?: string;
}

export function httpEvent(input: EventInput): HttpEvent {
  const method = (input.method ?? 'GET').toUpperCase();
  const rawQueryString = input.rawQueryString ?? new URLSearchParams(input.query ?? {}).toString();
  const query = input.rawQueryString !== undefined ? queryParameters(input.rawQueryString) : input.query;
  const hasBody = input.body !== undefined;
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    'user-agent': 'vitest',
    ...(hasBody ? { 'content-type': 'application/json' } : {}),
    ...Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const now = Date.now();
  const event: HttpEvent = {
    version: '2.0',
    routeKey: `${method} ${input.routePath ?? input.path}`,
    rawPath: input.path,
    rawQueryString,
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method, path: input.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${method} ${input.routePath ?? input.path}`,
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now,
      authorizer: input.userId ? { lambda: { userId: input.userId } } : { lambda: {} },
    },
    isBase64Encoded: false,
  } as HttpEvent;
  if (input.cookies?.length) event.cookies = input.cookies;
  if (query && Object.keys(query).length) event.queryStringParameters = query;
  if (input.pathParameters) event.pathParameters = input.pathParameters;
  if (hasBody) event.body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  return event;
}

export function lambdaContext(functionName = 'test-function', timeoutMs = 10_000): Context {
  const start = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - start)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
