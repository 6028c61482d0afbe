// The Management API sender against a stand-in endpoint that records requests and answers scripted
// statuses: the post is PostToConnection as the SDK sends it (path, body, a SigV4 signature that
// verifies), and the outcomes (sent, gone, retried, refused) are those the fan-out relies on.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../functions/lib/realtime/aws-client-config.ts';
import {
  MAX_ATTEMPTS,
  managementSender,
  PostToConnectionError,
  retryDelayMs,
} from '../../functions/lib/realtime/connection-sender.ts';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  socket: object;
}

let server: Server;
let endpoint: string;
const requests: Recorded[] = [];
let statuses: number[] = [];
const saved = { id: process.env.AWS_ACCESS_KEY_ID, region: process.env.AWS_REGION };

beforeAll(async () => {
  // The local credentials (awsClientConfig) in a known region, whatever the shell has set.
  delete process.env.AWS_ACCESS_KEY_ID;
  process.env.AWS_REGION = 'eu-west-1';
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { method = '', url = '', headers, socket } = req;
      requests.push({ method, url, headers, body: Buffer.concat(chunks), socket });
      const status = statuses.shift() ?? 200;
      const body = status === 200 ? '' : JSON.stringify({ message: null });
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
});
afterAll(async () => {
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.region === undefined) delete process.env.AWS_REGION;
  else process.env.AWS_REGION = saved.region;
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});
beforeEach(() => {
  requests.length = 0;
  statuses = [];
});

const noWait = () => Promise.resolve();
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
// RFC 3986 unreserved characters only, as SigV4 wants.
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 verification as a service does it (secret "local"): answers whether the signature holds. */
function signatureHolds(r: Recorded): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
    String(r.headers.authorization),
  );
  if (!auth) return false;
  const [, credential = '', signedHeaders = '', signature] = auth;
  const [, date = '', region = '', service = ''] = credential.split('/');
  const amzDate = String(r.headers['x-amz-date']);
  // Every service but S3 encodes each path segment once more for the canonical URI.
  const canonicalUri = r.url.split('/').map(uriEncode).join('/');
  const headerLines = signedHeaders.split(';').map((h) => `${h}:${String(r.headers[h]).trim()}\n`);
  const canonical = ['POST', canonicalUri, '', headerLines.join(''), signedHeaders, sha256(r.body)];
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical.join('\n'))].join('\n');
  let key = hmac('AWS4local', date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

describe('managementSender', () => {
  it('posts the data to the connection as PostToConnection, SigV4-signed for execute-api', async () => {
    const id = 'L0SM9cOFvHcCIhw=+/';
    await expect(managementSender(endpoint).post(id, '{"type":"poke"}')).resolves.toBe('sent');
    await new ApiGatewayManagementApiClient(awsClientConfig(endpoint)).send(
      new PostToConnectionCommand({ ConnectionId: id, Data: new TextEncoder().encode('{"type":"poke"}') }),
    );
    const [ours, sdks] = requests;
    expect(ours?.method).toBe('POST');
    expect(ours?.url).toBe(sdks?.url);
    expect(ours?.url).toBe('/prod/@connections/L0SM9cOFvHcCIhw%3D%2B%2F');
    expect(ours?.body.toString()).toBe('{"type":"poke"}');
    expect(ours?.headers['content-type']).toBe(sdks?.headers['content-type']);
    expect(String(ours?.headers.authorization)).toContain('/eu-west-1/execute-api/aws4_request');
    expect(requests.map((r) => signatureHolds(r))).toEqual([true, true]);
  });

  it('a signature over other data does not hold (the verification can fail)', async () => {
    await managementSender(endpoint).post('abc', 'one');
    const [sent] = requests;
    if (!sent) throw new Error('nothing posted');
    expect(signatureHolds({ ...sent, body: Buffer.from('two') })).toBe(false);
  });

  it('answers gone for 410, without retrying', async () => {
    statuses = [410];
    await expect(managementSender(endpoint, { sleep: noWait }).post('gone', 'x')).resolves.toBe('gone');
    expect(requests).toHaveLength(1);
  });

  it('retries throttling and 5xx, and then sends', async () => {
    statuses = [429, 503];
    await expect(managementSender(endpoint, { sleep: noWait }).post('busy', 'x')).resolves.toBe('sent');
    expect(requests).toHaveLength(3);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts`, async () => {
    statuses = [502, 502, 502, 502];
    const failed = managementSender(endpoint, { sleep: noWait }).post('down', 'x');
    await expect(failed).rejects.toMatchObject({ code: 'RetriesExhausted', status: 502 });
    expect(requests).toHaveLength(MAX_ATTEMPTS);
  });

  it('tries once when asked to (a writer posting on its request path), with no backoff', async () => {
    statuses = [503, 200];
    let slept = 0;
    const sleep = async () => {
      slept += 1;
    };
    const failed = managementSender(endpoint, { sleep, attempts: 1 }).post('busy', 'x');
    await expect(failed).rejects.toMatchObject({ code: 'RetriesExhausted', status: 503 });
    expect(requests).toHaveLength(1);
    expect(slept).toBe(0);
  });

  it('does not retry a refusal (403)', async () => {
    statuses = [403];
    const refused = managementSender(endpoint, { sleep: noWait }).post('nope', 'x');
    await expect(refused).rejects.toBeInstanceOf(PostToConnectionError);
    await expect(refused).rejects.toMatchObject({ code: 'Refused', status: 403 });
    expect(requests).toHaveLength(1);
  });

  it('reuses the keep-alive socket for the next post', async () => {
    const sender = managementSender(endpoint);
    await sender.post('a', 'x');
    await sender.post('b', 'x');
    expect(requests).toHaveLength(2);
    expect(requests[1]?.socket).toBe(requests[0]?.socket);
  });
});

describe('retryDelayMs', () => {
  it.each([
    { attempt: 1, random: 0.5, ms: 50 },
    { attempt: 2, random: 0.5, ms: 100 },
    { attempt: 2, random: 0, ms: 0 },
  ])('attempt $attempt, random $random → $ms ms', ({ attempt, random, ms }) => {
    expect(retryDelayMs(attempt, () => random)).toBe(ms);
  });
});
