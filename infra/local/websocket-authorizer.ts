// Runs the WebSocket API's `$connect` REQUEST authorizer as API Gateway does (identity source
// `route.request.querystring.ticket`, results not cached):
//
//   no ticket in the query         ──► 401 (the authorizer is not called)
//   throws "Unauthorized"          ──► 401
//   throws anything else / garbage ──► 500
//   policy denies execute-api      ──► 403
//   policy allows                  ──► `requestContext.authorizer` = {principalId, ...context}
import type { FunctionHost } from './function-host.ts';
import { authorizerEvent, type ConnectionInfo } from './websocket-events.ts';

export type ConnectAuthorization =
  | { kind: 'allowed'; context: Record<string, unknown> | undefined }
  | { kind: 'denied'; status: number };

interface PolicyResult {
  principalId?: unknown;
  policyDocument?: { Statement?: Array<{ Effect?: unknown }> };
  context?: Record<string, unknown>;
}

export const TICKET_QUERY_PARAMETER = 'ticket';

export async function runConnectAuthorizer(
  host: FunctionHost,
  authorizerName: string | undefined,
  info: ConnectionInfo,
): Promise<ConnectAuthorization> {
  if (!authorizerName) return { kind: 'allowed', context: undefined };
  if (!info.queryStringParameters?.[TICKET_QUERY_PARAMETER]) return { kind: 'denied', status: 401 };
  const outcome = await host.invoke(authorizerName, authorizerEvent(info));
  if (outcome.status !== 'ok') {
    if (outcome.error.errorMessage === 'Unauthorized') return { kind: 'denied', status: 401 };
    console.error(JSON.stringify({ level: 'error', function: authorizerName, error: outcome.error }));
    return { kind: 'denied', status: 500 };
  }
  const result = outcome.value as PolicyResult | null;
  const statements = result?.policyDocument?.Statement;
  if (!Array.isArray(statements) || typeof result?.principalId !== 'string') {
    console.error(JSON.stringify({ level: 'error', function: authorizerName, error: 'not an IAM policy' }));
    return { kind: 'denied', status: 500 };
  }
  const allowed = statements.length > 0 && statements.every((s) => s.Effect === 'Allow');
  if (!allowed) return { kind: 'denied', status: 403 };
  return { kind: 'allowed', context: { principalId: result.principalId, ...result.context } };
}
