// The Lambda Invoke API, as far as `@aws-sdk/client-lambda` needs it to work against the local
// gateway with `endpoint` and the local credentials set (local-api-guard.ts checks host, origin and
// the SigV4 signature before anything runs):
//
//   POST /2015-03-31/functions/{name|arn}/invocations   Invoke (RequestResponse, Event → 202, DryRun → 204)
//   GET  /2015-03-31/functions/                          ListFunctions (MaxItems, Marker)
//
// Errors use Lambda's REST-JSON shape: status, `x-amzn-ErrorType` and `{"Type", "message"}`.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reportLine } from './containers/container-host.ts';
import type { FunctionHost, HostedFunction, InvocationOutcome } from './function-host.ts';
import { functionArn, LOCAL_MEMORY_MB } from './lambda-context.ts';
import { type LocalApiGuard, sendRefusal } from './local-api-guard.ts';
import { readRequestBody } from './request-body.ts';

export const INVOKE_API_PREFIX = '/2015-03-31/functions';
const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
const INVOCATION_TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);

type ServiceErrorType =
  | 'ResourceNotFoundException'
  | 'InvalidRequestContentException'
  | 'InvalidParameterValueException'
  | 'RequestTooLargeException'
  | 'UnknownOperationException'
  | 'TooManyRequestsException';

const SERVICE_ERROR_STATUS: Record<ServiceErrorType, number> = {
  ResourceNotFoundException: 404,
  InvalidRequestContentException: 400,
  InvalidParameterValueException: 400,
  RequestTooLargeException: 413,
  UnknownOperationException: 404,
  TooManyRequestsException: 429,
};

