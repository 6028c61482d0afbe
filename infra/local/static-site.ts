// Serves the built web app as the CloudFront distribution does: files from the bucket, and for any
// path that is not a file the SPA's index.html with status 200 (the distribution's 403/404 →
// /index.html error responses). Hashed file names are immutable; index.html is always revalidated;
// text is compressed as CloudFront's automatic compression would, and every answer carries the
// response headers policy's security headers (one definition: infra/cloud/content-security-policy.ts).
// /config.json, which the stack writes to the bucket, is rendered here with the local endpoints.

import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { SiteConfig } from '../../core/schemas.ts';
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

export interface StaticSiteOptions {
  /** The path of the WebSocket API on this server (`/ws`), undefined while there is none. */
  webSocketPath(): string | undefined;
}

const CONFIG_PATH = '/config.json';
// A Host header as browsers send it: a name or an address, and a port.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * The WebSocket URL on the host the page was loaded from: the CSP's connect-src 'self' admits only
 * that one, and a page opened as localhost must not be told 127.0.0.1. A Host header that is not a
 * plain host (a hand-made request) is never echoed: the address the request came in on stands in.
 */
function siteConfig(req: IncomingMessage, webSocketPath: string | undefined): SiteConfig {
  if (webSocketPath === undefined) return { webSocketUrl: null };
  const given = req.headers.host ?? '';
  const { localAddress = '127.0.0.1', localPort } = req.socket;
  const own = `${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
  return { webSocketUrl: `ws://${HOST_HEADER.test(given) ? given : own}${webSocketPath}` };
}

function sendConfig(req: IncomingMessage, res: ServerResponse, config: SiteConfig): void {
  const body = JSON.stringify(config);
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json',
    'cache-control': 'no-cache',
    'content-length': Buffer.byteLength(body),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function createStaticSite(
  webRoot: string,
  opts: StaticSiteOptions = { webSocketPath: () => undefined },
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
    if (path === CONFIG_PATH) return sendConfig(req, res, siteConfig(req, opts.webSocketPath()));
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
