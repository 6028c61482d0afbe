// Closes WebSocket connections from the server side: DeleteConnection on the API Gateway Management
// API (`DELETE {stage}/@connections/{id}`), at the stage callback URL the CDK stack and the local
// gateway's emulation set as WS_MANAGEMENT_ENDPOINT. Used when sessions are revoked, which is rare,
// so the SDK client's own pipeline (signing, retries) is used as it is.
import { awsClientConfig } from './aws-client-config.ts';

export type CloseOutcome = 'closed' | 'gone';

export interface ConnectionCloser {
  close(connectionId: string): Promise<CloseOutcome>;
}

/** Without a WebSocket API (no endpoint set) there is nothing to close. */
const noSockets: ConnectionCloser = { close: async () => 'gone' };

export function managementCloser(endpoint = process.env.WS_MANAGEMENT_ENDPOINT): ConnectionCloser {
  if (!endpoint) return noSockets;
  // Built on first use: functions that never close a socket never load the SDK.
  let client: Promise<(id: string) => Promise<CloseOutcome>> | undefined;
  const load = async () => {
    const sdk = await import('@aws-sdk/client-apigatewaymanagementapi');
    const api = new sdk.ApiGatewayManagementApiClient(awsClientConfig(endpoint));
    return async (id: string): Promise<CloseOutcome> => {
      try {
        await api.send(new sdk.DeleteConnectionCommand({ ConnectionId: id }));
        return 'closed';
      } catch (err) {
        if (err instanceof sdk.GoneException) return 'gone';
        throw err;
      }
    };
  };
  return {
    async close(connectionId) {
      client ??= load();
      return (await client)(connectionId);
    },
  };
}
