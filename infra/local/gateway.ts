// The local stand-in for API Gateway + Lambda + CloudFront, in one Node HTTP server:
//
//   /2015-03-31/functions/…  ──► Lambda Invoke API        (invoke-api.ts)
//   /api/…                   ──► route table ─► [authorizer] ─► function (payload 2.0 in and out)
//   everything else          ──► the built web app, SPA fallback to index.html
//
// The Node `http.Server` is exposed so that other parts (the WebSocket API emulation) can attach
// an `upgrade` listener and reuse `functions` to run their handlers the same way.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFunctions, functionsOf, type HttpRoute, type InternalFunction, routeTable } from '../routes.ts';
import { LOCAL_REGION, splitUrl } from './api-event.ts';
import { gatewayError } from './api-response.ts';
import { type LocalService, localSecretsManager, SECRETS_MANAGER_PATH } from './containers/local-secrets.ts';
import { createFunctionHost, type FunctionHost, type HostedFunction } from './function-host.ts';
import { createHttpApi, writeResponse } from './http-api.ts';
import { handleInvokeApi, INVOKE_API_PREFIX } from './invoke-api.ts';
import { createLocalApiGuard, type LocalApiGuard, servedHostsOf } from './local-api-guard.ts';
import { newLocalCredentials } from './local-credentials.ts';
import {
  type ContainerModeOptions,
  type LocalRuntime,
  localDatabase,
  runtimeFromEnv,
  startContainerMode,
} from './runtime-mode.ts';
import type { LocalCredentials } from './sigv4.ts';
import { createStaticSite } from './static-site.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export { GATEWAY_MAX_BODY_BYTES } from './http-api.ts';

export interface LocalGatewayOptions {
  port: number;
  host?: string;
  /** The built web app (default `web/dist`). */
  webRoot?: string;
  /** Set in `process.env` before any handler runs: every function shares this process. */
  env?: Record<string, string>;
  /** Defaults to the app's route table; tests pass their own. */
  routes?: readonly HttpRoute[];
  internalFunctions?: readonly InternalFunction[];
  /** Every function Invoke can reach; defaults to the app's functions plus `routes` and `internalFunctions`. */
  functions?: readonly HostedFunction[];
  /** Directory that route `entry` paths are relative to. */
  rootDir?: string;
  /** What the local AWS APIs accept (SigV4); a fresh pair when absent. */
  credentials?: LocalCredentials;
  /** Runs the functions instead of this process; `routes` still route. */
  functionHost?: FunctionHost;
  /** Where the functions run (runtime-mode.ts); default LOCAL_RUNTIME, else in-process. */
  runtime?: LocalRuntime;
  containers?: ContainerModeOptions;
}

export interface LocalGateway {
  url: string;
  port: number;
  server: Server;
  functions: FunctionHost;
  /** The gate of the local AWS APIs, with the credentials it accepts. */
  guard: LocalApiGuard;
  readonly credentials: LocalCredentials;
  /**
   * Names a WebSocket API at `path` in the site's /config.json (the latest attached one that is still
   * there); answers the function that takes it back out.
   */
  publishWebSocket(path: string): () => void;
  close(): Promise<void>;
}

/** Every function of the app's table; given routes and internal functions add to it or replace by name. */
function hostedFunctions(
  opts: LocalGatewayOptions,
  routes: readonly HttpRoute[],
  internal: readonly InternalFunction[],
): HostedFunction[] {
  const given = functionsOf({
    httpRoutes: routes,
    websocketRoutes: [],
    internalFunctions: internal,
    opsFunctions: [],
  });
  const byName = new Map<string, HostedFunction>();
  for (const f of [...allFunctions(), ...given, ...(opts.functions ?? [])]) byName.set(f.name, f);
  return [...byName.values()];
}

export async function createLocalGateway(opts: LocalGatewayOptions): Promise<LocalGateway> {
  const rootDir = opts.rootDir ?? REPO_ROOT;
  const routes = opts.routes ?? routeTable.httpRoutes;
  const internal = opts.internalFunctions ?? routeTable.internalFunctions;
  const containers =
    !opts.functionHost && (opts.runtime ?? runtimeFromEnv()) === 'containers'
      ? await startContainerMode(
          rootDir,
          { ...routeTable, httpRoutes: routes, internalFunctions: internal },
          localDatabase(opts.env),
          opts.containers,
        )
      : undefined;
  const functions =
    opts.functionHost ??
    containers?.host ??
    createFunctionHost(rootDir, hostedFunctions(opts, routes, internal));
  const authorizerName = internal.find((f) => f.role === 'http-authorizer')?.name;
  const handleApi = createHttpApi({
    functions,
    routes,
    authorizerName,
    // The gateway plays CloudFront too: in container mode the functions check its origin secret.
    ...(containers ? { originHeaders: containers.originHeaders } : {}),
  });
  const services: Array<[string, LocalService]> = containers
    ? [[SECRETS_MANAGER_PATH, localSecretsManager(containers.secrets)]]
    : [];
  const published: Array<{ path: string }> = [];
  const site = createStaticSite(opts.webRoot ?? resolve(rootDir, 'web/dist'), {
    webSocketPath: () => published.at(-1)?.path,
  });
  const publishWebSocket = (path: string) => {
    const entry = { path };
    published.push(entry);
    return () => {
      const at = published.indexOf(entry);
      if (at >= 0) published.splice(at, 1);
    };
  };
  const credentials = opts.credentials ?? newLocalCredentials();
  let servedHosts = new Set<string>();
  const guard = createLocalApiGuard({ credentials, servedHosts: () => servedHosts });
  Object.assign(process.env, opts.env);
  useLocalCredentials(credentials);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = splitUrl(req.url ?? '/').rawPath;
    if (path === INVOKE_API_PREFIX || path.startsWith(`${INVOKE_API_PREFIX}/`))
      return handleInvokeApi(functions, guard, req, res);
    if (path === '/api' || path.startsWith('/api/')) return handleApi(req, res, path);
    const service = services.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (service) return service[1](req, res, guard);
    return site(req, res, path);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error(
        JSON.stringify({
          level: 'error',
          function: 'gateway',
          error: err instanceof Error ? err.stack : String(err),
        }),
      );
      if (res.headersSent) res.destroy();
      else writeResponse(res, gatewayError(500), '-');
    });
  });
  const port = await listen(server, opts.port, opts.host ?? '127.0.0.1');
  servedHosts = servedHostsOf(port, opts.host ?? '127.0.0.1');
  const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;
  process.env.LAMBDA_ENDPOINT = url;
  const close = async () => {
    await closeServer(server);
    containers?.stop();
  };
  // Ready once the provisioned containers are, as a Lambda alias serves once its provisioning is done.
  await containers?.attach({ url, credentials }).catch(async (err: unknown) => {
    await close();
    throw err;
  });
  return { url, port, server, functions, guard, credentials, publishWebSocket, close };
}

// Functions that call the local AWS APIs (Invoke for `broadcast`, the Management API) sign with the
// credentials the gateway accepts, whatever the shell has configured.
function useLocalCredentials(credentials: LocalCredentials): void {
  process.env.AWS_REGION ??= LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
}

/** Resolves with the bound port; rejects with the listen error (EADDRINUSE, EACCES). */
function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}
