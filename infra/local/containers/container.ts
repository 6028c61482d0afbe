// One container: a Node process of its own running one function's bundle (runtime.ts), with the
// environment the template gives that function and nothing of the gateway's.
//
//   start ──spawn──► init (import the bundle) ──ready──► frozen (SIGSTOP)
//                                                        │ ▲
//                        invoke: SIGCONT, run, answer ───┘ └── SIGSTOP once the answer is in
//   timeout, crash, reaping ──► SIGKILL (the container is gone; the next request starts a new one)
//
// Frozen means frozen: a timer or socket callback left by one invocation runs, at the earliest,
// when the next invocation thaws the process, as on Lambda.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { FunctionErrorPayload } from '../function-error.ts';
import type { OrphanGuard } from './orphan-guard.ts';
import type { HostMessage, RuntimeMessage } from './protocol.ts';

/**
 * Lambda gives the init phase (importing the handler module) 10 s; an init that takes longer is
 * tried again within the first invocation, under the function's timeout. Here the same init goes
 * on instead of starting over, and its time past the 10 s counts against that first invocation.
 */
export const INIT_TIMEOUT_MS = 10_000;

export interface ContainerSpec {
  /** The built runtime (runtime.mjs). */
  runtimePath: string;
  /** The complete environment of the process. */
  env: Record<string, string>;
  cwd: string;
  /** The function's timeout: what an init past `initTimeoutMs` may still use. */
  timeoutMs: number;
  /** Default INIT_TIMEOUT_MS. */
  initTimeoutMs?: number;
  guard?: OrphanGuard;
}

export type ContainerAnswer =
  | { status: 'ok'; value: unknown; maxRssMb: number }
  | { status: 'error'; error: FunctionErrorPayload; maxRssMb?: number }
  | { status: 'timeout'; error: FunctionErrorPayload };

export interface Container {
  readonly pid: number | undefined;
  readonly initMs: number;
  /** How long init ran past its own limit (0 if it did not): the first invocation has that much less. */
  readonly initOvertimeMs: number;
  readonly alive: boolean;
  invoke(requestId: string, event: unknown, timeoutMs: number): Promise<ContainerAnswer>;
  kill(): void;
}

export class ContainerInitError extends Error {
  override readonly name = 'ContainerInitError';
  constructor(
    readonly payload: FunctionErrorPayload,
    readonly initMs: number,
  ) {
    super(payload.errorMessage);
  }
}

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal: ${signal.toLowerCase()}` : `exit status ${code ?? 0}`;
}

function waitForInit(
  child: ChildProcess,
  started: number,
  limits: { initMs: number; timeoutMs: number },
): Promise<{ initMs: number; elapsedMs: number }> {
  return new Promise((done, fail) => {
    const elapsed = () => performance.now() - started;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      const errorMessage =
        `Init timed out after ${limits.initMs / 1000} s, and again within the function's ` +
        `${(limits.timeoutMs / 1000).toFixed(2)} s timeout`;
      fail(new ContainerInitError({ errorType: 'Runtime.InitTimeout', errorMessage }, elapsed()));
    }, limits.initMs + limits.timeoutMs);
    const settle = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: RuntimeMessage) => {
      settle();
      if (message.type === 'ready') return done({ initMs: message.initMs, elapsedMs: elapsed() });
      child.kill('SIGKILL');
      const error =
        message.type === 'init-error'
          ? message.error
          : { errorType: 'Runtime.InvalidMessage', errorMessage: 'unexpected message during init' };
      fail(new ContainerInitError(error, elapsed()));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      settle();
      const error = {
        errorType: 'Runtime.ExitError',
        errorMessage: `Runtime exited with error: ${exitText(code, signal)}`,
      };
      fail(new ContainerInitError(error, elapsed()));
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Whole lines only, so that lines of containers writing at once never interleave. */
function relayLines(from: Readable, to: Writable): void {
  let pending = '';
  from.setEncoding('utf8');
  from.on('data', (text: string) => {
    const end = text.lastIndexOf('\n') + 1;
    if (end === 0) {
      pending += text;
      return;
    }
    to.write(pending + text.slice(0, end));
    pending = text.slice(end);
  });
  from.on('end', () => {
    if (pending) to.write(`${pending}\n`);
  });
}

export async function startContainer(spec: ContainerSpec): Promise<Container> {
  const started = performance.now();
  const child = spawn(process.execPath, [spec.runtimePath], {
    env: spec.env,
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Relayed through the gateway's own streams, as Lambda's runtime collects a function's output:
  // whoever reads the gateway's logs (a developer, a test) reads the functions' too.
  if (child.stdout) relayLines(child.stdout, process.stdout);
  if (child.stderr) relayLines(child.stderr, process.stderr);
  let alive = true;
  const pid = child.pid;
  if (pid !== undefined) spec.guard?.track(pid);
  child.once('exit', () => {
    alive = false;
    if (pid !== undefined) spec.guard?.untrack(pid);
  });
  // A send to a process that just died fails here; its 'exit' answers the invocation.
  child.on('error', () => undefined);
  const kill = () => {
    alive = false;
    child.kill('SIGKILL');
  };
  const initLimitMs = spec.initTimeoutMs ?? INIT_TIMEOUT_MS;
  const init = await waitForInit(child, started, { initMs: initLimitMs, timeoutMs: spec.timeoutMs });
  child.kill('SIGSTOP');

  function invoke(requestId: string, event: unknown, timeoutMs: number): Promise<ContainerAnswer> {
    return new Promise((done) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (answer: ContainerAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (alive) child.kill('SIGSTOP');
        done(answer);
      };
      const onMessage = (message: RuntimeMessage) => {
        if (message.type === 'result' && message.requestId === requestId)
          finish({ status: 'ok', value: message.value, maxRssMb: message.maxRssMb });
        else if (message.type === 'error' && message.requestId === requestId)
          finish({ status: 'error', error: message.error, maxRssMb: message.maxRssMb });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const errorMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${exitText(code, signal)}`;
        finish({ status: 'error', error: { errorType: 'Runtime.ExitError', errorMessage } });
      };
      if (!alive) return onExit(child.exitCode, child.signalCode);
      const timeOut = () => {
        if (settled) return;
        kill();
        const seconds = (timeoutMs / 1000).toFixed(2);
        const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`;
        finish({ status: 'timeout', error: { errorType: 'Sandbox.Timedout', errorMessage } });
      };
      // On a busy machine this timer can fire long after it was due, in the same loop turn that has
      // the container's in-time answer waiting in the pipe: timers run before I/O is read, so the
      // kill waits for setImmediate, which runs after it. Lambda times the invocation, not the host.
      timer = setTimeout(() => setImmediate(timeOut), timeoutMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.kill('SIGCONT');
      const message: HostMessage = { type: 'invoke', requestId, event, deadline: Date.now() + timeoutMs };
      child.send(message);
    });
  }

  return {
    pid,
    initMs: init.initMs,
    initOvertimeMs: Math.max(0, init.elapsedMs - initLimitMs),
    get alive() {
      return alive;
    },
    invoke,
    kill,
  };
}
