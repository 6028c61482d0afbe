// Only CloudFront may call the HTTP API. The execute-api endpoint is public, and a caller reaching it
// directly could forge the X-Forwarded-For hop that clientAddress trusts and skip CloudFront's
// headers policy. So CloudFront adds a per-deployment secret header to every `/api/*` origin request
// and the shared handler wrapper refuses requests without it:
//
//   viewer ──► CloudFront ──(x-origin-verify: <secret>)──► API Gateway ──► defineHandler: verified
//   caller ─────────────────(no or wrong header)─────────► API Gateway ──► defineHandler: 403
//
// The check is on only where the stack turns it on: ORIGIN_VERIFY_SECRET_ARN (the CDK stack, a
// Secrets Manager secret {"current", "previous"?}) or ORIGIN_VERIFY_SECRET (the value itself, for
// tests). The local gateway sets neither: there is no CloudFront locally, and clientAddress then uses
// the connection's own address. Never log the value or echo the header.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpEvent } from './http-event.ts';

export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** `previous` is accepted too while a rotation reaches every CloudFront edge (docs/deploy.md). */
export interface OriginSecret {
  current: string;
  previous?: string;
}

export interface OriginVerifierOptions {
  load: () => Promise<OriginSecret>;
  now?: () => number;
  /** Reuse a loaded value this long, so a dropped `previous` stops working without a redeploy. */
  maxAgeMs?: number;
  /** On a mismatch, reload at most this often: a rotated value is picked up, a forger cannot hammer it. */
  minReloadMs?: number;
}

export interface OriginVerifier {
  /** True when the header carries the current or previous value; never throws on a bad header. */
  verify(headerValue: string | undefined): Promise<boolean>;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Equal-length digests, so the comparison time says nothing about the secret's length or prefix. */
function matches(candidate: Buffer, secret: OriginSecret): boolean {
  const current = timingSafeEqual(candidate, digest(secret.current));
  const previous = secret.previous ? timingSafeEqual(candidate, digest(secret.previous)) : false;
  return current || previous;
}

export function createOriginVerifier(options: OriginVerifierOptions): OriginVerifier {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const minReloadMs = options.minReloadMs ?? 30_000;
  let cached: { secret: Promise<OriginSecret>; loadedAt: number } | undefined;
  const load = () => {
    const entry = { secret: options.load(), loadedAt: now() };
    // A failed load is not cached: the next request tries again.
    entry.secret.catch(() => {
      if (cached === entry) cached = undefined;
    });
    cached = entry;
    return entry.secret;
  };
  const fresh = () => (cached && now() - cached.loadedAt < maxAgeMs ? cached.secret : load());
  return {
    async verify(headerValue) {
      if (!headerValue) return false;
      const secret = await fresh();
      const candidate = digest(headerValue);
      if (matches(candidate, secret)) return true;
      if (cached && now() - cached.loadedAt < minReloadMs) return false;
      return matches(candidate, await load());
    },
  };
}

export function parseOriginSecret(text: string): OriginSecret {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    if (!trimmed) throw new Error('The origin secret is empty');
    return { current: trimmed };
  }
  let parsed: { current?: unknown; previous?: unknown };
  try {
    parsed = JSON.parse(trimmed) as typeof parsed;
  } catch {
    // Not rethrown with its cause: V8's JSON errors quote the input, and errors end up in logs.
    throw new Error('The origin secret is not valid JSON');
  }
  if (typeof parsed.current !== 'string' || !parsed.current) {
    throw new Error('The origin secret has no "current" value');
  }
  const previous = typeof parsed.previous === 'string' && parsed.previous ? parsed.previous : undefined;
  return previous ? { current: parsed.current, previous } : { current: parsed.current };
}

async function readSecret(secretId: string): Promise<OriginSecret> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new Error(`Secret ${secretId} has no string value`);
  return parseOriginSecret(out.SecretString);
}

let fromEnv: { key: string; verifier: OriginVerifier } | undefined;

/** The verifier the environment asks for, or undefined when the check is off (locally). */
export function originVerifier(env: NodeJS.ProcessEnv = process.env): OriginVerifier | undefined {
  const arn = env.ORIGIN_VERIFY_SECRET_ARN;
  const value = env.ORIGIN_VERIFY_SECRET;
  if (!arn && !value) return undefined;
  // Keyed by the setting, so a test (or a changed environment) gets a verifier of its own.
  const key = arn ? `arn\0${arn}` : `value\0${value}`;
  if (fromEnv?.key !== key) {
    const load = arn ? () => readSecret(arn) : () => Promise.resolve(parseOriginSecret(value ?? ''));
    fromEnv = { key, verifier: createOriginVerifier({ load }) };
  }
  return fromEnv.verifier;
}

// Events that carried the secret. clientAddress is synchronous and the check is not, so the check
// marks the event rather than clientAddress comparing again.
const verified = new WeakSet<HttpEvent>();

export type OriginVerdict = 'off' | 'verified' | 'refused';

/**
 * Checks the secret header and removes it from the event, so no handler can echo or log it. A
 * verified event's X-Forwarded-For was built by CloudFront (see clientAddress).
 */
export async function verifyOrigin(
  event: HttpEvent,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OriginVerdict> {
  const verifier = originVerifier(env);
  if (!verifier) return 'off';
  const headers = event.headers ?? {};
  const value = headers[ORIGIN_VERIFY_HEADER];
  delete headers[ORIGIN_VERIFY_HEADER];
  if (!(await verifier.verify(value))) return 'refused';
  verified.add(event);
  return 'verified';
}

export function isVerifiedOrigin(event: HttpEvent): boolean {
  return verified.has(event);
}
