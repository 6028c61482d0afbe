// The HTTP API's Lambda REQUEST authorizer (payload 2.0, simple responses, identity source the
// cookie header), run before every `session` route:
//
//   no cookie header ──► 401 {"message":"Unauthorized"}   (the authorizer is not called)
//   cached answer ─────► route event with the cached context (the authorizer is not called)
//   authorizer fails ──► 500 {"message":"Internal Server Error"}
//   isAuthorized:false ► 403 {"message":"Forbidden"}
//   isAuthorized:true ─► route event with requestContext.authorizer.lambda = its context
//
// Like API Gateway with `resultsCacheTtl` (the CDK stack's, from the same constant), an allowed
// answer is reused for the TTL by every request with the same identity source values, whatever the
// route; denials and failures are never cached, so they run the authorizer every time.
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../authorizer-cache.ts';
import { buildAuthorizerEvent, type LambdaAuthorizerContext, type RequestInfo } from './api-event.ts';
import { type GatewayResponse, gatewayError } from './api-response.ts';
import type { FunctionHost } from './function-host.ts';
import type { RouteMatch } from './route-matcher.ts';

type Allowed = { kind: 'allowed'; authorizer: { lambda: LambdaAuthorizerContext } | undefined };
export type AuthorizationOutcome = Allowed | { kind: 'denied'; response: GatewayResponse };

export interface AuthorizerCacheOptions {
  ttlSeconds: number;
  /** Injected so tests can step past the TTL. */
  now?: () => number;
  /** Bounds the memory of a long-running local gateway; the oldest entry goes first. */
  maxEntries?: number;
}

export interface AuthorizerCache {
  get(key: string): Allowed | undefined;
  set(key: string, allowed: Allowed): void;
}

export function createAuthorizerCache(opts: AuthorizerCacheOptions): AuthorizerCache {
  const now = opts.now ?? Date.now;
  const ttlMs = opts.ttlSeconds * 1000;
  const maxEntries = opts.maxEntries ?? 10_000;
  // Insertion order is expiry order (every entry lives exactly ttlMs), so the first key is the oldest.
  const entries = new Map<string, { allowed: Allowed; expiresAt: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (now() < entry.expiresAt) return entry.allowed;
      entries.delete(key);
      return undefined;
    },
    set(key, allowed) {
      if (ttlMs <= 0) return; // a TTL of 0 turns API Gateway's cache off
      entries.delete(key);
      entries.set(key, { allowed, expiresAt: now() + ttlMs });
      const oldest = entries.size > maxEntries ? entries.keys().next().value : undefined;
      if (oldest !== undefined) entries.delete(oldest);
    },
  };
}

// One cache per gateway (its function host), as API Gateway keeps one per authorizer and stage.
const cachesByHost = new WeakMap<FunctionHost, AuthorizerCache>();

function cacheOf(host: FunctionHost): AuthorizerCache {
  let cache = cachesByHost.get(host);
  if (!cache) {
    cache = createAuthorizerCache({ ttlSeconds: AUTHORIZER_CACHE_TTL_SECONDS });
    cachesByHost.set(host, cache);
  }
  return cache;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function authorize(
  host: FunctionHost,
  authorizerName: string | undefined,
  info: RequestInfo,
  match: RouteMatch,
  requestId: string,
  cache: AuthorizerCache = cacheOf(host),
): Promise<AuthorizationOutcome> {
  // Until an authorizer function exists, session routes run without a context (and answer 401).
  if (!authorizerName) return { kind: 'allowed', authorizer: undefined };
  const cookieHeader = info.headers.cookie?.join('; ');
  if (!cookieHeader) return { kind: 'denied', response: gatewayError(401) };
  const identity = [cookieHeader];
  const key = JSON.stringify([authorizerName, ...identity]);
  const cached = cache.get(key);
  // A fresh copy per event, as each Lambda invocation deserializes its own: no handler shares state.
  if (cached) return structuredClone(cached);
  const outcome = await host.invoke(authorizerName, buildAuthorizerEvent(info, match, requestId, identity));
  if (
    outcome.status !== 'ok' ||
    !isRecord(outcome.value) ||
    typeof outcome.value.isAuthorized !== 'boolean'
  ) {
    const error = outcome.status === 'ok' ? 'not a simple response {isAuthorized, context?}' : outcome.error;
    console.error(JSON.stringify({ level: 'error', requestId, function: authorizerName, error }));
    return { kind: 'denied', response: gatewayError(500) };
  }
  if (!outcome.value.isAuthorized) return { kind: 'denied', response: gatewayError(403) };
  const context = isRecord(outcome.value.context) ? outcome.value.context : null;
  const allowed: Allowed = { kind: 'allowed', authorizer: { lambda: context } };
  cache.set(key, allowed);
  return allowed;
}
