// Settings for the AWS SDK clients the real-time parts use. In Lambda the SDK finds the region and
// the credentials itself; against the local gateway the endpoint is set, and the SDK signs with the
// credentials the gateway put in the environment (it checks the signature as AWS does).
export interface AwsClientConfig {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function awsClientConfig(endpoint: string | undefined, env = process.env): AwsClientConfig {
  if (!endpoint) return {};
  const config: AwsClientConfig = {
    endpoint,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
  };
  if (!env.AWS_ACCESS_KEY_ID) config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return config;
}
