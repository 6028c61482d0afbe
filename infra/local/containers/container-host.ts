// Runs each function in containers of its own, as Lambda scales a function: a request takes a warm
// (frozen) container when one is idle, else starts a new one, up to the function's concurrency
// limit; beyond it the request is throttled. Idle containers are reaped after `idleMs`.
// Provisioned concurrency, as Lambda's: `provision()` initializes that many containers of a function
// ahead of any request; they are never reaped, their first invocation has no Init Duration, and
// requests beyond them start on-demand containers as above. One that dies is not replaced.
//
//   request ─► idle container? ─yes─► thaw, invoke, freeze ─► idle again (reaped after idleMs)
//                    │no
//                    ▼
//              below the limit? ─yes─► start (init timed) ─► invoke …
//                    │no
//                    ▼
//              throttled (Invoke API: 429 TooManyRequestsException, HTTP API: 503)
//
// Every invocation logs Lambda's START / END / REPORT lines, with Init Duration on a cold start.
import { randomUUID } from 'node:crypto';
import type { FunctionHost, HostedFunction, InvocationOutcome } from '../function-host.ts';
import { type Container, type ContainerAnswer, ContainerInitError, startContainer } from './container.ts';
import { startOrphanGuard } from './orphan-guard.ts';

/** AWS's default concurrency for one account and region, the limit of a function without a reservation. */
export const ACCOUNT_CONCURRENCY = 1000;
export const DEFAULT_IDLE_MS = 5 * 60_000;

export interface ContainerFunction extends HostedFunction {
  memoryMb: number;
  /** `ReservedConcurrentExecutions`, when the template reserves any. */
  reservedConcurrency?: number;
  /** Containers initialized by `provision()` and kept (at most the reserved concurrency). */
  provisionedConcurrency?: number;
  /** Lambda `Handler`: `<name>/index.handler`, relative to the bundle directory. */
  handler: string;
}

