import { describe, expect, it } from 'vitest';
import {
  clearedSessionCookie,
  cookieForSession,
  needsSecureCookie,
  readCookieValues,
  sessionCookie,
  sessionTokensOf,
} from '../../functions/lib/auth/cookies.ts';

describe('readCookieValues', () => {
  it.each([
    ['a payload 2.0 cookies entry', ['sid=abc'], ['abc']],
    ['a whole cookie header', ['theme=dark; sid=abc; x=1'], ['abc']],
    ['several sources in order', ['sid=one', 'a=b; sid=two'], ['one', 'two']],
    ['a cookie whose name only ends in sid', ['xsid=abc; sidx=def'], []],
    ['a value containing "="', ['sid=a=b'], ['a=b']],
    ['nothing', [undefined, ''], []],
  ] as const)('reads %s', (_name, sources, expected) => {
    expect(readCookieValues(sources)).toEqual(expected);
  });

  it('collects tokens from the cookies array and a raw header without duplicates', () => {
    expect(sessionTokensOf({ cookies: ['sid=a'], headers: { cookie: 'sid=a; sid=b' } })).toEqual(['a', 'b']);
  });
});

describe('needsSecureCookie', () => {
  it.each([
    ['localhost over plain HTTP', { host: 'localhost:3000' }, false],
    ['127.0.0.1 over plain HTTP', { host: '127.0.0.1:8080' }, false],
    ['[::1] over plain HTTP', { host: '[::1]:8080' }, false],
    ['localhost behind an HTTPS proxy', { host: 'localhost', 'x-forwarded-proto': 'https' }, true],
    ['a public host', { host: 'app.example.com' }, true],
    ['a public host forwarded as http', { host: 'app.example.com', 'x-forwarded-proto': 'http' }, true],
    ['a host that merely starts with localhost', { host: 'localhost.evil.com' }, true],
    ['no host at all', {}, true],
  ] as const)('%s → %s', (_name, headers, expected) => {
    expect(needsSecureCookie(headers)).toBe(expected);
  });
});

describe('sessionCookie', () => {
  it('carries every protective attribute', () => {
    const cookie = sessionCookie('tok', { maxAgeSeconds: 2_592_000, secure: true });
    expect(cookie).toBe('sid=tok; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict; Secure');
  });

  it('leaves Secure off only when told to', () => {
    expect(sessionCookie('tok', { maxAgeSeconds: 10, secure: false })).not.toContain('Secure');
  });

  it('Max-Age follows the server-side expiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const expiresAt = new Date('2026-01-31T00:00:00Z');
    const cookie = cookieForSession({ host: 'localhost' }, { token: 't', expiresAt }, now);
    expect(cookie).toBe('sid=t; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict');
  });

  it('clearing empties the value and expires it at once', () => {
    const cleared = clearedSessionCookie(true);
    expect(cleared).toMatch(
      /^sid=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict; Secure; Expires=Thu, 01 Jan 1970/,
    );
  });
});
