// A small keep-alive HTTP client for the sync benchmark that reports bytes on the wire (the body as
// sent, compressed or not) beside the decoded JSON.
import { Agent, request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface Reply {
  status: number;
  wireBytes: number;
  ms: number;
  json: unknown;
}

export interface Client {
  send(
    method: string,
    path: string,
    opts?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): void;
}

function decode(buf: Buffer, encoding: string | undefined): string {
  if (encoding === 'br') return brotliDecompressSync(buf).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(buf).toString('utf8');
  return buf.toString('utf8');
}

export function createClient(baseUrl: string, baseHeaders: Record<string, string>, maxSockets = 64): Client {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    send(method, path, opts = {}) {
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const headers: Record<string, string> = { ...baseHeaders, ...opts.headers };
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const started = performance.now();
      return new Promise<Reply>((resolve, reject) => {
        const req = request(`${baseUrl}${path}`, { method, agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            const text = decode(buf, res.headers['content-encoding']);
            resolve({
              status: res.statusCode ?? 0,
              wireBytes: buf.length,
              ms: performance.now() - started,
              json: text ? JSON.parse(text) : undefined,
            });
          });
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
