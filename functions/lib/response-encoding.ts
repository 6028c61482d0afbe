// API Gateway HTTP APIs do not compress, so handlers do: bodies over 1 KB go out as brotli or gzip,
// whichever the client accepts (brotli first: smaller for JSON at a similar cost at quality 4).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const COMPRESS_THRESHOLD_BYTES = 1024;

export interface EncodedBody {
  body: string;
  isBase64Encoded: boolean;
  headers: Record<string, string>;
}

function accepts(acceptEncoding: string | undefined, coding: string): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding
    .toLowerCase()
    .split(',')
    .some((part) => {
      const [name, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return name === coding && (q === undefined || Number(q.slice(2)) > 0);
    });
}

export function encodeBody(text: string, acceptEncoding: string | undefined): EncodedBody {
  const raw = Buffer.from(text, 'utf8');
  if (raw.length <= COMPRESS_THRESHOLD_BYTES) return { body: text, isBase64Encoded: false, headers: {} };
  if (accepts(acceptEncoding, 'br')) {
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
    return br64(br, 'br');
  }
  if (accepts(acceptEncoding, 'gzip')) return br64(gzipSync(raw, { level: 6 }), 'gzip');
  return { body: text, isBase64Encoded: false, headers: { vary: 'accept-encoding' } };
}

function br64(buf: Buffer, coding: string): EncodedBody {
  return {
    body: buf.toString('base64'),
    isBase64Encoded: true,
    headers: { 'content-encoding': coding, vary: 'accept-encoding' },
  };
}
