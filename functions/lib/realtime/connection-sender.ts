// Posts to WebSocket connections through the API Gateway Management API. The endpoint is the
// stage's callback URL (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`, set by the CDK
// stack) or the local gateway's emulation of it.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
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

/** Enough sockets for a whole fan-out at once: the SDK's default of 50 queues half of 100 posts. */
export const MAX_SOCKETS = 128;

interface Management {
  client: ApiGatewayManagementApiClient;
  PostToConnectionCommand: typeof PostToConnectionCommand;
}

// One client per endpoint and container: built on first use (functions that never post do not load
// the SDK), then reused, so every later post skips the module lookup and reuses warm sockets.
const clients = new Map<string, Promise<Management>>();

async function createManagement(endpoint: string): Promise<Management> {
  const { ApiGatewayManagementApiClient, PostToConnectionCommand } = await import(
    '@aws-sdk/client-apigatewaymanagementapi'
  );
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS };
  // The SDK builds its NodeHttpHandler from these options (no direct dependency on @smithy).
  const requestHandler = { httpAgent: new HttpAgent(agent), httpsAgent: new HttpsAgent(agent) };
  const client = new ApiGatewayManagementApiClient({ ...awsClientConfig(endpoint), requestHandler });
  return { client, PostToConnectionCommand };
}

function management(endpoint: string): Promise<Management> {
  let found = clients.get(endpoint);
  if (!found) {
    found = createManagement(endpoint);
    clients.set(endpoint, found);
  }
  return found;
}

export function managementSender(endpoint = managementEndpoint()): ConnectionSender {
  const encoder = new TextEncoder();
  return {
    async post(connectionId, data) {
      const { client, PostToConnectionCommand } = await management(endpoint);
      try {
        await client.send(
          new PostToConnectionCommand({ ConnectionId: connectionId, Data: encoder.encode(data) }),
        );
        return 'sent';
      } catch (err) {
        if (isGone(err)) return 'gone';
        throw err;
      }
    },
  };
}
