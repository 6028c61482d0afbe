// The runtime inside one container process, the part of Lambda's Node.js runtime a handler can see:
// it imports the function's bundle once (init, timed), then runs one invocation per `invoke` message
// with a Lambda `context`, and answers with the result or the error payload Lambda reports.
//
//   host ──spawn (env from the template)──► runtime: import <LAMBDA_TASK_ROOT>/<_HANDLER module>
//        ◄── {ready, initMs} | {initError} ─┘
//   host ──{invoke, requestId, event, deadline}──► handler(event, context) ──► {result|error, maxRssMb}
//   (between invocations the host freezes this process with SIGSTOP)
//
// Built by esbuild into the bundle directory (build-bundles.ts) and run by plain `node`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorPayload } from '../function-error.ts';
import { createLambdaContext } from '../lambda-context.ts';
import type { HostMessage, RuntimeMessage } from './protocol.ts';

type Handler = (event: unknown, context: unknown) => unknown;

function send(message: RuntimeMessage): void {
  process.send?.(message);
}

/** `_HANDLER` is `<module path without extension>.<export>`, as Lambda reads it. */
async function loadHandler(): Promise<Handler> {
  const spec = process.env._HANDLER ?? '';
  const dot = spec.lastIndexOf('.');
  const modulePath = join(process.env.LAMBDA_TASK_ROOT ?? '.', `${spec.slice(0, dot)}.mjs`);
  const exported = spec.slice(dot + 1);
  const mod = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const handler = mod[exported];
  if (typeof handler !== 'function') {
    const err = new Error(`${spec} is undefined or not exported`);
    err.name = 'Runtime.HandlerNotFound';
    throw err;
  }
  return handler as Handler;
}

const maxRssMb = () => Math.ceil(process.resourceUsage().maxRSS / 1024);

async function invoke(handler: Handler, message: Extract<HostMessage, { type: 'invoke' }>): Promise<void> {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? '';
  const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  const context = createLambdaContext(name, message.deadline - Date.now(), message.requestId, memoryMb);
  try {
    const value = await handler(message.event, context);
    send({ type: 'result', requestId: message.requestId, value: value ?? null, maxRssMb: maxRssMb() });
  } catch (err) {
    send({ type: 'error', requestId: message.requestId, error: errorPayload(err), maxRssMb: maxRssMb() });
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const isHandlerError = err instanceof Error && err.name === 'Runtime.HandlerNotFound';
    send({
      type: 'init-error',
      error: errorPayload(err, isHandlerError ? undefined : 'Runtime.ImportModuleError'),
    });
    return;
  }
  process.on('message', (message: HostMessage) => {
    if (message.type === 'invoke') void invoke(handler, message);
  });
  send({ type: 'ready', initMs: performance.now() - started });
}

void main();
