// The event every HTTP function receives (API Gateway HTTP API, payload 2.0, behind the Lambda
// authorizer), apart from the wrapper so that the wrapper's helpers can name it without a cycle.
import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';

/** What the HTTP authorizer puts in `requestContext.authorizer.lambda`. */
export interface AuthorizerContext {
  userId: string;
}

export type HttpEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext | Record<string, never>>;
