// A fault-injecting HTTP proxy on 127.0.0.1 between the simulated devices and the gateway. While
// faults are on, each sync request (`/api/sync/*`) draws one fate from the seeded generator:
//
//   pass       forwarded as is
//   drop       never forwarded; the client's connection is cut (a lost request)
//   delay      forwarded after up to 300 ms
//   reorder    held until a later request has been answered (or 400 ms), then forwarded
//   duplicate  forwarded twice at once; the client gets the first answer
//   cut        forwarded and answered by the server, then the client's connection is cut before
//              the answer (the server committed, the client does not know)
//
// Every answer the gateway gives to a push — including those the client never sees — is reported to
// `onPushAnswer`, which is how the "applied at most once" invariant is checked.
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Rng } from './rng.ts';

export const FATES = ['pass', 'drop', 'delay', 'reorder', 'duplicate', 'cut'] as const;
export type Fate = (typeof FATES)[number];
export type FateWeights = Record<Fate, number>;

export interface FaultProxy {
  url: string;
  setFaults(on: boolean): void;
  counts: Record<Fate, number>;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(target: string, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  const headers = { ...req.headers };
  delete headers.host;
  delete headers.connection;
  delete headers['accept-encoding']; // plain JSON answers, so the proxy can read them
  return new Promise((resolve) => {
    const out = request(`${target}${req.url ?? '/'}`, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => resolve(badGateway()));
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
        resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
      });
    });
    out.setTimeout(20_000, () => out.destroy(new Error('upstream timeout')));
    out.on('error', () => resolve(badGateway())); // gateway down: what a load balancer answers
    out.end(body);
  });
}

function badGateway(): Upstream {
  return {
    status: 502,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from('{"message":"Bad Gateway"}'),
  };
}

function reply(res: ServerResponse, up: Upstream): void {
  const headers = { ...up.headers };
  delete headers['transfer-encoding'];
  delete headers['content-length'];
  res.writeHead(up.status, headers).end(up.body);
}

function drawFate(rng: Rng, weights: FateWeights): Fate {
  const total = FATES.reduce((sum, f) => sum + weights[f], 0);
  let r = rng.next() * total;
  for (const fate of FATES) {
    r -= weights[fate];
    if (r < 0) return fate;
  }
  return 'pass';
}

export async function startFaultProxy(opts: {
  target: string;
  rng: Rng;
  weights: FateWeights;
  onPushAnswer(requestBody: Buffer, answer: Upstream): void;
}): Promise<FaultProxy> {
  let faulty = false;
  const counts = Object.fromEntries(FATES.map((f) => [f, 0])) as Record<Fate, number>;
  let held: Array<() => void> = [];
  const releaseHeld = () => {
    const now = held;
    held = [];
    for (const release of now) release();
  };

  const send = async (req: IncomingMessage, body: Buffer): Promise<Upstream> => {
    const up = await forward(opts.target, req, body);
    if (req.url?.startsWith('/api/sync/push')) opts.onPushAnswer(body, up);
    return up;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const fate = faulty && req.url?.startsWith('/api/sync/') ? drawFate(opts.rng, opts.weights) : 'pass';
    counts[fate] += 1;
    if (fate === 'drop') return void res.socket?.destroy();
    if (fate === 'delay') await sleep(opts.rng.int(300));
    if (fate === 'reorder')
      await new Promise<void>((go) => {
        held.push(go);
        setTimeout(go, 400);
      });
    if (fate === 'duplicate') {
      const [first] = await Promise.all([send(req, body), send(req, body)]);
      return reply(res, first);
    }
    const up = await send(req, body);
    if (fate !== 'reorder') releaseHeld();
    if (fate === 'cut') return void res.socket?.destroy();
    reply(res, up);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setFaults(on) {
      faulty = on;
      if (!on) releaseHeld();
    },
    counts,
    close() {
      releaseHeld();
      return new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
