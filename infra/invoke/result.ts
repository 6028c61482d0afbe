// Turns an Invoke response payload into something to read: a function error as such, an HTTP
// result (statusCode, maybe base64 and br/gzip) as its status and decoded body, anything else as
// pretty JSON.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

export interface DecodedResult {
  /** One line for stderr: "HTTP 201", "ok", "function error Unhandled". */
  summary: string;
  /** The body for stdout. */
  text: string;
  failed: boolean;
}

interface HttpResultShape {
  statusCode: number;
  headers?: Record<string, unknown>;
  body?: string;
  isBase64Encoded?: boolean;
}

function isHttpResult(value: unknown): value is HttpResultShape {
  return (
    typeof value === 'object' && value !== null && typeof (value as HttpResultShape).statusCode === 'number'
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function header(result: HttpResultShape, name: string): string {
  const found = Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return found ? String(found[1]) : '';
}

export function decodeHttpBody(result: HttpResultShape): string {
  const raw = result.body ?? '';
  if (!result.isBase64Encoded) return raw;
  const bytes = Buffer.from(raw, 'base64');
  const coding = header(result, 'content-encoding');
  if (coding === 'br') return brotliDecompressSync(bytes).toString('utf8');
  if (coding === 'gzip') return gunzipSync(bytes).toString('utf8');
  return bytes.toString('utf8');
}

export function decodeInvokeResult(
  payload: Uint8Array | undefined,
  opts: { httpMode: boolean; functionError: string | undefined },
): DecodedResult {
  const text = payload ? new TextDecoder().decode(payload) : '';
  if (opts.functionError) {
    return { summary: `function error (${opts.functionError})`, text: pretty(text), failed: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { summary: 'ok', text, failed: false };
  }
  if (!opts.httpMode || !isHttpResult(value)) return { summary: 'ok', text: pretty(text), failed: false };
  return {
    summary: `HTTP ${value.statusCode}`,
    text: pretty(decodeHttpBody(value)),
    failed: value.statusCode >= 400,
  };
}
