// Serves the built web app as the CloudFront distribution does: files from the bucket, and for any
// path that is not a file the SPA's index.html with status 200 (the distribution's 403/404 →
// /index.html error responses). Hashed file names are immutable; index.html is always revalidated;
// text is compressed as CloudFront's automatic compression would, and every answer carries the
// response headers policy's security headers (one definition: infra/cloud/content-security-policy.ts).

import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { securityHeaders } from '../cloud/content-security-policy.ts';

// Same-origin WebSocket (/ws) and plain HTTP: the policy the distribution sends, minus what only
// means something over HTTPS.
const SECURITY_HEADERS = securityHeaders({ webSocketOrigin: undefined, https: false });

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const ASSET_LIKE = /\.[A-Za-z0-9]+$/;
const HASHED_NAME = /-[A-Z0-9]{8,}\.[a-z0-9]+$/i;

async function fileAt(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const candidate = normalize(join(root, decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  if (info?.isFile()) return candidate;
  if (info?.isDirectory()) return fileAt(root, join(decoded, 'index.html'));
  return undefined;
}

const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg)/;
const COMPRESS_MIN_BYTES = 1024;

/** Compressed copies, keyed by file, version and coding: the files change only on a rebuild. */
const compressedCache = new Map<string, Buffer>();

function preferredCoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return undefined;
}

async function compressed(path: string, info: Stats, coding: 'br' | 'gzip'): Promise<Buffer> {
  const key = `${path}:${info.mtimeMs}:${info.size}:${coding}`;
  let body = compressedCache.get(key);
  if (!body) {
    const raw = await readFile(path);
    body = coding === 'br' ? brotliCompressSync(raw) : gzipSync(raw);
    compressedCache.set(key, body);
  }
  return body;
}

// Like CloudFront with compression on: text files over 1 KB go out as brotli or gzip.
async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, info: Stats): Promise<void> {
  const name = path.split(sep).pop() ?? '';
  const type = CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
  const coding =
    COMPRESSIBLE.test(type) && info.size >= COMPRESS_MIN_BYTES
      ? preferredCoding(req.headers['accept-encoding'])
      : undefined;
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': type,
    'cache-control': HASHED_NAME.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
  };
  if (coding) {
    const body = await compressed(path, info, coding);
    res.writeHead(200, { ...headers, 'content-encoding': coding, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': info.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

export function createStaticSite(
  webRoot: string,
): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const root = normalize(webRoot);
  return async (req, res, path) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, {
          ...SECURITY_HEADERS,
          'content-type': 'text/plain; charset=utf-8',
          allow: 'GET, HEAD',
        })
        .end('Method Not Allowed');
      return;
    }
    const found = await fileAt(root, path);
    // A missing file-like path (a name with an extension) is a 404, not the app: a browser asking
    // for /favicon.ico or a stale chunk must not get HTML back.
    if (!found && ASSET_LIKE.test(path)) {
      res
        .writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
        .end('Not Found');
      return;
    }
    const file = found ?? (await fileAt(root, '/index.html'));
    if (!file) {
      res
        .writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
        .end(`The web app is not built (no index.html in ${root}). Run: npm run build`);
      return;
    }
    await sendFile(req, res, file, await stat(file));
  };
}
