// Reads, generically, what the template gives each of the app's functions (Environment.Variables,
// Timeout, MemorySize, ReservedConcurrentExecutions), with CloudFormation's references resolved to
// the local cloud:
//
//   {Ref: <function>}                       → its local name (the Invoke API's name)
//   {Ref: <secret>}, a secret ARN           → a local secret ARN, served by local-secrets.ts
//   a URL of the WebSocket API (Fn::Join)   → the local Management API endpoint
//   AWS::Region / AccountId / Partition …   → the local values
//
// A reference to anything else stops start-up with the function and variable that needs it, so a
// new kind of binding in the stack is noticed here rather than arriving as a broken value.
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../api-event.ts';
import type { ContainerFunction } from './container-host.ts';
import type { CfnResource, CfnTemplate } from './stack-template.ts';

export interface LocalEndpoints {
  /** The WebSocket API's Management API endpoint, `<gateway>/ws`. */
  managementEndpoint: string;
}

export class TemplateResolveError extends Error {
  override readonly name = 'TemplateResolveError';
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT_ID,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

export const localSecretArn = (id: string) =>
  `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:secret:${id}`;

/** `<name>/index.handler` → `<name>`; undefined for handlers that are not one of the app's. */
function appFunctionName(resource: CfnResource): string | undefined {
  const handler = resource.Properties?.Handler;
  if (typeof handler !== 'string' || !handler.includes('/')) return undefined;
  return handler.split('/')[0];
}

function isWebSocketApi(resource: CfnResource | undefined): boolean {
  return resource?.Type === 'AWS::ApiGatewayV2::Api' && resource.Properties?.ProtocolType === 'WEBSOCKET';
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    const ref = (value as { Ref?: unknown }).Ref;
    return typeof ref === 'string' ? [ref] : Object.values(value).flatMap(refsIn);
  }
  return [];
}

export function createResolver(template: CfnTemplate, endpoints: LocalEndpoints) {
  const resources = template.Resources;

  function ref(id: string): string {
    const pseudo = PSEUDO[id];
    if (pseudo) return pseudo;
    const resource = resources[id];
    if (resource?.Type === 'AWS::Lambda::Function') {
      const name = appFunctionName(resource);
      if (name) return name;
    }
    if (resource?.Type === 'AWS::SecretsManager::Secret') return localSecretArn(id);
    throw new TemplateResolveError(`no local value for {Ref: ${id}} (${resource?.Type ?? 'unknown'})`);
  }

  function resolve(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value && typeof value === 'object') {
      if (refsIn(value).some((id) => isWebSocketApi(resources[id]))) return endpoints.managementEndpoint;
      const obj = value as Record<string, unknown>;
      if (typeof obj.Ref === 'string') return ref(obj.Ref);
      const join = obj['Fn::Join'];
      if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1]))
        return join[1].map(resolve).join(join[0]);
    }
    throw new TemplateResolveError(`no local value for ${JSON.stringify(value)}`);
  }

  return resolve;
}

export interface TemplateFunction extends ContainerFunction {
  /** Environment.Variables, references resolved. */
  env: Record<string, string>;
}

/** Every function of the app in the template, by its local name. */
export function templateFunctions(
  template: CfnTemplate,
  endpoints: LocalEndpoints,
): Map<string, TemplateFunction> {
  const resolve = createResolver(template, endpoints);
  const out = new Map<string, TemplateFunction>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = appFunctionName(resource);
    if (!name) continue;
    const p = resource.Properties ?? {};
    const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables)) {
      try {
        env[key] = resolve(value);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new TemplateResolveError(`function ${name}, environment variable ${key}: ${reason}`, {
          cause: err,
        });
      }
    }
    out.set(name, {
      name,
      entry: String(p.Handler),
      handler: String(p.Handler),
      env,
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      ...(p.ReservedConcurrentExecutions !== undefined
        ? { reservedConcurrency: Number(p.ReservedConcurrentExecutions) }
        : {}),
    });
  }
  return out;
}

/** Secrets the template creates with a generated value: logical id → GenerateSecretString. */
export function generatedSecrets(template: CfnTemplate): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const spec = resource.Properties?.GenerateSecretString;
    if (resource.Type === 'AWS::SecretsManager::Secret' && spec && typeof spec === 'object')
      out.set(id, spec as Record<string, unknown>);
  }
  return out;
}

/**
 * Headers CloudFront adds to requests for the HTTP API origin, resolved to strings; dynamic
 * references `{{resolve:secretsmanager:<arn>:SecretString:<key>::}}` are read with `readSecret`.
 */
export function apiOriginHeaders(
  template: CfnTemplate,
  endpoints: LocalEndpoints,
  readSecret: (arn: string) => string | undefined,
): Record<string, string> {
  const resolve = createResolver(template, endpoints);
  const headers: Record<string, string> = {};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::CloudFront::Distribution') continue;
    const config = resource.Properties?.DistributionConfig as { Origins?: unknown[] } | undefined;
    for (const origin of config?.Origins ?? []) {
      const custom = (origin as { OriginCustomHeaders?: Array<{ HeaderName: string; HeaderValue: unknown }> })
        .OriginCustomHeaders;
      for (const header of custom ?? []) {
        headers[header.HeaderName.toLowerCase()] = resolveDynamicReference(
          resolve(header.HeaderValue),
          readSecret,
        );
      }
    }
  }
  return headers;
}

const DYNAMIC_SECRET =
  /^\{\{resolve:secretsmanager:(arn:[^}]*?:secret:[^:}]+):SecretString:([^:}]*):[^}]*\}\}$/;

function resolveDynamicReference(value: string, readSecret: (arn: string) => string | undefined): string {
  const m = DYNAMIC_SECRET.exec(value);
  if (!m) return value;
  const secret = readSecret(m[1] ?? '');
  if (secret === undefined) throw new TemplateResolveError(`no local secret ${m[1]}`);
  const key = m[2];
  return key ? String((JSON.parse(secret) as Record<string, unknown>)[key] ?? '') : secret;
}
