// Builds API Gateway HTTP API payload 2.0 events from a raw request, shaped like the recorded
// examples in test/fixtures/aws-events: lower-cased headers (repeated ones comma-joined), the cookie
// header moved into `cookies`, repeated query parameters comma-joined while `rawQueryString` stays
// intact, and a `requestContext` with `http`, `requestId`, `time`, `timeEpoch` and `authorizer`.
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2WithLambdaAuthorizer,
  APIGatewayRequestAuthorizerEventV2,
} from 'aws-lambda';
import type { RouteMatch } from './route-matcher.ts';

export interface RequestInfo {
  method: string;
  /** Path and query exactly as received (Node's `req.url`). */
  url: string;
  /** Lower-cased names with every value of a repeated header (Node's `headersDistinct`). */
  headers: Record<string, string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  /** The port the client connected to, for `x-forwarded-port`. */
  port: number;
}

export type LambdaAuthorizerContext = Record<string, unknown> | null;
export type GatewayHttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<LambdaAuthorizerContext>;

export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_API_ID = 'local';

// Hop-by-hop headers never reach the integration; the cookie header arrives as `cookies` instead.
const DROPPED_HEADERS = new Set(['cookie', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);
const TEXT_BODY = /^(text\/|application\/(json|javascript|xml)\b|[^;]*\+(json|xml)\b)/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// API Gateway's request ids look like `ZhNHJhhLjoEEPiw=`: here a per-process random prefix and a
// counter, which is unique and much cheaper per request than fresh random bytes.
const ID_PREFIX = randomBytes(5);
let idCounter = 0;

export function newGatewayRequestId(): string {
  idCounter = (idCounter + 1) % 2 ** 40;
  const id = Buffer.alloc(10);
  ID_PREFIX.copy(id);
  id.writeUIntBE(idCounter, 5, 5);
  return id.toString('base64');
}

/** `17/Jun/2024:15:52:39 +0000`, the format of `requestContext.time`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  return `${date}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export function splitUrl(url: string): { rawPath: string; rawQueryString: string } {
  const at = url.indexOf('?');
  return at < 0
    ? { rawPath: url, rawQueryString: '' }
    : { rawPath: url.slice(0, at), rawQueryString: url.slice(at + 1) };
}

export function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const joined: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    joined[key] = key in joined ? `${joined[key]},${value}` : value;
  }
  return Object.keys(joined).length ? joined : undefined;
}

export function splitHeaders(
  headers: RequestInfo['headers'],
  info: Pick<RequestInfo, 'sourceIp' | 'port'>,
): { headers: Record<string, string>; cookies: string[] } {
  const flat: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (values && !DROPPED_HEADERS.has(name)) flat[name] = values.join(',');
  }
  const cookies = (headers.cookie ?? [])
    .flatMap((line) => line.split(';'))
    .map((c) => c.trim())
    .filter(Boolean);
  flat['x-forwarded-for'] = flat['x-forwarded-for']
    ? `${flat['x-forwarded-for']}, ${info.sourceIp}`
    : info.sourceIp;
  flat['x-forwarded-port'] = String(info.port);
  flat['x-forwarded-proto'] = 'http';
  flat['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  return { headers: flat, cookies };
}

export function encodeRequestBody(
  body: Buffer,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  if (contentType && TEXT_BODY.test(contentType))
    return { body: body.toString('utf8'), isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function requestContext(
  info: RequestInfo,
  headers: Record<string, string>,
  requestId: string,
  routeKey: string,
  rawPath: string,
) {
  const host = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const now = Date.now();
  return {
    accountId: LOCAL_ACCOUNT_ID,
    apiId: LOCAL_API_ID,
    domainName: host,
    domainPrefix: host.split('.')[0] ?? host,
    http: {
      method: info.method.toUpperCase(),
      path: rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: info.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId,
    routeKey,
    stage: '$default',
    time: formatRequestTime(now),
    timeEpoch: now,
  };
}

/** The fields the route handler event and the authorizer event share. */
function commonFields(info: RequestInfo, match: RouteMatch, requestId: string) {
  const { rawPath, rawQueryString } = splitUrl(info.url);
  const { headers, cookies } = splitHeaders(info.headers, info);
  return {
    rawPath,
    rawQueryString,
    headers,
    ...(cookies.length ? { cookies } : {}),
    ...optional('queryStringParameters', queryParameters(rawQueryString)),
    ...optional('pathParameters', match.pathParameters),
    requestContext: requestContext(info, headers, requestId, match.routeKey, rawPath),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * The event a route's function receives. `authorizer` is present only on routes behind the
 * Lambda authorizer, as on AWS; its `lambda` is the authorizer's `context` (or null).
 */
export function buildHttpEvent(
  info: RequestInfo,
  match: RouteMatch,
  requestId: string,
  authorizer?: { lambda: LambdaAuthorizerContext },
): GatewayHttpEvent {
  const common = commonFields(info, match, requestId);
  const body = encodeRequestBody(info.body, common.headers['content-type']);
  return {
    version: '2.0',
    routeKey: match.routeKey,
    ...common,
    requestContext: { ...common.requestContext, ...(authorizer ? { authorizer } : {}) },
    ...body,
  } as GatewayHttpEvent;
}

/** What a REQUEST authorizer (payload 2.0) receives; its identity source is the cookie header. */
export function buildAuthorizerEvent(
  info: RequestInfo,
  match: RouteMatch,
  requestId: string,
  identity: string[],
): APIGatewayRequestAuthorizerEventV2 {
  const common = commonFields(info, match, requestId);
  const method = info.method.toUpperCase();
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${LOCAL_API_ID}/$default/${method}${common.rawPath}`,
    identitySource: identity,
    routeKey: match.routeKey,
    ...common,
  } as APIGatewayRequestAuthorizerEventV2;
}
