// The HTTP API's Lambda REQUEST authorizer (payload 2.0, simple responses, identity source the
// cookie header), run before every `session` route:
//
//   no cookie header ──► 401 {"message":"Unauthorized"}   (the authorizer is not called)
//   authorizer fails ──► 500 {"message":"Internal Server Error"}
//   isAuthorized:false ► 403 {"message":"Forbidden"}
//   isAuthorized:true ─► route event with requestContext.authorizer.lambda = its context
//
// Results are not cached (as with an authorizer cache TTL of 0).
import { buildAuthorizerEvent, type LambdaAuthorizerContext, type RequestInfo } from './api-event.ts';
import { type GatewayResponse, gatewayError } from './api-response.ts';
import type { FunctionHost } from './function-host.ts';
import type { RouteMatch } from './route-matcher.ts';

export type AuthorizationOutcome =
  | { kind: 'allowed'; authorizer: { lambda: LambdaAuthorizerContext } | undefined }
  | { kind: 'denied'; response: GatewayResponse };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function authorize(
  host: FunctionHost,
  authorizerName: string | undefined,
  info: RequestInfo,
  match: RouteMatch,
  requestId: string,
): Promise<AuthorizationOutcome> {
  // Until an authorizer function exists, session routes run without a context (and answer 401).
  if (!authorizerName) return { kind: 'allowed', authorizer: undefined };
  const cookieHeader = info.headers.cookie?.join('; ');
  if (!cookieHeader) return { kind: 'denied', response: gatewayError(401) };
  const event = buildAuthorizerEvent(info, match, requestId, [cookieHeader]);
  const outcome = await host.invoke(authorizerName, event);
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
  return { kind: 'allowed', authorizer: { lambda: context } };
}
