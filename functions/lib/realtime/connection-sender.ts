// Posts to WebSocket connections through the API Gateway Management API. The endpoint is the
// stage's callback URL (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`, set by the CDK
// stack) or the local gateway's emulation of it.
import type { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { awsClientConfig } from './aws-client-config.ts';

export type PostOutcome = 'sent' | 'gone';

export interface ConnectionSender {
  post(connectionId: string, data: string): Promise<PostOutcome>;
}

/** The WebSocket stage's callback URL: set by the CDK stack, and by the local gateway for its emulation. */
export function managementEndpoint(env = process.env): string {
  const endpoint = env.WS_MANAGEMENT_ENDPOINT;
  if (!endpoint) throw new Error('Set WS_MANAGEMENT_ENDPOINT to the WebSocket API management endpoint');
  return endpoint;
}

function isGone(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410;
}

const clients = new Map<string, Promise<ApiGatewayManagementApiClient>>();

function managementClient(endpoint: string): Promise<ApiGatewayManagementApiClient> {
  let client = clients.get(endpoint);
  if (!client) {
    client = import('@aws-sdk/client-apigatewaymanagementapi').then(
      ({ ApiGatewayManagementApiClient }) => new ApiGatewayManagementApiClient(awsClientConfig(endpoint)),
    );
    clients.set(endpoint, client);
  }
  return client;
}

export function managementSender(endpoint = managementEndpoint()): ConnectionSender {
  return {
    async post(connectionId, data) {
      const [{ PostToConnectionCommand }, client] = await Promise.all([
        import('@aws-sdk/client-apigatewaymanagementapi'),
        managementClient(endpoint),
      ]);
      try {
        await client.send(
          new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(data) }),
        );
        return 'sent';
      } catch (err) {
        if (isGone(err)) return 'gone';
        throw err;
      }
    },
  };
}
