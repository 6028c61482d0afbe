// Client-generated ids, so a record created offline never collides with one made elsewhere.

/** The one piece of Web Crypto core needs; declared here because core has no DOM or Node types. */
interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

function randomBytes(count: number): Uint8Array {
  const source = (globalThis as unknown as { crypto?: RandomSource }).crypto;
  if (!source) throw new Error('globalThis.crypto.getRandomValues is not available');
  return source.getRandomValues(new Uint8Array(count));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds then random bits, so ids created later
 * sort later (handy for ordering and for B-tree indexes).
 */
export function newId(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  let time = Math.floor(nowMs);
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => HEX[b]).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A lowercase RFC 9562 UUID of any version (ids from older clients stay valid). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** `device_${timestamp}_${random}`, the device id format of the compatibility endpoints (kept in localStorage). */
export const DEVICE_ID_PATTERN = /^device_\d{10,15}_[a-z0-9]{4,32}$/;

export function isDeviceId(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_ID_PATTERN.test(value);
}

export function newDeviceId(nowMs: number = Date.now()): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const random = Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('');
  return `device_${Math.floor(nowMs)}_${random}`;
}
