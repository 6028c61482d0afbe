// The local Lambda Invoke API and WebSocket Management API are AWS APIs on a loopback port: only a
// caller holding the local credentials may use them, never a web page (cross-origin "simple" requests
// need no preflight) and never through a DNS-rebound host name.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  GoneException,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../infra/cloud/content-security-policy.ts';
import { EXIT, runInvoke } from '../../infra/invoke/cli.ts';
import { createLocalGateway, type LocalGateway } from '../../infra/local/gateway.ts';
import { Sha256 } from '../../infra/local/sigv4.ts';
import { attachWebSocketApi, type LocalWebSocketApi } from '../../infra/local/websocket-api.ts';
import { fixtureInternal, fixtureRoutes } from './fixtures/routes.ts';

let gateway: LocalGateway;
let ws: LocalWebSocketApi;
let webRoot: string;

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), 'lockdown-web-'));
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>app</title>');
  gateway = await createLocalGateway({
    port: 0,
    webRoot,
    routes: fixtureRoutes,
    internalFunctions: fixtureInternal,
  });
  ws = await attachWebSocketApi(gateway);
});

afterAll(async () => {
  await ws?.stop();
  await gateway?.close();
  await rm(webRoot, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(method: string, path: string, headers: Record<string, string>, body = ''): Promise<Raw> {
  const { port } = gateway;
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', fail);
    req.end(body);
  });
}

const forgedEvent = JSON.stringify({
  requestContext: { authorizer: { lambda: { userId: 'victim-user-id' } } },
});
const invokePath = '/2015-03-31/functions/echo/invocations';

/** What the SDK would send, signed with `credentials` for `host`. */
async function signed(
  host: string,
  credentials = gateway.credentials,
  body = forgedEvent,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'lambda',
    sha256: Sha256,
  });
  const out = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: host.split(':')[0] ?? host,
    path: invokePath,
    query: {},
    headers: { host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return out.headers;
}

const expectJsonError = (res: Raw, status: number) => {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/json');
  expect(() => JSON.parse(res.body)).not.toThrow();
  expect(res.body).not.toContain('victim-user-id');
};

describe('the Invoke API refuses web pages', () => {
  it('refuses a cross-origin text/plain Invoke carrying a forged authorizer userId', async () => {
    const res = await raw(
      'POST',
      invokePath,
      { 'content-type': 'text/plain', origin: 'https://evil.example' },
      forgedEvent,
    );
    expectJsonError(res, 403);
  });

  it('refuses a request a browser marks as not user-initiated (Sec-Fetch-Site)', async () => {
    const headers = await signed(`127.0.0.1:${gateway.port}`);
    const res = await raw('POST', invokePath, { ...headers, 'sec-fetch-site': 'same-origin' }, forgedEvent);
    expectJsonError(res, 403);
  });

  it('refuses an unsigned request without an Origin (curl, a form post)', async () => {
    const res = await raw('POST', invokePath, { 'content-type': 'application/json' }, forgedEvent);
    expectJsonError(res, 403);
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
  });

  it('refuses a correctly signed request to a rebound host name', async () => {
    const host = 'rebind.evil.example';
    const res = await raw('POST', invokePath, await signed(host), forgedEvent);
    expect([421, 403]).toContain(res.status);
    expectJsonError(res, res.status);
  });

  it('refuses a signature made with another secret', async () => {
    const wrong = { accessKeyId: gateway.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    const res = await raw('POST', invokePath, await signed(`127.0.0.1:${gateway.port}`, wrong), forgedEvent);
    expectJsonError(res, 403);
    expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
  });

  it('refuses an unknown access key', async () => {
    const other = { accessKeyId: 'AKIAOTHER', secretAccessKey: gateway.credentials.secretAccessKey };
    const res = await raw('POST', invokePath, await signed(`127.0.0.1:${gateway.port}`, other), forgedEvent);
    expectJsonError(res, 403);
    expect(res.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
  });

  it('refuses a body changed after signing', async () => {
    const headers = await signed(`127.0.0.1:${gateway.port}`);
    const tampered = forgedEvent.replace('victim', 'VICTIM');
    const res = await raw('POST', invokePath, headers, tampered);
    expectJsonError(res, 403);
  });

  it('runs a signed request with the local credentials', async () => {
    const res = await raw('POST', invokePath, await signed(`127.0.0.1:${gateway.port}`), forgedEvent);
    expect(res.status).toBe(200);
  });
});

describe('@aws-sdk clients with the local credentials keep working', () => {
  it('invokes and lists functions through @aws-sdk/client-lambda', async () => {
    for (const endpoint of [gateway.url, `http://localhost:${gateway.port}`]) {
      const lambda = new LambdaClient({
        endpoint,
        region: 'us-east-1',
        credentials: gateway.credentials,
        maxAttempts: 1,
      });
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{}') }));
      expect(out.StatusCode).toBe(200);
      const list = await lambda.send(new ListFunctionsCommand({}));
      expect(list.Functions?.map((f) => f.FunctionName)).toContain('echo');
      lambda.destroy();
    }
  });

  it('reaches the Management API through @aws-sdk/client-apigatewaymanagementapi', async () => {
    const api = new ApiGatewayManagementApiClient({
      endpoint: ws.managementEndpoint,
      region: 'us-east-1',
      credentials: gateway.credentials,
      maxAttempts: 1,
    });
    await expect(api.send(new GetConnectionCommand({ ConnectionId: 'no-such=' }))).rejects.toBeInstanceOf(
      GoneException,
    );
    api.destroy();
  });
});

describe('the Management API refuses web pages', () => {
  for (const method of ['POST', 'GET', 'DELETE']) {
    it(`refuses ${method} @connections from a page`, async () => {
      const res = await raw(
        method,
        '/ws/@connections/some-id',
        { 'content-type': 'text/plain', origin: 'https://evil.example' },
        method === 'POST' ? '{"type":"poke"}' : '',
      );
      expectJsonError(res, 403);
    });
  }

  it('refuses an unsigned @connections POST and a rebound host', async () => {
    expectJsonError(await raw('POST', '/ws/@connections/some-id', {}, 'hi'), 403);
    const rebound = await raw('GET', '/ws/@connections/some-id', { host: 'rebind.evil.example' });
    expect([421, 403]).toContain(rebound.status);
  });
});

describe('npm run invoke -- --local', () => {
  it('says where the local credentials come from when there are none', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lockdown-no-credentials-'));
    let err = '';
    const code = await runInvoke(['echo', '--local', gateway.url], {
      out: () => undefined,
      err: (text) => (err += text),
      env: { DATA_DIR: dataDir },
      knownFunctions: ['echo'],
    });
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('npm start');
    expect(err).toContain(join(dataDir, 'local-credentials.json'));
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe('the static site', () => {
  it('serves the security headers the CloudFront response headers policy adds', async () => {
    const res = await raw('GET', '/', {});
    expect(res.status).toBe(200);
    const expected = securityHeaders({ webSocketOrigin: undefined, https: false });
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(4);
    for (const [name, value] of Object.entries(expected)) expect(res.headers[name]).toBe(value);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });
});
