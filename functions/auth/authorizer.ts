// The HTTP API Lambda authorizer (REQUEST, payload 2.0, simple responses). It always authorizes, with
// an empty userId when there is no live session, so the handler wrapper answers a JSON 401 itself,
// the same on AWS and behind the local gateway. A database failure throws (API Gateway answers 500,
// which the client retries) rather than pretending the user is signed out.
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import type { Db } from 'mongodb';
import { readCookieValues } from '../lib/auth/cookies.ts';
import { resolveFirstSession } from '../lib/auth/sessions.ts';
import type { AuthorizerContext } from '../lib/http-handler.ts';
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';

export type AuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

/** Session tokens from the cookies array, the identity source (the cookie header) or a raw header. */
export function tokensOf(event: APIGatewayRequestAuthorizerEventV2): string[] {
  const sources = [...(event.cookies ?? []), ...(event.identitySource ?? []), event.headers?.cookie];
  return [...new Set(readCookieValues(sources))];
}

export async function authorize(
  db: Db,
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<AuthorizerResult> {
  const session = await resolveFirstSession(db, tokensOf(event));
  return { isAuthorized: true, context: { userId: session?.userId ?? '' } };
}

async function handle(event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> {
  if (tokensOf(event).length === 0) return { isAuthorized: true, context: { userId: '' } };
  try {
    return await authorize(await getDb(), event);
  } catch (err) {
    // One line without the event: it carries the cookie.
    const error = err instanceof Error ? { name: err.name, message: err.message } : { value: String(err) };
    console.error(JSON.stringify({ level: 'error', function: 'authorizer', route: event.routeKey, error }));
    throw err;
  }
}

export const handler = withInvocationLog('authorizer', handle, (result) => ({
  authorized: result.isAuthorized,
}));