export interface ContainerHostOptions {
  functions: readonly ContainerFunction[];
  bundleDir: string;
  runtimePath: string;
  /**
   * The whole environment of a new container of `fn`: the template's variables plus what Lambda
   * itself sets (region, credentials, endpoints). Asked at each start, when the endpoints are known.
   */
  environmentOf: (fn: ContainerFunction) => Record<string, string>;
  idleMs?: number;
  /** Init's own limit; default Lambda's 10 s (container.ts). */
  initTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ContainerStats {
  /** Live containers per function, busy or idle. */
  containers: Record<string, number>;
  /** Of those, the provisioned ones. */
  provisioned: Record<string, number>;
  idle: Record<string, number>;
  /** Init durations of every container started so far, per function. */
  initMs: Record<string, number[]>;
}

export interface ContainerHost extends FunctionHost {
  /** Starts every function's provisioned containers; resolves once all are initialized. */
  provision(): Promise<void>;
  stats(): ContainerStats;
  /** Kills every container. */
  stop(): void;
}

interface Pool {
  fn: ContainerFunction;
  /** A provisioned container has no reaper. */
  idle: Array<{ container: Container; reap?: NodeJS.Timeout }>;
  provisioned: Set<Container>;
  /** Started or starting, busy or idle. */
  count: number;
  inits: number[];
}

const THROTTLED = {
  errorType: 'TooManyRequestsException',
  errorMessage: 'Rate Exceeded.',
};

export function reportLine(outcome: InvocationOutcome): string {
  const r = outcome.report;
  const parts = [
    `REPORT RequestId: ${outcome.requestId}`,
    `Duration: ${outcome.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(outcome.durationMs))} ms`,
    ...(r ? [`Memory Size: ${r.memoryMb} MB`, `Max Memory Used: ${r.maxMemoryUsedMb} MB`] : []),
    ...(r?.initMs !== undefined ? [`Init Duration: ${r.initMs.toFixed(2)} ms`] : []),
  ];
  return parts.join('\t');
}

export function createContainerHost(opts: ContainerHostOptions): ContainerHost {
  const idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
  const log = opts.log ?? ((line: string) => console.log(line));
  const pools = new Map<string, Pool>(
    opts.functions.map((fn) => [fn.name, { fn, idle: [], provisioned: new Set(), count: 0, inits: [] }]),
  );
  const limitOf = (fn: ContainerFunction) => fn.reservedConcurrency ?? ACCOUNT_CONCURRENCY;
  const live = new Set<Container>();
  const guard = startOrphanGuard();

  function release(pool: Pool, container: Container): void {
    if (!container.alive) {
      pool.count -= 1;
      live.delete(container);
      pool.provisioned.delete(container);
      return;
    }
    if (pool.provisioned.has(container)) {
      pool.idle.push({ container });
      return;
    }
    const reap = setTimeout(() => {
      pool.idle = pool.idle.filter((entry) => entry.container !== container);
      pool.count -= 1;
      live.delete(container);
      container.kill();
    }, idleMs);
    reap.unref();
    // Most recently used first, as Lambda prefers the warmest sandbox.
    pool.idle.push({ container, reap });
  }

  async function acquire(pool: Pool): Promise<{ container: Container; initMs?: number } | 'throttled'> {
    const warm = pool.idle.pop();
    if (warm) {
      clearTimeout(warm.reap);
      return { container: warm.container };
    }
    if (pool.count >= limitOf(pool.fn)) return 'throttled';
    const container = await start(pool);
    return { container, initMs: container.initMs };
  }

  async function start(pool: Pool): Promise<Container> {
    pool.count += 1;
    try {
      const container = await startContainer({
        runtimePath: opts.runtimePath,
        cwd: opts.bundleDir,
        env: opts.environmentOf(pool.fn),
        timeoutMs: pool.fn.timeoutSeconds * 1000,
        ...(opts.initTimeoutMs !== undefined ? { initTimeoutMs: opts.initTimeoutMs } : {}),
        guard,
      });
      pool.inits.push(container.initMs);
      live.add(container);
      return container;
    } catch (err) {
      pool.count -= 1;
      throw err;
    }
  }

  async function provision(pool: Pool): Promise<void> {
    const wanted = Math.min(pool.fn.provisionedConcurrency ?? 0, limitOf(pool.fn)) - pool.provisioned.size;
    const starts = await Promise.allSettled(Array.from({ length: Math.max(0, wanted) }, () => start(pool)));
    for (const started of starts) {
      if (started.status === 'rejected') throw started.reason;
      pool.provisioned.add(started.value);
      pool.idle.push({ container: started.value });
    }
  }

  function outcomeOf(answer: ContainerAnswer, base: { requestId: string; durationMs: number }) {
    if (answer.status === 'ok') return { ...base, status: 'ok' as const, value: answer.value };
    return { ...base, status: answer.status, error: answer.error };
  }

  async function invoke(name: string, event: unknown, requestId = randomUUID()): Promise<InvocationOutcome> {
    const pool = pools.get(name);
    if (!pool) throw new Error(`Unknown function ${name}`);
    const { fn } = pool;
    let acquired: Awaited<ReturnType<typeof acquire>>;
    try {
      acquired = await acquire(pool);
    } catch (err) {
      if (!(err instanceof ContainerInitError)) throw err;
      const report = { memoryMb: fn.memoryMb, maxMemoryUsedMb: 0, initMs: err.initMs };
      const outcome = { status: 'error' as const, error: err.payload, requestId, durationMs: 0, report };
      logInvocation(fn, outcome);
      return outcome;
    }
    if (acquired === 'throttled') return { status: 'throttled', error: THROTTLED, requestId, durationMs: 0 };
    const started = performance.now();
    // A cold start whose init ran past its limit spent that much of this invocation's timeout.
    const overtime = acquired.initMs !== undefined ? acquired.container.initOvertimeMs : 0;
    if (overtime > 0) log(`[${fn.name}] INIT_REPORT Init Duration: ${overtime.toFixed(2)} ms\tPhase: invoke`);
    const answer = await acquired.container.invoke(requestId, event, fn.timeoutSeconds * 1000 - overtime);
    release(pool, acquired.container);
    const maxMemoryUsedMb = 'maxRssMb' in answer ? (answer.maxRssMb ?? 0) : 0;
    const report = {
      memoryMb: fn.memoryMb,
      maxMemoryUsedMb,
      ...(acquired.initMs !== undefined ? { initMs: acquired.initMs } : {}),
    };
    const outcome = outcomeOf(answer, { requestId, durationMs: performance.now() - started });
    const full: InvocationOutcome = { ...outcome, report };
    logInvocation(fn, full);
    return full;
  }

  function logInvocation(fn: ContainerFunction, outcome: InvocationOutcome): void {
    const id = outcome.requestId;
    log(`[${fn.name}] START RequestId: ${id} Version: $LATEST`);
    if (outcome.status === 'timeout' || outcome.status === 'error')
      log(`[${fn.name}] ${outcome.error.errorMessage}`);
    log(`[${fn.name}] END RequestId: ${id}`);
    log(`[${fn.name}] ${reportLine(outcome)}`);
  }

  const byName = new Map(opts.functions.map((fn) => [fn.name, fn]));
  return {
    has: (name) => byName.has(name),
    get: (name) => byName.get(name),
    list: () => [...byName.values()],
    invoke,
    provision: async () => {
      await Promise.all([...pools.values()].map(provision));
    },
    stats: () => ({
      containers: Object.fromEntries([...pools].map(([name, pool]) => [name, pool.count])),
      provisioned: Object.fromEntries([...pools].map(([name, pool]) => [name, pool.provisioned.size])),
      idle: Object.fromEntries([...pools].map(([name, pool]) => [name, pool.idle.length])),
      initMs: Object.fromEntries([...pools].map(([name, pool]) => [name, [...pool.inits]])),
    }),
    stop() {
      for (const pool of pools.values()) {
        for (const { reap } of pool.idle) clearTimeout(reap);
        pool.idle = [];
        pool.provisioned.clear();
        pool.count = 0;
      }
      // Killed here, so the guard is told to forget them: it must never signal a pid reused meanwhile.
      for (const container of live) {
        container.kill();
        if (container.pid !== undefined) guard.untrack(container.pid);
      }
      live.clear();
      guard.stop();
    },
  };
}
