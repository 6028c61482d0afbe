// Builds the API Gateway HTTP API (payload 2.0) event that a request would produce, with the local
// gateway's own event builder and route matcher, so an invoked function sees exactly what it sees
// behind `npm start` (and, field for field, behind API Gateway).
import { buildHttpEvent, type GatewayHttpEvent, newGatewayRequestId } from '../local/api-event.ts';
import { createRouteMatcher } from '../local/route-matcher.ts';
import type { HttpRoute } from '../routes.ts';
import { type HttpShortForm, UsageError } from './args.ts';

export interface HttpInvocation {
  functionName: string;
  event: GatewayHttpEvent;
  /** The route needs a signed-in user and none was given: the handler will answer 401. */
  missingUser: boolean;
}

export interface HttpInvocationInput {
  routes: readonly HttpRoute[];
  request: HttpShortForm;
  /** When given, the request must be one this function serves. */
  functionName: string | undefined;
  body: unknown;
  hasBody: boolean;
  user: string | undefined;
  headers: Record<string, string>;
}

export function httpInvocation(input: HttpInvocationInput): HttpInvocation {
  const { request } = input;
  const rawPath = request.url.split('?')[0] ?? request.url;
  const match = createRouteMatcher(input.routes)(request.method, rawPath);
  if (!match) throw new UsageError(`No route serves ${request.method} ${rawPath} (see infra/routes.ts)`);
  if (input.functionName && input.functionName !== match.route.name) {
    const own = input.routes.find((r) => r.name === input.functionName);
    const serves = own ? `serves ${own.method} ${own.path}` : 'is not an HTTP route';
    throw new UsageError(
      `${input.functionName} ${serves}; ${request.method} ${rawPath} goes to ${match.route.name}`,
    );
  }
  const body = input.hasBody ? Buffer.from(JSON.stringify(input.body)) : Buffer.alloc(0);
  const headers: Record<string, string[]> = {
    host: ['invoke.local'],
    'user-agent': ['routine-sync-invoke'],
    ...(input.hasBody ? { 'content-type': ['application/json'] } : {}),
  };
  for (const [name, value] of Object.entries(input.headers)) headers[name] = [value];
  const info = { method: request.method, url: request.url, headers, body, sourceIp: '127.0.0.1', port: 443 };
  // Invoking a function directly skips the authorizer; stand in for it the way it answers
  // (architecture.md): a user id for a session, an empty one otherwise.
  const session = match.route.auth === 'session';
  const authorizer = session ? { lambda: { userId: input.user ?? '' } } : undefined;
  return {
    functionName: match.route.name,
    event: buildHttpEvent(info, match, newGatewayRequestId(), authorizer),
    missingUser: session && !input.user,
  };
}

/** `GET /api/health` for a route that needs no path parameters; undefined otherwise. */
export function plainRequestFor(route: HttpRoute): HttpShortForm | undefined {
  return route.path.includes('{') ? undefined : { method: route.method, url: route.path };
}
