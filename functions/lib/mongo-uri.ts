// Where the connection string comes from: MONGODB_URI locally; in the cloud a Secrets Manager
// secret (MONGODB_SECRET_ARN), read once per container.
let cached: Promise<string> | undefined;

async function readSecret(secretId: string): Promise<string> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = out.SecretString?.trim();
  if (!value) throw new Error(`Secret ${secretId} has no string value`);
  // Accept either the bare URI or a JSON secret {"uri": "..."}.
  return value.startsWith('{') ? String((JSON.parse(value) as { uri?: unknown }).uri ?? '') : value;
}

export function resolveMongoUri(): Promise<string> {
  if (process.env.MONGODB_URI) return Promise.resolve(process.env.MONGODB_URI);
  const secretId = process.env.MONGODB_SECRET_ARN;
  if (!secretId) return Promise.reject(new Error('Set MONGODB_URI (local) or MONGODB_SECRET_ARN (cloud)'));
  cached ??= readSecret(secretId).catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