function send(res: ServerResponse, status: number, headers: Record<string, string>, body = ''): void {
  res.writeHead(status, {
    'x-amzn-requestid': randomUUID(),
    ...headers,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

// Lambda itself is inconsistent: "Function not found" comes as `Message`, the others as `message`.
function serviceError(res: ServerResponse, type: ServiceErrorType, message: string): void {
  const body =
    type === 'ResourceNotFoundException' ? { Message: message, Type: 'User' } : { Type: 'User', message };
  send(
    res,
    SERVICE_ERROR_STATUS[type],
    { 'content-type': 'application/json', 'x-amzn-errortype': type },
    JSON.stringify(body),
  );
}

/** Accepts a name, a full ARN or a partial ARN (`123456789012:function:name`), with an optional qualifier. */
function functionNameOf(raw: string): string {
  const parts = decodeURIComponent(raw).split(':');
  const at = parts.indexOf('function');
  return (at >= 0 ? parts[at + 1] : parts[0]) ?? '';
}

function configuration(fn: HostedFunction) {
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(fn.name),
    Runtime: 'nodejs22.x',
    Role: 'arn:aws:iam::123456789012:role/local-gateway',
    Handler: 'index.handler',
    CodeSize: 0,
    Description: fn.entry,
    Timeout: fn.timeoutSeconds,
    MemorySize: LOCAL_MEMORY_MB,
    LastModified: new Date(0).toISOString().replace('Z', '+0000'),
    Version: '$LATEST',
    PackageType: 'Zip',
    Architectures: ['arm64'],
  };
}

function listFunctions(host: FunctionHost, url: URL, res: ServerResponse): void {
  const all = host.list();
  const start = Number(url.searchParams.get('Marker') ?? 0) || 0;
  const max = Math.min(Number(url.searchParams.get('MaxItems') ?? 50) || 50, 10_000);
  const page = all.slice(start, start + max);
  const next = start + max < all.length ? { NextMarker: String(start + max) } : {};
  send(
    res,
    200,
    { 'content-type': 'application/json' },
    JSON.stringify({ Functions: page.map(configuration), ...next }),
  );
}

function logTail(outcome: InvocationOutcome): string {
  const id = outcome.requestId;
  const report = reportLine({
    ...outcome,
    report: outcome.report ?? { memoryMb: LOCAL_MEMORY_MB, maxMemoryUsedMb: 0 },
  });
  const lines = [`START RequestId: ${id} Version: $LATEST`, `END RequestId: ${id}`, report];
  return Buffer.from(`${lines.join('\n')}\n`).toString('base64');
}

function parsePayload(body: Buffer): { ok: true; event: unknown } | { ok: false; message: string } {
  if (body.length === 0) return { ok: true, event: {} };
  try {
    return { ok: true, event: JSON.parse(body.toString('utf8')) };
  } catch (err) {
    return { ok: false, message: `Could not parse request body into json: ${(err as Error).message}` };
  }
}

function respondWithOutcome(req: IncomingMessage, res: ServerResponse, outcome: InvocationOutcome): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amz-executed-version': '$LATEST',
    'x-amzn-requestid': outcome.requestId,
  };
  if (outcome.status === 'throttled') {
    // Lambda's answer when the function's concurrency is used up; the SDK retries it with backoff.
    const body = {
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      message: outcome.error.errorMessage,
    };
    send(
      res,
      429,
      { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
      JSON.stringify(body),
    );
    return;
  }
  if (req.headers['x-amz-log-type'] === 'Tail') headers['x-amz-log-result'] = logTail(outcome);
  if (outcome.status !== 'ok') {
    send(res, 200, { ...headers, 'x-amz-function-error': 'Unhandled' }, JSON.stringify(outcome.error));
    return;
  }
  send(res, 200, headers, JSON.stringify(outcome.value) ?? 'null');
}

async function invoke(
  host: FunctionHost,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<void> {
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (!INVOCATION_TYPES.has(type)) {
    serviceError(res, 'InvalidParameterValueException', `Unsupported invocation type: ${type}`);
    return;
  }
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (!host.has(name)) {
    serviceError(res, 'ResourceNotFoundException', `Function not found: ${functionArn(name)}`);
    return;
  }
  if (body.length > limit) {
    serviceError(
      res,
      'RequestTooLargeException',
      `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    );
    return;
  }
  const payload = parsePayload(body);
  if (!payload.ok) {
    serviceError(res, 'InvalidRequestContentException', payload.message);
    return;
  }
  if (type === 'DryRun') {
    send(res, 204, {});
    return;
  }
  if (type === 'Event') {
    const requestId = randomUUID();
    send(res, 202, { 'x-amzn-requestid': requestId });
    const outcome = await host.invoke(name, payload.event, requestId);
    if (outcome.status !== 'ok') {
      console.error(
        JSON.stringify({
          level: 'error',
          requestId,
          function: name,
          invocation: 'Event',
          error: outcome.error,
        }),
      );
    }
    return;
  }
  respondWithOutcome(req, res, await host.invoke(name, payload.event));
}

function tooLarge(res: ServerResponse): void {
  res.setHeader('connection', 'close');
  serviceError(
    res,
    'RequestTooLargeException',
    `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation`,
  );
}

/** Handles a request under INVOKE_API_PREFIX. */
export async function handleInvokeApi(
  host: FunctionHost,
  guard: LocalApiGuard,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const admitted = guard.admit(req);
  if (admitted) {
    req.resume();
    return sendRefusal(res, admitted);
  }
  const read = await readRequestBody(req, SYNC_PAYLOAD_LIMIT);
  if (!read.ok) return tooLarge(res);
  const refused = await guard.verify(req, read.body, 'lambda');
  if (refused) return sendRefusal(res, refused);
  const url = new URL(req.url ?? '/', 'http://local');
  const rest = url.pathname.slice(INVOKE_API_PREFIX.length);
  if (req.method === 'GET' && (rest === '/' || rest === '')) {
    listFunctions(host, url, res);
    return;
  }
  const invocation = /^\/([^/]+)\/invocations\/?$/.exec(rest);
  if (req.method === 'POST' && invocation?.[1]) {
    await invoke(host, functionNameOf(invocation[1]), req, res, read.body);
    return;
  }
  serviceError(res, 'UnknownOperationException', `No Lambda operation at ${req.method} ${url.pathname}`);
}
