// The `sid` cookie: reading it from a payload 2.0 event (cookies array, identity source or a raw
// header) and writing it with the attributes that keep it out of scripts and cross-site requests.
export const SESSION_COOKIE = 'sid';

function valuesFromHeader(header: string, name: string): string[] {
  const found: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    found.push(part.slice(eq + 1).trim());
  }
  return found;
}

/**
 * Every value of cookie `name` in the given sources, in order. Each source is either one `a=b`
 * pair (payload 2.0 `cookies` entries) or a whole `a=b; c=d` header (identity source, `cookie`).
 */
export function readCookieValues(sources: readonly (string | undefined)[], name = SESSION_COOKIE): string[] {
  return sources.flatMap((source) => (source ? valuesFromHeader(source, name) : []));
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostName(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  return trimmed.split(':')[0] ?? '';
}

/**
 * Whether the cookie must carry `Secure`: always, except for plain HTTP on a loopback host (the local
 * gateway), where a browser would otherwise drop it. A proxy's `x-forwarded-proto` wins over guessing.
 */
export function needsSecureCookie(headers: Record<string, string | undefined>): boolean {
  const proto = headers['x-forwarded-proto']?.split(',')[0]?.trim().toLowerCase();
  if (proto === 'https') return true;
  const host = headers.host ?? '';
  return !LOOPBACK_HOSTS.has(hostName(host));
}

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

export function sessionCookie(token: string, { maxAgeSeconds, secure }: CookieOptions): string {
  const attributes = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return `${sessionCookie('', { maxAgeSeconds: 0, secure })}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

/** The `Set-Cookie` value for a session, its Max-Age matching the server-side expiry. */
export function cookieForSession(
  headers: Record<string, string | undefined>,
  session: { token: string; expiresAt: Date },
  now = new Date(),
): string {
  // Rounded: the session was created a few milliseconds before this cookie is written.
  const maxAgeSeconds = Math.round((session.expiresAt.getTime() - now.getTime()) / 1000);
  return sessionCookie(session.token, { maxAgeSeconds, secure: needsSecureCookie(headers) });
}

/** Session tokens a request carries: payload 2.0 `cookies` first, then a raw `cookie` header. */
export function sessionTokensOf(request: {
  cookies?: readonly string[];
  headers?: Record<string, string | undefined>;
}): string[] {
  return [...new Set(readCookieValues([...(request.cookies ?? []), request.headers?.cookie]))];
}
