// Serves the built web app as the CloudFront distribution does: files from the bucket, and for any
// path that is not a file the SPA's index.html with status 200 (the distribution's 403/404 →
// /index.html error responses). Hashed file names are immutable; index.html is always revalidated.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

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

function sendFile(req: IncomingMessage, res: ServerResponse, path: string, size: number): void {
  const name = path.split(sep).pop() ?? '';
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': HASHED_NAME.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
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
        .writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' })
        .end('Method Not Allowed');
      return;
    }
    const file = (await fileAt(root, path)) ?? (await fileAt(root, '/index.html'));
    if (!file) {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`The web app is not built (no index.html in ${root}). Run: npm run build`);
      return;
    }
    const info = await stat(file);
    sendFile(req, res, file, info.size);
  };
}
