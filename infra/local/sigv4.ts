// Verifies an AWS Signature Version 4 request the way an AWS endpoint does: the server re-signs the
// request it received with the secret it holds for the caller's access key and compares signatures.
// The re-signing is @smithy/signature-v4 (the signer of the AWS SDK itself), fed exactly the headers
// the caller listed in SignedHeaders, so both sides canonicalize the same request.
//
//   Authorization: AWS4-HMAC-SHA256 Credential=<key>/<yyyymmdd>/<region>/<service>/aws4_request,
//                  SignedHeaders=host;x-amz-date;…, Signature=<64 hex>
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What the signer needs for its hashes (the SDK's `Checksum` constructor), on node:crypto. */
export class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(value: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(value);
}

export const SIGNATURE_ERRORS = {
  MissingAuthenticationTokenException: 'Missing Authentication Token',
  IncompleteSignatureException: 'The request signature is malformed or incomplete.',
  UnrecognizedClientException: 'The security token included in the request is invalid.',
  InvalidSignatureException:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  SignatureExpired: 'Signature expired: the request time is more than 15 minutes from the server time.',
} as const;

export type SignatureErrorCode = keyof typeof SIGNATURE_ERRORS;

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  url: string;
  headers: Record<string, string[] | undefined>;
  body: Buffer;
}

export interface VerifyOptions {
  credentials: LocalCredentials;
  service: string;
  now?: () => number;
}

/** AWS refuses a signature dated more than 15 minutes from its own clock either way. */
const MAX_SKEW_MS = 15 * 60_000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string | undefined): ParsedAuthorization | SignatureErrorCode {
  if (!value) return 'MissingAuthenticationTokenException';
  const m = AUTHORIZATION.exec(value);
  if (!m) return 'IncompleteSignatureException';
  const [, accessKeyId = '', date = '', region = '', service = '', headers = '', signature = ''] = m;
  return { accessKeyId, date, region, service, signedHeaders: headers.split(';'), signature };
}

/** `20261207T154500Z` → epoch ms; NaN when malformed. */
function amzDate(value: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function queryOf(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}

/** Null when the request carries a valid signature by `credentials` for `service`. */
export async function verifySignature(
  req: SignedRequest,
  { credentials, service, now = Date.now }: VerifyOptions,
): Promise<SignatureErrorCode | null> {
  const auth = parseAuthorization(req.headers.authorization?.[0]);
  if (typeof auth === 'string') return auth;
  if (auth.accessKeyId !== credentials.accessKeyId) return 'UnrecognizedClientException';
  const first = (name: string) => req.headers[name]?.join(',');
  const signedAt = amzDate(first('x-amz-date'));
  if (auth.service !== service || !auth.signedHeaders.includes('host') || Number.isNaN(signedAt))
    return 'IncompleteSignatureException';
  if (!first('x-amz-date')?.startsWith(auth.date)) return 'InvalidSignatureException';
  if (Math.abs(now() - signedAt) > MAX_SKEW_MS) return 'SignatureExpired';
  // The signer trusts a given payload hash; the body must be the one that was hashed.
  const payloadHash = first('x-amz-content-sha256');
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(req.body).digest('hex'))
    return 'InvalidSignatureException';
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = first(name);
    if (value === undefined) return 'InvalidSignatureException';
    headers[name] = value;
  }
  const url = new URL(req.url, 'http://local');
  const signer = new SignatureV4({ credentials, region: auth.region, service, sha256: Sha256 });
  const resigned = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.pathname,
      query: queryOf(url.searchParams),
      headers,
      body: req.body,
    },
    { signingDate: new Date(signedAt) },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(resigned.headers.authorization ?? '')?.[1] ?? '';
  const same =
    expected.length === auth.signature.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature));
  return same ? null : 'InvalidSignatureException';
}
