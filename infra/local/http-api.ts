// API Gateway's HTTP API in front of the route functions:
//
//   request ─► route match ─(none)─► 404        body > 10 MB ─► 413
//           └► [authorizer on session routes] ─► payload 2.0 event ─► function ─► response 2.0 ─► HTTP
//                                                 throws ─► 500 · timeout ─► 504 · bad response ─► 500
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute } from '../routes.ts';
import { buildHttpEvent, newGatewayRequestId, type RequestInfo } from './api-event.ts';
import {
  type GatewayResponse,
  gatewayError,
  MalformedResponseError,
  mapFunctionResult,
} from './api-response.ts';
import { authorize } from './authorizer.ts';
import type { FunctionHost, InvocationOutcome } from './function-host.ts';
import { readRequestBody } from './request-body.ts';
import { createRouteMatcher } from './route-matcher.ts';

/** API Gateway's payload limit for HTTP APIs. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HttpApiOptions {
  functions: FunctionHost;
  routes: readonly HttpRoute[];
  /** The function with role `http-authorizer`, when there is one. */
  authorizerName: string | undefined;
  /** What CloudFront adds to each request for the API origin (container mode: the origin secret). */
  originHeaders?: () => Record<string, string>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

export function writeResponse(res: ServerResponse, response: GatewayResponse, requestId: string): void {
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
  // A throttled Lambda integration: API Gateway answers 503 Service Unavailable.
  if (outcome.status === 'throttled') return gatewayError(503, { requestId });
  return outcome.status === 'timeout' ? gatewayError(504, { requestId }) : gatewayError(500, { requestId });
}

function logFailure(requestId: string, fn: string, error: unknown): void {
  console.error(JSON.stringify({ level: 'error', requestId, function: fn, error }));
}

function requestInfo(req: IncomingMessage, body: Buffer, added: Record<string, string>): RequestInfo {
  const headers = { ...req.headersDistinct };
  for (const [name, value] of Object.entries(added)) headers[name] = [value];
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers,
    body,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    port: req.socket.localPort ?? 0,
  };
}

export function createHttpApi({
  functions,
  routes,
  authorizerName,
  originHeaders = () => ({}),
}: HttpApiOptions): RequestHandler {
  const matchRoute = createRouteMatcher(routes);

  return async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
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
    const info = requestInfo(req, read.body, originHeaders());
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
  };
}
