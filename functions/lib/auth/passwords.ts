// Password hashing with scrypt (node:crypto), a random salt per user and the cost parameters stored
// beside the hash, so they can be raised later without invalidating existing accounts.
//
//   stored = "scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>"
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8: 32 MiB and tens of milliseconds per hash, well inside a 256 MB Lambda. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { log2N: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** params.log2N,
    r: params.r,
    p: params.p,
    // scrypt needs 128 * N * r bytes; the default cap (32 MiB) is exactly that, so leave headroom.
    maxmem: 256 * 2 ** params.log2N * params.r,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, params);
  return [
    'scrypt',
    params.log2N,
    params.r,
    params.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const [scheme, log2N, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || !salt || !key) return undefined;
  const params = { log2N: Number(log2N), r: Number(r), p: Number(p) };
  const sane = [params.log2N, params.r, params.p].every((n) => Number.isInteger(n) && n >= 1 && n <= 32);
  if (!sane) return undefined;
  return { params, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/** Constant-time check of a password against a stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await deriveKey(password, parsed.salt, parsed.params);
  return candidate.length === parsed.key.length && timingSafeEqual(candidate, parsed.key);
}

/**
 * A hash at the default cost of a random password nobody knows, made once offline: checking against it
 * costs what a real check costs, from the first request of a container on.
 */
const DUMMY_HASH = 'scrypt$15$8$1$LBDW-Uu-KbIsj6HLx_PSsg$ekpIceT_7Ci9pHhTyy_YGAPoXOiVgkXRGPKUWSlxyr4';

/**
 * Spends the same scrypt work as a real check, for sign-ins with an unknown email, so that response
 * time does not reveal which emails have accounts. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, DUMMY_HASH);
  return false;
}
