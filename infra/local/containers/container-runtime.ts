// The container mode of the local cloud (`npm start -- --containers`): the functions run from the
// stack's bundle, one process per container, with what the synthesized template gives them.
//
//   prepare: template (synth, cached) ──► functions, secrets ─┐
//            bundle (the stack's esbuild settings) ───────────┼─► ContainerHost ─► gateway `functionHost`
//   attach(gateway): endpoints known ─► each container's environment, CloudFront's origin headers
import { rmSync } from 'node:fs';
import { functionsOf, type RouteTable } from '../../routes.ts';
import { LOCAL_REGION } from '../api-event.ts';
import type { LocalCredentials } from '../sigv4.ts';
import { buildContainerBundles } from './build-bundles.ts';
import { type ContainerFunction, type ContainerHost, createContainerHost } from './container-host.ts';
import { localSecretValues, SECRETS_MANAGER_PATH } from './local-secrets.ts';
import { synthesizedStack } from './stack-template.ts';
import {
  apiOriginHeaders,
  generatedSecrets,
  type LocalEndpoints,
  templateFunctions,
} from './template-functions.ts';

export interface ContainerRuntimeOptions {
  projectRoot: string;
  table: RouteTable;
  mongoUri: string;
  /** Replaces the stage's MONGODB_DB in the functions the template gives one (a test's own database). */
  mongoDb?: string;
  /** Idle containers are reaped after this long (default 5 min). */
  idleMs?: number;
  /** Init's own limit; default Lambda's 10 s. */
  initTimeoutMs?: number;
  /** Concurrency limits by function name, over the template's ReservedConcurrentExecutions. */
  reservedConcurrency?: Record<string, number>;
  /**
   * Provisioned concurrency by function name (the stack provisions none): that many containers are
   * initialized when the runtime is attached, and kept. At most the function's reserved concurrency.
   */
  provisionedConcurrency?: Record<string, number>;
  log?: (line: string) => void;
}

export interface GatewayEndpoints {
  url: string;
  credentials: LocalCredentials;
}

export interface ContainerRuntime {
  host: ContainerHost;
  /** Secret ARN → value; for the gateway's Secrets Manager. */
  secrets: Map<string, string>;
  /**
   * Call once the gateway listens: the containers' endpoints and credentials come from it. Resolves
   * once the provisioned containers are initialized.
   */
  attach(gateway: GatewayEndpoints): Promise<void>;
  /** The headers CloudFront adds to `/api/*` requests (the origin secret), once attached. */
  originHeaders(): Record<string, string>;
  stop(): void;
}

const PLACEHOLDER: LocalEndpoints = { managementEndpoint: 'http://unattached/ws' };

export async function prepareContainerRuntime(opts: ContainerRuntimeOptions): Promise<ContainerRuntime> {
  const { template, databaseSecretName } = await synthesizedStack(opts.projectRoot, opts.table);
  // Resolving once now stops start-up on a reference the local cloud cannot stand in for.
  const declared = templateFunctions(template, PLACEHOLDER);
  const secrets = localSecretValues(generatedSecrets(template), databaseSecretName, opts.mongoUri);
  const functions = withConcurrency([...declared.values()], opts);
  const specs = functionsOf(opts.table).filter((f) => declared.has(f.name));
  const bundles = buildContainerBundles(specs, opts.projectRoot);
  let attached: { gateway: GatewayEndpoints; endpoints: LocalEndpoints } | undefined;

  const host = createContainerHost({
    functions,
    bundleDir: bundles.dir,
    runtimePath: bundles.runtimePath,
    ...(opts.idleMs !== undefined ? { idleMs: opts.idleMs } : {}),
    ...(opts.initTimeoutMs !== undefined ? { initTimeoutMs: opts.initTimeoutMs } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    environmentOf(fn) {
      if (!attached) throw new Error('The container runtime is not attached to a gateway yet');
      const env = { ...templateFunctions(template, attached.endpoints).get(fn.name)?.env };
      if (opts.mongoDb && env.MONGODB_DB !== undefined) env.MONGODB_DB = opts.mongoDb;
      return {
        ...lambdaEnvironment(fn.name, fn.memoryMb, fn.handler, bundles.dir, attached.gateway),
        ...env,
      };
    },
  });

  return {
    host,
    secrets,
    attach(gateway) {
      attached = { gateway, endpoints: { managementEndpoint: `${gateway.url}/ws` } };
      return host.provision();
    },
    originHeaders() {
      if (!attached) return {};
      return apiOriginHeaders(template, attached.endpoints, (arn) => secrets.get(arn));
    },
    stop() {
      host.stop();
      rmSync(bundles.dir, { recursive: true, force: true });
    },
  };
}

/** The template's functions with the given reserved and provisioned concurrency, checked as Lambda checks them. */
function withConcurrency(
  declared: readonly ContainerFunction[],
  opts: Pick<ContainerRuntimeOptions, 'reservedConcurrency' | 'provisionedConcurrency'>,
): ContainerFunction[] {
  const known = new Set(declared.map((fn) => fn.name));
  for (const name of Object.keys({ ...opts.reservedConcurrency, ...opts.provisionedConcurrency }))
    if (!known.has(name)) throw new Error(`No function named "${name}" to give concurrency to`);
  return declared.map((fn) => {
    const reservedConcurrency = opts.reservedConcurrency?.[fn.name] ?? fn.reservedConcurrency;
    const provisionedConcurrency = opts.provisionedConcurrency?.[fn.name];
    if (provisionedConcurrency === undefined)
      return reservedConcurrency === undefined ? fn : { ...fn, reservedConcurrency };
    if (!Number.isInteger(provisionedConcurrency) || provisionedConcurrency < 1)
      throw new Error(
        `Provisioned concurrency of ${fn.name} must be a whole number from 1, got ${provisionedConcurrency}`,
      );
    if (reservedConcurrency !== undefined && provisionedConcurrency > reservedConcurrency)
      throw new Error(
        `Provisioned concurrency of ${fn.name} (${provisionedConcurrency}) exceeds its reserved concurrency (${reservedConcurrency})`,
      );
    return {
      ...fn,
      ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
      provisionedConcurrency,
    };
  });
}

/** What Lambda sets in every function's environment, with the AWS endpoints pointed at the gateway. */
function lambdaEnvironment(
  name: string,
  memoryMb: number,
  handler: string,
  taskRoot: string,
  gateway: GatewayEndpoints,
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: handler,
    // The function role's credentials, in the local cloud: the pair its APIs accept.
    AWS_ACCESS_KEY_ID: gateway.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: gateway.credentials.secretAccessKey,
    // The SDK's standard endpoint overrides stand in for the AWS endpoints of the region.
    AWS_ENDPOINT_URL_LAMBDA: gateway.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `${gateway.url}${SECRETS_MANAGER_PATH}`,
  };
}
