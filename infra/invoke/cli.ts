// `npm run invoke`: one function, by route-table name, through @aws-sdk/client-lambda, against the
// deployed stack or the local gateway's Invoke API.
//
//   argv ──► parse ──► name + payload (or an HTTP event built from --http) ──► target ──► Invoke
//                                                                                          │
//   exit code ◄── print (HTTP results decoded: base64, br/gzip, JSON) ◄────────────────────┘
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { GatewayHttpEvent } from '../local/api-event.ts';
import { allFunctions, type HttpRoute, httpRoutes } from '../routes.ts';
import { INVOKE_USAGE, type InvokeArgs, parseInvokeArgs, UsageError } from './args.ts';
import { httpInvocation, plainRequestFor } from './event.ts';
import { withOriginSecret } from './origin.ts';
import { decodeInvokeResult } from './result.ts';
import { cloudTarget, type InvokeTarget, localTarget } from './target.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface InvokeIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  routes?: readonly HttpRoute[];
  /** Every name that may be invoked; defaults to every function of the route table. */
  knownFunctions?: readonly string[];
}

interface Plan {
  functionName: string;
  payload: unknown;
  httpMode: boolean;
}

function plan(args: InvokeArgs, io: InvokeIo): Plan {
  const routes = io.routes ?? httpRoutes;
  const known = io.knownFunctions ?? allFunctions().map((f) => f.name);
  if (args.functionName && !known.includes(args.functionName)) {
    const near = known.filter(
      (n) => n.includes(args.functionName ?? '') || (args.functionName ?? '').includes(n),
    );
    throw new UsageError(
      `Unknown function "${args.functionName}". ${near.length ? `Did you mean ${near.join(', ')}? ` : ''}Known: ${known.join(', ')}`,
    );
  }
  const route = routes.find((r) => r.name === args.functionName);
  const request = args.http ?? (route && !args.hasPayload ? plainRequestFor(route) : undefined);
  if (!request) {
    if (args.user || Object.keys(args.headers).length)
      throw new UsageError('--user and --header need --http');
    return {
      functionName: args.functionName ?? '',
      payload: args.hasPayload ? args.payload : {},
      httpMode: false,
    };
  }
  const built = httpInvocation({
    routes,
    request,
    functionName: args.functionName,
    body: args.payload,
    hasBody: args.hasPayload,
    user: args.user,
    headers: args.headers,
  });
  if (!args.http) io.err(`(no payload: sending the event of ${request.method} ${request.url})\n`);
  if (built.missingUser) io.err(`(${built.functionName} needs a session: pass --user <userId>)\n`);
  return { functionName: built.functionName, payload: built.event, httpMode: true };
}

async function invoke(target: InvokeTarget, payload: unknown, args: InvokeArgs) {
  const client = new LambdaClient({ ...target.client, maxAttempts: 1 });
  try {
    return await client.send(
      new InvokeCommand({
        FunctionName: target.physicalName,
        InvocationType: args.async ? 'Event' : 'RequestResponse',
        ...(args.logs && !args.async ? { LogType: 'Tail' as const } : {}),
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  } finally {
    client.destroy();
  }
}

interface Prepared {
  args: InvokeArgs;
  planned: Plan;
  target: InvokeTarget;
}

/** Everything that can go wrong before anything is sent is a UsageError (exit 2). */
function prepare(argv: readonly string[], io: InvokeIo): Prepared | 'help' {
  const args = parseInvokeArgs(argv);
  if (args.help) return 'help';
  const planned = plan(args, io);
  const target = args.local
    ? localTarget(planned.functionName, args.local, io.env ?? process.env)
    : cloudTarget(planned.functionName, { ...args, env: io.env ?? process.env });
  return { args, planned, target };
}

export async function runInvoke(argv: readonly string[], io: InvokeIo): Promise<number> {
  let prepared: Prepared | 'help';
  try {
    prepared = prepare(argv, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`invoke: ${err.message}\n\n${INVOKE_USAGE.split('\n\n')[0]}\n`);
    return EXIT.usage;
  }
  if (prepared === 'help') {
    io.out(`${INVOKE_USAGE}\n`);
    return EXIT.ok;
  }
  return execute(prepared, io);
}

/** Cloud HTTP events carry the origin secret (invoke-origin.ts); undefined when it cannot be read. */
async function payloadFor({ planned, target }: Prepared, io: InvokeIo): Promise<unknown> {
  if (!planned.httpMode || !target.originSecretArn) return planned.payload;
  const event = planned.payload as GatewayHttpEvent;
  try {
    return await withOriginSecret(event, target.originSecretArn, target.client.region);
  } catch (err) {
    const e = err as Error;
    io.err(`invoke: could not read the origin secret ${target.originSecretArn}: ${e.name}: ${e.message}\n`);
    return undefined;
  }
}

async function execute(prepared: Prepared, io: InvokeIo): Promise<number> {
  const { args, planned, target } = prepared;
  const payload = await payloadFor(prepared, io);
  if (payload === undefined) return EXIT.failed;
  const started = Date.now();
  let out: Awaited<ReturnType<typeof invoke>>;
  try {
    out = await invoke(target, payload, args);
  } catch (err) {
    const e = err as Error;
    io.err(`invoke: ${target.description} could not be invoked: ${e.name}: ${e.message}\n`);
    return EXIT.failed;
  }
  const ms = Date.now() - started;
  if (out.LogResult) io.err(Buffer.from(out.LogResult, 'base64').toString('utf8'));
  if (args.async) {
    io.err(`${target.description}: queued (HTTP ${out.StatusCode}) in ${ms} ms\n`);
    return out.StatusCode === 202 ? EXIT.ok : EXIT.failed;
  }
  const result = decodeInvokeResult(out.Payload, {
    httpMode: planned.httpMode,
    functionError: out.FunctionError,
  });
  io.err(`${target.description}: ${result.summary} in ${ms} ms\n`);
  io.out(`${result.text}\n`);
  return result.failed ? EXIT.failed : EXIT.ok;
}
