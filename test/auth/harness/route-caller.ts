// Calls any route of the route table the way the gateway does, in one of two ways:
//
//   direct:  event ─► authorizer (always called, as API Gateway without an identity-source check)
//                   ─► requestContext.authorizer.lambda = its context ─► route handler
//   gateway: HTTP to createLocalGateway (infra/local), which runs the same authorizer and handler.
//
// Both answer the same RouteResponse, so suites can run a matrix through either.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { handler as authorizer } from '../../../functions/auth/authorizer.ts';
import type { HttpHandler, HttpResult } from '../../../functions/lib/http-handler.ts';
import type { HttpRoute } from '../../../infra/routes.ts';
import { httpEvent, lambdaContext } from '../../support/http-event.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RouteRequest {
  /** Each `name=value`, sent as the cookie header. */
  cookies?: string[];
  /** JSON-encoded unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** The connection's address (API Gateway's `sourceIp`); direct calls only, the gateway's is 127.0.0.1. */
  sourceIp?: string;
}

export interface RouteResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
  text: string;
  setCookies: string[];
}

export type RouteCaller = (route: HttpRoute, request?: RouteRequest) => Promise<RouteResponse>;

/** `/api/tasks/{taskId}` with `{taskId: 'a b'}` → `/api/tasks/a%20b`; unnamed parameters become `x`. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\+?\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? 'x'));
}

function parseText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function decodeResult(result: HttpResult): RouteResponse {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  let raw = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : Buffer.from(result.body ?? '');
  if (headers['content-encoding'] === 'br') raw = brotliDecompressSync(raw);
  if (headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
  const text = raw.toString('utf8');
  return {
    status: result.statusCode ?? 200,
    headers,
    body: parseText(text),
    text,
    setCookies: result.cookies ?? [],
  };
}

const handlers = new Map<string, Promise<HttpHandler>>();

function loadHandler(route: HttpRoute): Promise<HttpHandler> {
  let pending = handlers.get(route.entry);
  if (!pending) {
    const url = pathToFileURL(resolve(REPO_ROOT, route.entry)).href;
    pending = import(url).then((mod: { handler: HttpHandler }) => mod.handler);
    handlers.set(route.entry, pending);
  }
  return pending;
}

function authorizerEvent(event: ReturnType<typeof httpEvent>, cookieHeader: string | undefined) {
  const { authorizer: _ignored, ...requestContext } = event.requestContext;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:123456789012:local/$default/${event.requestContext.http.method}${event.rawPath}`,
    identitySource: cookieHeader ? [cookieHeader] : [],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    headers: event.headers,
    ...(event.cookies ? { cookies: event.cookies } : {}),
    ...(event.queryStringParameters ? { queryStringParameters: event.queryStringParameters } : {}),
    ...(event.pathParameters ? { pathParameters: event.pathParameters } : {}),
    requestContext,
  } as APIGatewayRequestAuthorizerEventV2;
}

/** Authorizer then handler, in this process, with payload 2.0 events from test/support/http-event.ts. */
export const directCaller: RouteCaller = async (route, request = {}) => {
  const event = httpEvent({
    method: route.method,
    path: fillPath(route.path, request.pathParameters),
    routePath: route.path,
    ...(request.query ? { query: request.query } : {}),
    ...(request.rawBody !== undefined ? { body: request.rawBody } : {}),
    ...(request.rawBody === undefined && request.body !== undefined ? { body: request.body } : {}),
    headers: { 'x-forwarded-proto': 'https', host: 'app.example.com', ...request.headers },
    ...(request.cookies ? { cookies: request.cookies } : {}),
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
  });
  if (request.sourceIp) event.requestContext.http.sourceIp = request.sourceIp;
  if (route.auth === 'session') {
    const verdict = await authorizer(authorizerEvent(event, request.cookies?.join('; ')));
    if (!verdict.isAuthorized) return decodeResult({ statusCode: 403, body: '{"message":"Forbidden"}' });
    event.requestContext.authorizer = { lambda: verdict.context };
  } else {
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
  }
  const handler = await loadHandler(route);
  return decodeResult(await handler(event, lambdaContext(route.name)));
};

/** Real HTTP against a running local gateway at `baseUrl`. */
export function gatewayCaller(baseUrl: string): RouteCaller {
  return async (route, request = {}) => {
    const url = new URL(fillPath(route.path, request.pathParameters), baseUrl);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    const headers: Record<string, string> = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(request.cookies?.length ? { cookie: request.cookies.join('; ') } : {}),
      ...request.headers,
    };
    const res = await fetch(url, { method: route.method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: parseText(text),
      text,
      setCookies: res.headers.getSetCookie(),
    };
  };
}
