// Runs `npm start` as a child process (its own process group) and waits until /api/health says
// healthy: for the start-up test, the gateway benchmark and anything that must restart the app.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { REPO_ROOT } from './gateway.ts';

export interface LocalAppProcess {
  url: string;
  child: ChildProcess;
  /** From spawn to the first healthy answer. */
  readyMs: number;
  output(): string;
  /**
   * SIGTERM to the whole process group (as Ctrl-C in a terminal does); SIGKILL after 10 s.
   * Resolves once npm has exited; `forced` tells whether it had to be killed.
   */
  stop(): Promise<{ forced: boolean }>;
}

export interface SpawnOptions {
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function stopGroup(child: ChildProcess): Promise<{ forced: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ forced: false });
  return new Promise((done) => {
    let forced = false;
    const force = setTimeout(() => {
      forced = true;
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    }, 10_000);
    // 'close', not 'exit': npm may exit on SIGTERM before the app under it has written its last lines
    // and stopped; the pipes close only once every process of the group holding them is gone.
    child.once('close', () => {
      clearTimeout(force);
      done({ forced });
    });
    process.kill(-(child.pid ?? 0), 'SIGTERM');
  });
}

export async function spawnLocalApp(opts: SpawnOptions): Promise<LocalAppProcess> {
  const port = opts.port ?? (await freePort());
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), DATA_DIR: opts.dataDir, ...opts.env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const app: LocalAppProcess = { url, child, readyMs: 0, output: () => output, stop: () => stopGroup(child) };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!(await isHealthy(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await app.stop();
      throw new Error(`npm start did not become healthy (exit ${child.exitCode}):\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  app.readyMs = performance.now() - started;
  return app;
}
