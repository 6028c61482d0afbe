// Maps what a function returns (response payload 2.0) back to HTTP exactly as an HTTP API does:
//   - an object with `statusCode`: status, `headers`, `cookies` (one Set-Cookie each), `body`
//     (decoded from base64 when `isBase64Encoded`), text/plain when no content type is given;
//   - anything else that is valid JSON (a bare string, an object without `statusCode`, a number):
//     200 application/json, the string itself or the value serialized as the body.
// A response the gateway cannot use (a bad status, a non-string body, over Lambda's 6 MB response
// limit, so an oversized snapshot fails here as it would in the cloud) becomes its 500.

export interface GatewayResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

export const GATEWAY_MESSAGES = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Endpoint request timed out',
} as const;

/** The gateway's own JSON answers (`{"message": "Not Found"}`), as API Gateway words them. */
export function gatewayError(
  status: keyof typeof GATEWAY_MESSAGES,
  extra: Record<string, string> = {},
): GatewayResponse {
  return {
    status,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(JSON.stringify({ message: GATEWAY_MESSAGES[status], ...extra })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shorthand(result: unknown): GatewayResponse {
  const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
  return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
}

function headerList(value: unknown): Array<[string, string]> {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) throw new MalformedResponseError('headers must be an object');
  return Object.entries(value).map(([name, v]) => {
    if (!['string', 'number', 'boolean'].includes(typeof v)) {
      throw new MalformedResponseError(`header ${name} must be a string, number or boolean`);
    }
    return [name.toLowerCase(), String(v)];
  });
}

function cookieList(value: unknown): Array<[string, string]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((c) => typeof c === 'string')) {
    throw new MalformedResponseError('cookies must be an array of strings');
  }
  return value.map((c: string) => ['set-cookie', c]);
}

/** Lambda refuses a synchronous response larger than this; API Gateway then answers 500. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

function bodyBytes(body: unknown, isBase64Encoded: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== 'string') throw new MalformedResponseError('body must be a string');
  if (body.length > LAMBDA_RESPONSE_LIMIT_BYTES) {
    throw new MalformedResponseError(
      `the response body exceeds Lambda's ${LAMBDA_RESPONSE_LIMIT_BYTES} byte payload limit`,
    );
  }
  return isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/** Throws MalformedResponseError for a response API Gateway would reject with a 500. */
export function mapFunctionResult(result: unknown): GatewayResponse {
  if (!isRecord(result) || !('statusCode' in result)) return shorthand(result);
  const status = result.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedResponseError(`statusCode must be an HTTP status, got ${JSON.stringify(status)}`);
  }
  const headers = headerList(result.headers);
  if (!headers.some(([name]) => name === 'content-type'))
    headers.push(['content-type', 'text/plain; charset=utf-8']);
  return {
    status,
    headers: [...headers, ...cookieList(result.cookies)],
    body: bodyBytes(result.body, result.isBase64Encoded),
  };
}
