// The WebSocket API's `$connect` REQUEST authorizer (identity source `route.request.querystring.ticket`):
// redeems the single-use ticket from POST /api/sync/ws-ticket and answers an IAM policy, as WebSocket
// APIs require, with the user and device as context for ws-connect.
//
//   no ticket            ──► throw "Unauthorized"   (API Gateway answers 401)
//   used/expired/unknown ──► Deny                   (403)
//   valid                ──► Allow, context {userId, deviceId}
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Db } from 'mongodb';
import { redeemWsTicket } from '../lib/auth/ws-tickets.ts';
import { withInvocationLog } from '../lib/logger.ts';
import { getDb } from '../lib/mongo.ts';
import type { WebSocketAuthorizerContext } from '../lib/realtime/websocket-event.ts';

export type WebSocketAuthorizerResult = APIGatewayAuthorizerResult & { context?: WebSocketAuthorizerContext };

function policy(principalId: string, effect: 'Allow' | 'Deny', resource: string) {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
  };
}

export async function authorizeTicket(
  db: Db,
  event: APIGatewayRequestAuthorizerEvent,
): Promise<WebSocketAuthorizerResult> {
  const ticket = event.queryStringParameters?.ticket;
  // API Gateway's own answer for a missing identity source; it never calls us then, but be sure.
  if (!ticket) throw new Error('Unauthorized');
  const redeemed = await redeemWsTicket(db, ticket);
  if (!redeemed) return policy('anonymous', 'Deny', event.methodArn);
  return {
    ...policy(redeemed.userId, 'Allow', event.methodArn),
    context: {
      userId: redeemed.userId,
      deviceId: redeemed.deviceId ?? '',
      sessionId: redeemed.sessionId ?? '',
    },
  };
}

async function handle(event: APIGatewayRequestAuthorizerEvent): Promise<WebSocketAuthorizerResult> {
  return authorizeTicket(await getDb(), event);
}

export const handler = withInvocationLog('ws-authorizer', handle);
