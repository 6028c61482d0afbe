// The local Secrets Manager, as far as the functions use it (GetSecretValue through
// @aws-sdk/client-secrets-manager, pointed here by AWS_ENDPOINT_URL_SECRETS_MANAGER):
//
//   the database secret the stack imports by name   → the local MongoDB URI
//   each secret the template generates              → a value generated at start-up to its spec
//
// Behind the same gate as the other local AWS APIs (SigV4 by the local credentials, no pages).
import { randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalApiGuard } from '../local-api-guard.ts';
import { sendRefusal } from '../local-api-guard.ts';
import { readRequestBody } from '../request-body.ts';
import { localSecretArn } from './template-functions.ts';

export const SECRETS_MANAGER_PATH = '/_aws/secretsmanager';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A value for a template's GenerateSecretString (the alphanumeric case the stack uses). */
export function generateSecretString(spec: Record<string, unknown>): string {
  const length = Number(spec.PasswordLength ?? 32);
  const password = Array.from({ length }, () => ALNUM[randomInt(ALNUM.length)]).join('');
  const key = spec.GenerateStringKey;
  if (typeof key !== 'string') return password;
  const template = JSON.parse(String(spec.SecretStringTemplate ?? '{}')) as Record<string, unknown>;
  return JSON.stringify({ ...template, [key]: password });
}

export type LocalService = (req: IncomingMessage, res: ServerResponse, guard: LocalApiGuard) => Promise<void>;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const type = status === 200 ? undefined : (body as { __type?: string }).__type;
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(type ? { 'x-amzn-errortype': type } : {}),
  });
  res.end(text);
}

/** GetSecretValue over `values` (secret ARN → SecretString); a secret is found by ARN or name. */
export function localSecretsManager(values: ReadonlyMap<string, string>): LocalService {
  const byName = new Map([...values.keys()].map((arn) => [arn.split(':secret:')[1] ?? arn, arn]));
  const arnOf = (id: string) => (values.has(id) ? id : byName.get(id));

  return async function handle(req, res, guard) {
    const admitted = guard.admit(req);
    if (admitted) {
      req.resume();
      return sendRefusal(res, admitted);
    }
    const body = await readRequestBody(req, 64 * 1024);
    if (!body.ok) return reply(res, 413, { __type: 'InvalidRequestException', message: 'Request too large' });
    const refused = await guard.verify(req, body.body, 'secretsmanager');
    if (refused) return sendRefusal(res, refused);
    if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
      return reply(res, 400, {
        __type: 'UnknownOperationException',
        message: 'Only GetSecretValue is emulated',
      });
    let secretId: unknown;
    try {
      secretId = (JSON.parse(body.body.toString('utf8')) as { SecretId?: unknown }).SecretId;
    } catch {
      return reply(res, 400, { __type: 'SerializationException', message: 'Body is not JSON' });
    }
    const arn = typeof secretId === 'string' ? arnOf(secretId) : undefined;
    const value = arn === undefined ? undefined : values.get(arn);
    if (arn === undefined || value === undefined)
      return reply(res, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
    return reply(res, 200, {
      ARN: arn,
      Name: arn.split(':secret:')[1],
      SecretString: value,
      VersionId: '00000000-0000-4000-8000-000000000000',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 0,
    });
  };
}

/** The local secrets of a template: the database URI under the imported name, generated ones by id. */
export function localSecretValues(
  generated: ReadonlyMap<string, Record<string, unknown>>,
  databaseSecretName: string,
  mongoUri: string,
): Map<string, string> {
  const values = new Map<string, string>([[localSecretArn(databaseSecretName), mongoUri]]);
  for (const [id, spec] of generated) values.set(localSecretArn(id), generateSecretString(spec));
  return values;
}
