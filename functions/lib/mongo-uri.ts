// Where the connection string comes from: MONGODB_URI locally; in the cloud a Secrets Manager
// secret (MONGODB_SECRET_ARN), read once per container.
let cached: Promise<string> | undefined;

async function readSecret(secretId: string): Promise<string> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  return parseMongoSecret(secretId, out.SecretString);
}

/**
 * The URI in a secret's value: the bare URI or JSON `{"uri": "..."}`. Errors never quote the value
 * (it holds the database password, and errors are logged) — not even through JSON.parse's message,
 * which repeats the start of its input.
 */
export function parseMongoSecret(secretId: string, secretString: string | undefined): string {
  const value = secretString?.trim();
  if (!value) throw new Error(`Secret ${secretId} has no string value`);
  if (!value.startsWith('{')) return value;
  let uri: unknown;
  try {
    uri = (JSON.parse(value) as { uri?: unknown }).uri;
  } catch {
    throw new Error(`Secret ${secretId} starts with '{' but is not valid JSON`);
  }
  if (typeof uri !== 'string' || !uri) throw new Error(`Secret ${secretId} is JSON without a "uri" string`);
  return uri;
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
