// Child processes of a chaos run, started as `node --import tsx <entry>` directly (no npm/npx in
// between) so that SIGKILL reaches the process that holds the database or the gateway.
import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from '../../../infra/local/gateway.ts';

export interface Child {
  /** The first line matching `ready` the process printed on stdout. */
  readyLine: string;
  pid: number | undefined;
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  output(): string;
}

export async function spawnChild(
  entry: string,
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  // Keep draining both pipes for the child's whole life (a full pipe would block it), keeping the tail.
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a half-started server behind
      reject(new Error(`${entry} not ready in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const line = out.split('\n').find((l) => ready.test(l));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolve(line.trim());
    };
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code ?? signal}) before it was ready:\n${out}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
  return { readyLine, pid: child.pid, kill: (signal) => killChild(child, signal), output: () => out };
}

function killChild(child: ChildProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill(signal);
  });
}
