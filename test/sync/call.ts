// Calls a handler module's exported `handler` with a payload 2.0 event and decodes its answer
// (compressed bodies included), for the sync handler tests.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { HttpHandler, HttpResult } from '../../functions/lib/http-handler.ts';
import { type EventInput, httpEvent, lambdaContext } from '../support/http-event.ts';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string>;
  /** Bytes of the body as sent (compressed when the handler compressed it). */
  wireBytes: number;
}

export function decodeBody(result: HttpResult): { text: string; wireBytes: number } {
  const raw = result.body ?? '';
  if (!result.isBase64Encoded) return { text: raw, wireBytes: Buffer.byteLength(raw) };
  const bytes = Buffer.from(raw, 'base64');
  const coding = String(result.headers?.['content-encoding'] ?? '');
  const text =
    coding === 'br'
      ? brotliDecompressSync(bytes).toString('utf8')
      : coding === 'gzip'
        ? gunzipSync(bytes).toString('utf8')
        : bytes.toString('utf8');
  return { text, wireBytes: bytes.length };
}

export async function call<T = Record<string, unknown>>(
  handler: HttpHandler,
  input: EventInput,
): Promise<Answer<T>> {
  const result = await handler(httpEvent(input), lambdaContext());
  const { text, wireBytes } = decodeBody(result);
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, value]) => [k.toLowerCase(), String(value)]),
  );
  return { status: result.statusCode ?? 200, body: (text ? JSON.parse(text) : {}) as T, headers, wireBytes };
}
