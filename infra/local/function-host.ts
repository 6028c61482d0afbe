// Hosts the app's Lambda functions in this process. Each module is imported once and reused, like a
// warm container, so module-scope state (the cached Mongo connection) lives across invocations as it
// does on Lambda. Each invocation gets a Lambda-like context and the function's timeout; a timed-out
// invocation is abandoned (its promise is left to settle unobserved), which is the closest a shared
// process can come to Lambda freezing the sandbox.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorPayload, type FunctionErrorPayload } from './function-error.ts';
import { createLambdaContext } from './lambda-context.ts';

export { errorPayload, type FunctionErrorPayload } from './function-error.ts';

export interface HostedFunction {
  name: string;
  /** Module path relative to the root directory; it exports `handler`. */
  entry: string;
  timeoutSeconds: number;
}

/** What a container runtime adds: the figures of Lambda's REPORT line. */
export interface InvocationReport {
  memoryMb: number;
  maxMemoryUsedMb: number;
  /** Set on the invocation that started the container (a cold start). */
  initMs?: number;
}

interface OutcomeBase {
  requestId: string;
  durationMs: number;
  report?: InvocationReport;
}

/** `throttled`: the function is at its concurrency limit; nothing ran. */
export type InvocationOutcome =
  | (OutcomeBase & { status: 'ok'; value: unknown })
  | (OutcomeBase & { status: 'error' | 'timeout'; error: FunctionErrorPayload })
  | (OutcomeBase & { status: 'throttled'; error: FunctionErrorPayload });

type Handler = (event: unknown, context: unknown) => unknown;

const TIMED_OUT = Symbol('timed out');

export interface FunctionHost {
  has(name: string): boolean;
  get(name: string): HostedFunction | undefined;
  list(): HostedFunction[];
  invoke(name: string, event: unknown, requestId?: string): Promise<InvocationOutcome>;
}

/** One invocation under the function's timeout; a timed-out handler is left running, unobserved. */
async function run(
  fn: HostedFunction,
  handler: Handler,
  event: unknown,
  requestId: string,
  started: number,
): Promise<InvocationOutcome> {
  const elapsed = () => performance.now() - started;
  const timeoutMs = fn.timeoutSeconds * 1000;
  const context = createLambdaContext(fn.name, timeoutMs, requestId);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((done) => {
    timer = setTimeout(() => done(TIMED_OUT), timeoutMs);
  });
  const running = Promise.resolve().then(() => handler(event, context));
  running.catch(() => undefined);
  try {
    const value = await Promise.race([running, timedOut]);
    if (value !== TIMED_OUT) return { status: 'ok', value, requestId, durationMs: elapsed() };
    const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`;
    const error = { errorType: 'Sandbox.Timedout', errorMessage };
    return { status: 'timeout', error, requestId, durationMs: elapsed() };
  } catch (err) {
    return { status: 'error', error: errorPayload(err), requestId, durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

export function createFunctionHost(rootDir: string, functions: readonly HostedFunction[]): FunctionHost {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const modules = new Map<string, Promise<Handler>>();

  function load(fn: HostedFunction): Promise<Handler> {
    let pending = modules.get(fn.name);
    if (!pending) {
      pending = import(pathToFileURL(resolve(rootDir, fn.entry)).href).then((mod: { handler?: unknown }) => {
        if (typeof mod.handler !== 'function')
          throw new Error(`${fn.entry} does not export a handler function`);
        return mod.handler as Handler;
      });
      // A module that failed to load is tried again next time (the file may have been fixed).
      pending.catch(() => modules.delete(fn.name));
      modules.set(fn.name, pending);
    }
    return pending;
  }

  async function invoke(
    name: string,
    event: unknown,
    requestId: string = randomUUID(),
  ): Promise<InvocationOutcome> {
    const fn = byName.get(name);
    if (!fn) throw new Error(`Unknown function ${name}`);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let handler: Handler;
    try {
      handler = await load(fn);
    } catch (err) {
      return {
        status: 'error',
        error: errorPayload(err, 'Runtime.ImportModuleError'),
        requestId,
        durationMs: elapsed(),
      };
    }
    return run(fn, handler, event, requestId, started);
  }

  return {
    has: (name) => byName.has(name),
    get: (name) => byName.get(name),
    list: () => [...byName.values()],
    invoke,
  };
}
