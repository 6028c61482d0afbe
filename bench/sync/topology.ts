// The processes the sync benchmark runs, as a deployment would: the database in one process (the
// embedded server, in memory), the app (`npm start`: gateway + every handler) in another, and the
// simulated devices in this one. Everything in one process would measure one busy event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/gateway.ts';
import { freePort, spawnLocalApp } from '../../infra/local/start-process.ts';

export interface Topology {
  url: string;
  mongoUri: string;
  dbName: string;
  stop(): Promise<void>;
}

export async function startDatabase(): Promise<{ uri: string; child: ChildProcess }> {
  const port = await freePort();
  // One process (no npx/tsx wrapper in between), so stopping it stops the server itself.
  const args = ['--import', 'tsx', 'infra/local/mongo/cli.ts', '--memory', '--quiet', '--port', String(port)];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('mongodb://'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`database exited (${code}) before it listened`)));
  });
  return { uri, child };
}

/** SIGTERM, and SIGKILL if it has not exited within 5 s: a benchmark must never leave a server behind. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

export async function startTopology(): Promise<Topology> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-sync-'));
  const database = await startDatabase();
  const dbName = 'bench_sync';
  try {
    const app = await spawnLocalApp({
      dataDir,
      env: { MONGODB_URI: database.uri, MONGODB_DB: dbName, WEB_DIST_DIR: join(dataDir, 'web') },
    });
    return {
      url: app.url,
      mongoUri: database.uri,
      dbName,
      async stop() {
        await app.stop();
        await stopChild(database.child);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopChild(database.child);
    throw err;
  }
}
