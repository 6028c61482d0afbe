// The local gateway serves /config.json as the deployed site does (the stack writes it to the bucket):
// the app finds its WebSocket API there, locally as in the cloud, and never gets a 404 or HTML for it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteConfigSchema } from '../../core/schemas.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { attachWebSocketApi } from '../../infra/local/websocket-api.ts';
import { fixtureInternal, fixtureRoutes } from './fixtures/routes.ts';

let gateway: LocalGateway;
let webRoot: string;

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'site-config-web-'));
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>app</title>');
  // A stale file of that name in the build must not shadow what the gateway knows.
  await writeFile(join(webRoot, 'config.json'), '{"webSocketUrl":"wss://stale.example/live"}');
  gateway = await createLocalGateway({
    port: 0,
    webRoot,
    routes: fixtureRoutes,
    internalFunctions: fixtureInternal,
  });
});

afterAll(async () => {
  await gateway?.close();
  await rm(webRoot, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, so that the Host header can be anything a client sends. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: gateway.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

function configOf(answer: Raw): unknown {
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['cache-control']).toBe('no-cache');
  expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
  const config = JSON.parse(answer.body) as unknown;
  expect(v.is(siteConfigSchema, config)).toBe(true);
  return config;
}

describe('/config.json', () => {
  it('says there is no WebSocket API while none is attached', async () => {
    expect(configOf(await get('/config.json'))).toEqual({ webSocketUrl: null });
  });

  it('names the attached WebSocket API on the host the browser used, and none once it stops', async () => {
    const ws = attachWebSocketApi(gateway);
    try {
      const port = gateway.port;
      expect(configOf(await get('/config.json'))).toEqual({ webSocketUrl: `ws://127.0.0.1:${port}/ws` });
      // The page's own origin: a page opened as localhost may only connect to localhost ('self').
      expect(configOf(await get('/config.json', { host: `localhost:${port}` }))).toEqual({
        webSocketUrl: `ws://localhost:${port}/ws`,
      });
      const other = attachWebSocketApi(gateway, { path: '/ws-other' });
      expect(configOf(await get('/config.json'))).toEqual({
        webSocketUrl: `ws://127.0.0.1:${port}/ws-other`,
      });
      await other.stop();
      expect(configOf(await get('/config.json'))).toEqual({ webSocketUrl: `ws://127.0.0.1:${port}/ws` });
    } finally {
      await ws.stop();
    }
    expect(configOf(await get('/config.json'))).toEqual({ webSocketUrl: null });
  });

  it('never echoes a malformed Host header into the URL', async () => {
    const ws = attachWebSocketApi(gateway);
    try {
      for (const host of ['evil"}/x', 'a b', 'x/y', '@attacker.example', '']) {
        expect(configOf(await get('/config.json', { host }))).toEqual({
          webSocketUrl: `ws://127.0.0.1:${gateway.port}/ws`,
        });
      }
    } finally {
      await ws.stop();
    }
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await get('/config.json', {}, 'HEAD');
    expect([head.status, head.headers['content-type'], head.body]).toEqual([200, 'application/json', '']);
    const post = await get('/config.json', {}, 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
  });
});
