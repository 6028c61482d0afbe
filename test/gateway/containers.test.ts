// The container runtime against the in-process mode, on fixture functions that each hide a bug only
// a Lambda-like runtime shows. Each fixture works in-process (the bug passes unnoticed) and fails in
// container mode, as it would on AWS; then the lifecycle: warm reuse, freezing, REPORT lines,
// timeouts, crashes, throttling and reaping.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContainerRuntime,
  type ContainerRuntimeOptions,
  prepareContainerRuntime,
} from '../../infra/local/containers/container-runtime.ts';
import { createLocalGateway, type LocalGateway, REPO_ROOT } from '../../infra/local/gateway.ts';
import { localDatabase } from '../../infra/local/runtime-mode.ts';
import { SYNTH_TIMEOUT_MS } from '../infra/synth-stack.ts';
import { containerFixtureTable } from './fixtures/containers/table.ts';

const table = containerFixtureTable;
let inProcess: LocalGateway;
let containers: LocalGateway;
let runtime: ContainerRuntime;
let scratch: string;
const logs: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'containers-test-'));
  inProcess = await createLocalGateway({
    port: 0,
    routes: table.httpRoutes,
    internalFunctions: [],
    // Set in the developer's shell: the in-process functions see it, deployed ones never do.
    env: { FIXTURE_GREETING: 'hello from the shell' },
  });
  runtime = await prepareContainerRuntime({
    projectRoot: REPO_ROOT,
    table,
    mongoUri: 'mongodb://127.0.0.1:9/unused',
    log: (line) => logs.push(line),
  });
  containers = await createLocalGateway({
    port: 0,
    routes: table.httpRoutes,
    internalFunctions: [],
    functionHost: runtime.host,
  });
  await runtime.attach(containers);
}, SYNTH_TIMEOUT_MS);

