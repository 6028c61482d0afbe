// `npm run invoke --http` against the deployed stack: the handlers refuse any HTTP event without
// CloudFront's origin secret (functions/lib/origin-verify.ts), so the CLI reads the secret named by
// the stack's OriginVerifySecretArn output with the operator's credentials and adds the header to
// the event it sends. The value goes into the payload only: never printed, never on the command line.
import { ORIGIN_VERIFY_HEADER, parseOriginSecret } from '../../functions/lib/origin-verify.ts';
import type { GatewayHttpEvent } from '../local/api-event.ts';

export async function withOriginSecret(
  event: GatewayHttpEvent,
  secretArn: string,
  region: string,
): Promise<GatewayHttpEvent> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ region, maxAttempts: 1 });
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const { current } = parseOriginSecret(out.SecretString ?? '');
    return { ...event, headers: { ...event.headers, [ORIGIN_VERIFY_HEADER]: current } };
  } finally {
    client.destroy();
  }
}
