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
import {
  allFunctions,
  type HttpRoute,
  httpRoutes,
  type InternalFunction,
  internalFunctions,
} from '../routes.ts';
import {
  buildHttpEvent,
  LOCAL_REGION,
  newGatewayRequestId,
  type RequestInfo,
  splitUrl,
} from './api-event.ts';
import {
  type GatewayResponse,
  gatewayError,
  MalformedResponseError,
  mapFunctionResult,
} from './api-response.ts';
import { authorize } from './authorizer.ts';
import {
  createFunctionHost,
  type FunctionHost,
  type HostedFunction,
  type InvocationOutcome,
} from './function-host.ts';
import { handleInvokeApi, INVOKE_API_PREFIX } from './invoke-api.ts';
import { readRequestBody } from './request-body.ts';
import { createRouteMatcher } from './route-matcher.ts';
import { createStaticSite } from './static-site.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** API Gateway's payload limit for HTTP APIs. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

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
}

export interface LocalGateway {
  url: string;
  port: number;
  server: Server;
  functions: FunctionHost;
  close(): Promise<void>;
}

function hostedFunctions(
  opts: LocalGatewayOptions,
  routes: readonly HttpRoute[],
  internal: readonly InternalFunction[],
) {
  const byName = new Map<string, HostedFunction>(allFunctions().map((f) => [f.name, f]));
  for (const f of [...routes, ...internal]) {
    byName.set(f.name, { name: f.name, entry: f.entry, timeoutSeconds: f.timeoutSeconds ?? 10 });
  }
  for (const f of opts.functions ?? []) byName.set(f.name, f);
  return [...byName.values()];
}

function writeResponse(res: ServerResponse, response: GatewayResponse, requestId: string): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    const seen = headers[name];
    if (name === 'set-cookie') headers[name] = [...((seen as string[] | undefined) ?? []), value];
    else headers[name] = seen === undefined ? value : `${seen},${value}`;
  }
  headers['content-length'] = String(response.body.length);
  headers['apigw-requestid'] = requestId;
  res.writeHead(response.status, headers);
  res.end(response.body);
}

function toResponse(outcome: InvocationOutcome, fn: string, requestId: string): GatewayResponse {
  if (outcome.status === 'ok') {
    try {
      return mapFunctionResult(outcome.value);
    } catch (err) {
      if (!(err instanceof MalformedResponseError)) throw err;
      logFailure(requestId, fn, { errorType: err.name, errorMessage: err.message });
      return gatewayError(500, { requestId });
    }
  }
  logFailure(requestId, fn, outcome.error);
  return outcome.status === 'timeout' ? gatewayError(504, { requestId }) : gatewayError(500, { requestId });
}

function logFailure(requestId: string, fn: string, error: unknown): void {
  console.error(JSON.stringify({ level: 'error', requestId, function: fn, error }));
}

function requestInfo(req: IncomingMessage, body: Buffer): RequestInfo {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headersDistinct,
    body,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    port: req.socket.localPort ?? 0,
  };
}

export async function createLocalGateway(opts: LocalGatewayOptions): Promise<LocalGateway> {
  const rootDir = opts.rootDir ?? REPO_ROOT;
  const routes = opts.routes ?? httpRoutes;
  const internal = opts.internalFunctions ?? internalFunctions;
  const functions = createFunctionHost(rootDir, hostedFunctions(opts, routes, internal));
  const matchRoute = createRouteMatcher(routes);
  const authorizerName = internal.find((f) => f.role === 'http-authorizer')?.name;
  const site = createStaticSite(opts.webRoot ?? resolve(rootDir, 'web/dist'));
  Object.assign(process.env, opts.env);
  useLocalAwsDefaults();

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const requestId = newGatewayRequestId();
    const match = matchRoute(req.method ?? 'GET', path);
    if (!match) {
      req.resume();
      writeResponse(res, gatewayError(404), requestId);
      return;
    }
    const read = await readRequestBody(req, GATEWAY_MAX_BODY_BYTES);
    if (!read.ok) {
      res.setHeader('connection', 'close');
      writeResponse(res, gatewayError(413), requestId);
      return;
    }
    const info = requestInfo(req, read.body);
    let authorizer: { lambda: Record<string, unknown> | null } | undefined;
    if (match.route.auth === 'session') {
      const auth = await authorize(functions, authorizerName, info, match, requestId);
      if (auth.kind === 'denied') {
        writeResponse(res, auth.response, requestId);
        return;
      }
      authorizer = auth.authorizer;
    }
    const outcome = await functions.invoke(
      match.route.name,
      buildHttpEvent(info, match, requestId, authorizer),
    );
    writeResponse(res, toResponse(outcome, match.route.name, requestId), requestId);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = splitUrl(req.url ?? '/').rawPath;
    if (path === INVOKE_API_PREFIX || path.startsWith(`${INVOKE_API_PREFIX}/`))
      return handleInvokeApi(functions, req, res);
    if (path === '/api' || path.startsWith('/api/')) return handleApi(req, res, path);
    return site(req, res, path);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logFailure('-', 'gateway', err instanceof Error ? err.stack : String(err));
      if (res.headersSent) res.destroy();
      else writeResponse(res, gatewayError(500), '-');
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;
  process.env.LAMBDA_ENDPOINT = url;
  return { url, port, server, functions, close: () => closeServer(server) };
}

// Functions that call AWS (Invoke for `broadcast`) sign requests even against local endpoints; give
// the SDK a region and dummy credentials unless real ones are configured.
function useLocalAwsDefaults(): void {
  process.env.AWS_REGION ??= LOCAL_REGION;
  if (!process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE) {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}