afterAll(async () => {
  runtime?.stop();
  await inProcess?.close();
  await containers?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function get(gateway: LocalGateway, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${gateway.url}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('bugs the in-process mode hides and the containers show', () => {
  it('a bundle importing what Lambda does not provide fails to load', async () => {
    expect((await get(inProcess, '/api/fixture/missing-import')).status).toBe(200);
    expect((await get(containers, '/api/fixture/missing-import')).status).toBe(500);
    expect(logs.join('\n')).toMatch(/Cannot find (package|module) 'socks'/);
  });

  it('a function reading an environment variable the template does not give it', async () => {
    expect(await get(inProcess, '/api/fixture/env-reader')).toMatchObject({ status: 200 });
    expect((await get(containers, '/api/fixture/env-reader')).status).toBe(500);
  });

  it('a function reading module state another function wrote', async () => {
    for (const gateway of [inProcess, containers])
      expect((await get(gateway, '/api/fixture/state-write')).status).toBe(204);
    expect((await get(inProcess, '/api/fixture/state-read')).status).toBe(200);
    expect((await get(containers, '/api/fixture/state-read')).status).toBe(500);
  });

  it('a timer set during one request runs, at the earliest, in the next one', async () => {
    const setTimer = async (gateway: LocalGateway, name: string) => {
      const file = join(scratch, name);
      expect((await get(gateway, `/api/fixture/late-timer?file=${encodeURIComponent(file)}`)).status).toBe(
        202,
      );
      return file;
    };
    const inProcessFile = await setTimer(inProcess, 'in-process');
    expect(await eventually(() => existsSync(inProcessFile))).toBe(true);
    const containerFile = await setTimer(containers, 'container');
    // Far past the 250 ms the timer was due (and the freeze, well inside them); frozen, it cannot run.
    await new Promise((done) => setTimeout(done, 1_500));
    expect(existsSync(containerFile)).toBe(false);
    // Thawed for the next invocation, the container runs the overdue timer.
    expect((await get(containers, '/api/fixture/late-timer')).status).toBe(202);
    expect(await eventually(() => existsSync(containerFile))).toBe(true);
  });
});

/** Polls `check` until it holds or `timeoutMs` passed (the machine may be busy); answers the last result. */
async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((done) => setTimeout(done, 25));
  return check();
}

interface Probe {
  pid: number;
  invocations: number;
  envNames: string[];
  database?: string;
  memoryLimitInMB: string;
}

const probe = async (gateway: LocalGateway, query = ''): Promise<Probe> => {
  const res = await get(gateway, `/api/fixture/probe${query}`);
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as Probe;
};

describe('the container lifecycle', () => {
  it('runs each function in a process of its own with only the environment the template and Lambda give', async () => {
    const inside = await probe(containers);
    expect(inside.pid).not.toBe(process.pid);
    expect(inside.envNames).toContain('APP_FUNCTION_NAME');
    expect(inside.envNames).toContain('AWS_LAMBDA_FUNCTION_NAME');
    expect(inside.envNames).not.toContain('VITEST');
    expect(inside.envNames).not.toContain('FIXTURE_GREETING');
    expect(inside.memoryLimitInMB).toBe('512');
    expect(inside.database).toMatch(/^routine_sync_/);
  });

  it('reuses a warm container and logs Init Duration only on its cold start', async () => {
    const before = logs.length;
    const first = await probe(containers);
    const second = await probe(containers);
    expect(second.pid).toBe(first.pid);
    expect(second.invocations).toBe(first.invocations + 1);
    const reports = logs.slice(before).filter((line) => line.includes('REPORT RequestId:'));
    expect(reports).toHaveLength(2);
    for (const line of reports)
      expect(line).toMatch(
        /Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 512 MB\tMax Memory Used: \d+ MB/,
      );
    expect(reports.some((line) => line.includes('Init Duration'))).toBe(false);
    expect(logs.some((line) => /probe\] REPORT .*Init Duration: [\d.]+ ms/.test(line))).toBe(true);
  });

  it('starts another container for a concurrent request', async () => {
    const [a, b] = await Promise.all([probe(containers, '?waitMs=300'), probe(containers, '?waitMs=300')]);
    expect(a.pid).not.toBe(b.pid);
  });

  it('kills a container whose invocation times out, and starts a fresh one next time', async () => {
    const { containers: live, idle } = runtime.host.stats();
    const before = live.probe ?? 0;
    expect((await get(containers, '/api/fixture/probe?waitMs=5000')).status).toBe(504);
    expect(logs.join('\n')).toContain('Task timed out after 2.00 seconds');
    // A warm container was taken and killed, or a new one was started and killed.
    expect(runtime.host.stats().containers.probe).toBe((idle.probe ?? 0) > 0 ? before - 1 : before);
    expect((await probe(containers)).invocations).toBeGreaterThanOrEqual(1);
  });

  it('keeps an answer given in time that the gateway, too busy to run, reads after the timeout', async () => {
    await probe(containers);
    const answer = runtime.host.invoke('probe', {});
    // By setImmediate the warm container has been thawed and sent the event. The gateway's event
    // loop is then held past the 2 s timeout, as on a starved machine, while the container answers.
    await new Promise<void>((done) =>
      setImmediate(() => {
        const until = Date.now() + 3_000;
        while (Date.now() < until);
        done();
      }),
    );
    expect((await answer).status).toBe('ok');
  });

  it('answers a crash mid-invocation with Runtime.ExitError and replaces the container', async () => {
    expect((await get(containers, '/api/fixture/probe?exit=1')).status).toBe(500);
    expect(logs.join('\n')).toContain('Runtime exited with error: exit status 3');
    expect((await probe(containers)).invocations).toBeGreaterThanOrEqual(1);
  });
});

/** A container runtime of the fixture table behind a gateway of its own, for one block's tests. */
function useFixtureRuntime(options: Partial<ContainerRuntimeOptions>): {
  runtime: ContainerRuntime;
  gateway: LocalGateway;
} {
  const started = {} as { runtime: ContainerRuntime; gateway: LocalGateway };
  beforeAll(async () => {
    started.runtime = await prepareContainerRuntime({
      projectRoot: REPO_ROOT,
      table,
      mongoUri: 'mongodb://127.0.0.1:9/unused',
      log: () => undefined,
      ...options,
    });
    started.gateway = await createLocalGateway({
      port: 0,
      routes: table.httpRoutes,
      internalFunctions: [],
      functionHost: started.runtime.host,
    });
    await started.runtime.attach(started.gateway);
  }, SYNTH_TIMEOUT_MS);
  afterAll(async () => {
    started.runtime?.stop();
    await started.gateway?.close();
  });
  return started;
}

describe('concurrency limits and reaping', () => {
  const started = useFixtureRuntime({ idleMs: 200, reservedConcurrency: { probe: 1 } });

  it('throttles beyond the reserved concurrency: 503 through the HTTP API, 429 on Invoke', async () => {
    const busy = get(started.gateway, '/api/fixture/probe?waitMs=800');
    // The first request holds the only container; wait until it is running.
    while (started.runtime.host.stats().containers.probe !== 1)
      await new Promise((done) => setTimeout(done, 20));
    expect((await get(started.gateway, '/api/fixture/probe')).status).toBe(503);
    const lambda = new LambdaClient({
      endpoint: started.gateway.url,
      region: 'us-east-1',
      credentials: started.gateway.credentials,
      maxAttempts: 1,
    });
    const call = lambda.send(new InvokeCommand({ FunctionName: 'probe', Payload: Buffer.from('{}') }));
    await expect(call).rejects.toBeInstanceOf(TooManyRequestsException);
    lambda.destroy();
    expect((await busy).status).toBe(200);
  });

  it('reaps idle containers after the idle time', async () => {
    await probe(started.gateway);
    expect(started.runtime.host.stats().containers.probe).toBe(1);
    while (started.runtime.host.stats().containers.probe !== 0)
      await new Promise((done) => setTimeout(done, 50));
    expect(started.runtime.host.stats().containers.probe).toBe(0);
  });
});

describe('provisioned concurrency', () => {
  const lines: string[] = [];
  const started = useFixtureRuntime({
    idleMs: 200,
    reservedConcurrency: { probe: 3 },
    provisionedConcurrency: { probe: 2 },
    log: (line) => lines.push(line),
  });

  it('initializes the containers before the first request, which then logs no Init Duration', async () => {
    const stats = started.runtime.host.stats();
    expect(stats.provisioned.probe).toBe(2);
    expect(stats.idle.probe).toBe(2);
    expect(stats.initMs.probe).toHaveLength(2);
    const [a, b] = await Promise.all([
      probe(started.gateway, '?waitMs=300'),
      probe(started.gateway, '?waitMs=300'),
    ]);
    expect([a.invocations, b.invocations]).toEqual([1, 1]);
    const reports = lines.filter((line) => line.includes('REPORT RequestId:'));
    expect(reports).toHaveLength(2);
    expect(reports.some((line) => line.includes('Init Duration'))).toBe(false);
  });

  it('keeps them past the idle time, while an on-demand container beyond them is reaped', async () => {
    await Promise.all([1, 2, 3].map(() => probe(started.gateway, '?waitMs=300')));
    expect(started.runtime.host.stats().containers.probe).toBe(3);
    expect(lines.filter((line) => line.includes('Init Duration'))).toHaveLength(1);
    while (started.runtime.host.stats().containers.probe !== 2)
      await new Promise((done) => setTimeout(done, 50));
    await new Promise((done) => setTimeout(done, 600));
    expect(started.runtime.host.stats()).toMatchObject({
      containers: { probe: 2 },
      provisioned: { probe: 2 },
    });
  });

  it('refuses more than the reserved concurrency, a count below one and an unknown function', async () => {
    const refused = (provisionedConcurrency: Record<string, number>) =>
      prepareContainerRuntime({
        projectRoot: REPO_ROOT,
        table,
        mongoUri: 'mongodb://127.0.0.1:9/unused',
        reservedConcurrency: { probe: 1 },
        provisionedConcurrency,
      });
    await expect(refused({ probe: 2 })).rejects.toThrow(/exceeds its reserved concurrency \(1\)/);
    await expect(refused({ probe: 0 })).rejects.toThrow(/must be a whole number from 1/);
    await expect(refused({ nope: 1 })).rejects.toThrow(/No function named "nope"/);
  });
});

describe('an init past its limit', () => {
  const lines: string[] = [];
  const started = useFixtureRuntime({ initTimeoutMs: 200, log: (line) => lines.push(line) });

  it('goes on within the first invocation’s timeout, as Lambda retries it, instead of failing', async () => {
    // The module takes 1 s to load against a 200 ms init limit and the function's 10 s timeout.
    expect(await get(started.gateway, '/api/fixture/slow-init')).toEqual({
      status: 200,
      body: 'initialized',
    });
    expect(lines.join('\n')).toMatch(/slow-init\] INIT_REPORT Init Duration: [\d.]+ ms\tPhase: invoke/);
  });
});

