// `npm start` from the repository, as a newcomer runs it: a fresh DATA_DIR, a free port, and a
// healthy /api/health; plus its two start-up failures (port taken, database unreachable).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/local/gateway.ts';
import { freePort, spawnLocalApp } from '../../infra/local/start-process.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs `npm start` expecting it to exit by itself. */
function startExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, ...env },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start', () => {
  it('serves a healthy API and the web app on the embedded database, and stops cleanly', async () => {
    const app = await spawnLocalApp({ dataDir, env: { WEB_DIST_DIR: join(dataDir, 'web') } });
    try {
      const health = await fetch(`${app.url}/api/health`);
      expect(await health.json()).toMatchObject({ ok: true, db: 'up' });
      const page = await fetch(`${app.url}/some/app/route`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(app.output()).toContain(`running at http://localhost:${new URL(app.url).port}`);
      expect(app.output()).toContain(join(dataDir, 'db'));
    } finally {
      expect(await app.stop()).toEqual({ forced: false });
    }
    expect(app.output()).toContain('SIGTERM: shutting down');
    expect(app.output()).not.toContain('exiting anyway');
    await expect(fetch(`${app.url}/api/health`)).rejects.toThrow();
  });

  it('exits 1 with one clear message when the port is taken', async () => {
    const blocker: Server = createServer();
    const port = await freePort();
    await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', done));
    try {
      const { code, output } = await startExpectingExit({ PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${port} is already in use`);
      expect(output).not.toContain('    at ');
    } finally {
      blocker.close();
    }
  });

  it('exits 1 with a clear error when MONGODB_URI is unreachable', async () => {
    const closed = await freePort();
    const { code, output } = await startExpectingExit({
      PORT: String(await freePort()),
      MONGODB_URI: `mongodb://127.0.0.1:${closed}/?directConnection=true`,
      WEB_DIST_DIR: join(dataDir, 'web-unreachable'),
    });
    expect(code).toBe(1);
    expect(output).toContain(`Cannot reach MongoDB at mongodb://127.0.0.1:${closed}`);
  });
});
