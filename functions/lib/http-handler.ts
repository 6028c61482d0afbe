// The one wrapper every HTTP Lambda goes through: check the origin, parse, validate, authorize, call, map.
//
//   event ──► origin secret ──► body size / content-type ──► JSON ──► schema (body, query, params)
//                                                                                   │
//   result ◄── compress (> 1 KB) ◄── JSON ◄── fn(request) ◄────────────────────────┘  (errors ──► mapError)
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as v from 'valibot';
import { HttpError, mapError, type WireIssue } from './errors.ts';
import type { AuthorizerContext, HttpEvent } from './http-event.ts';
import { beginInvocation, hashUserId, logInvocation, outcomeOf, safeDeviceId } from './logger.ts';
import { verifyOrigin } from './origin-verify.ts';
import { encodeBody } from './response-encoding.ts';

export type { AuthorizerContext, HttpEvent };
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

// biome-ignore lint/suspicious/noExplicitAny: valibot's generic schema type needs `any` for its issue parameter.
type AnySchema = v.GenericSchema<unknown, unknown, any>;
type Out<S> = S extends AnySchema ? v.InferOutput<S> : undefined;

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface HandlerSpec<B, Q, P> {
  auth: 'public' | 'session';
  body?: B;
  query?: Q;
  params?: P;
  maxBodyBytes?: number;
}

export interface HandlerRequest<B, Q, P, U> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  userId: U;
  headers: Record<string, string | undefined>;
  cookies: string[];
  requestId: string;
  event: HttpEvent;
  context: Context;
}

export interface HandlerResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  cookies?: string[];
}

export function toIssues(issues: readonly v.BaseIssue<unknown>[]): WireIssue[] {
  return issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }));
}

export function parseWith<S extends AnySchema>(schema: S, input: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new HttpError('BadRequest', `Invalid ${what}`, { issues: toIssues(result.issues) });
  }
  return result.output;
}

function readBody(event: HttpEvent, maxBytes: number): unknown {
  const raw = event.body;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) {
    throw new HttpError('PayloadTooLarge', `Request body exceeds ${maxBytes} bytes`);
  }
  // Only JSON bodies change state: a cross-site HTML form cannot send application/json (CSRF).
  const contentType = event.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new HttpError('UnsupportedMediaType', 'Send the body as application/json');
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new HttpError('BadRequest', 'Request body is not valid JSON', {}, { cause: err });
  }
}

export function userIdOf(event: HttpEvent): string | undefined {
  const lambda = event.requestContext.authorizer?.lambda as Partial<AuthorizerContext> | undefined;
  return typeof lambda?.userId === 'string' && lambda.userId ? lambda.userId : undefined;
}

function logUnexpected(err: unknown, event: HttpEvent, context: Context, requestId: string): void {
  const error =
    err instanceof Error
      ? { name: err.name, message: err.message, stack: err.stack }
      : { value: String(err) };
  // One structured line; never the body or headers (they can carry passwords and cookies).
  console.error(
    JSON.stringify({
      level: 'error',
      requestId,
      function: context.functionName,
      route: event.routeKey,
      error,
    }),
  );
}

export function defineHandler<
  B extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
  P extends AnySchema | undefined = undefined,
  A extends 'public' | 'session' = 'session',
>(
  spec: HandlerSpec<B, Q, P> & { auth: A },
  fn: (
    req: HandlerRequest<B, Q, P, A extends 'session' ? string : string | undefined>,
  ) => Promise<HandlerResponse>,
): HttpHandler {
  const handle = handleRequest(spec, fn);
  return async (event, context) => {
    const elapsed = beginInvocation(context);
    const result = await handle(event, context);
    logInvocation({
      route: event.routeKey ?? context.functionName,
      status: result.statusCode ?? 200,
      outcome: outcomeOf(result.statusCode ?? 200),
      durationMs: elapsed(),
      userIdHash: hashUserId(userIdOf(event)),
      deviceId: safeDeviceId(event.headers?.['x-device-id']),
    });
    return result;
  };
}

function handleRequest<
  B extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  P extends AnySchema | undefined,
  A extends 'public' | 'session',
>(
  spec: HandlerSpec<B, Q, P> & { auth: A },
  fn: (
    req: HandlerRequest<B, Q, P, A extends 'session' ? string : string | undefined>,
  ) => Promise<HandlerResponse>,
): HttpHandler {
  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    try {
      // First, before anything else: public routes (signup, login, health) have no authorizer in front.
      if ((await verifyOrigin(event)) === 'refused') {
        throw new HttpError('Forbidden', 'Call the API through the site, not its execute-api endpoint');
      }
      const userId = userIdOf(event);
      if (spec.auth === 'session' && !userId) throw new HttpError('Unauthorized', 'Sign in first');
      const method = event.requestContext.http.method.toUpperCase();
      const rawBody = readBody(event, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      if (rawBody === undefined && STATE_CHANGING.has(method) && spec.body) {
        throw new HttpError('BadRequest', 'Request body is required');
      }
      const req = {
        body: spec.body ? parseWith(spec.body, rawBody, 'request body') : undefined,
        query: spec.query ? parseWith(spec.query, event.queryStringParameters ?? {}, 'query') : undefined,
        params: spec.params ? parseWith(spec.params, event.pathParameters ?? {}, 'path') : undefined,
        userId: userId as A extends 'session' ? string : string | undefined,
        headers: event.headers ?? {},
        cookies: event.cookies ?? [],
        requestId,
        event,
        context,
      } as HandlerRequest<B, Q, P, A extends 'session' ? string : string | undefined>;
      const res = await fn(req);
      return respond(event, res.status, res.body, res.headers, res.cookies);
    } catch (err) {
      const mapped = mapError(err, requestId);
      if (mapped.unexpected) logUnexpected(err, event, context, requestId);
      return respond(event, mapped.status, mapped.body, mapped.headers);
    }
  };
}

export function respond(
  event: HttpEvent,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  cookies?: string[],
): HttpResult {
  const base: Record<string, string> = { 'cache-control': 'no-store', ...headers };
  const result: HttpResult = { statusCode: status, headers: base };
  if (cookies?.length) result.cookies = cookies;
  if (body === undefined) return result;
  const json = JSON.stringify(body);
  const encoded = encodeBody(json, event.headers?.['accept-encoding']);
  result.headers = { ...base, 'content-type': 'application/json; charset=utf-8', ...encoded.headers };
  result.body = encoded.body;
  result.isBase64Encoded = encoded.isBase64Encoded;
  return result;
}