describe('a database picked by the test', () => {
  // Read as the in-process functions read it: the gateway's env, else the shell, else the default.
  const database = localDatabase({ MONGODB_URI: 'mongodb://127.0.0.1:9/unused', MONGODB_DB: 'picked' });
  const started = useFixtureRuntime({
    mongoUri: database.uri ?? '',
    ...(database.name ? { mongoDb: database.name } : {}),
  });

  it('replaces the stage’s MONGODB_DB in the containers’ environment', async () => {
    expect((await probe(started.gateway)).database).toBe('picked');
  });

  it('is the in-process default when neither the gateway nor the shell names one', () => {
    const saved = process.env.MONGODB_DB;
    delete process.env.MONGODB_DB;
    try {
      expect(localDatabase({}).name).toBe('routine_sync');
    } finally {
      if (saved !== undefined) process.env.MONGODB_DB = saved;
    }
  });
});

describe('a gateway that dies', () => {
  it(
    'takes its containers with it, even when SIGKILLed while they are frozen',
    async () => {
      const host = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/gateway/fixtures/containers/host-main.ts'],
        {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let output = '';
      host.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      expect(await eventually(() => /container-pid \d+/.test(output), 120_000)).toBe(true);
      const pid = Number(/container-pid (\d+)/.exec(output)?.[1]);
      expect(isRunning(pid)).toBe(true);
      host.kill('SIGKILL');
      expect(await eventually(() => !isRunning(pid), 30_000)).toBe(true);
    },
    SYNTH_TIMEOUT_MS,
  );
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
