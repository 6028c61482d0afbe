import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../functions/lib/auth/client-address.ts';
import { hashToken, isWellFormedToken, newToken } from '../../functions/lib/auth/tokens.ts';
import { httpEvent } from '../support/http-event.ts';

describe('tokens', () => {
  it('are 256 random bits in base64url and never repeat', () => {
    const tokens = Array.from({ length: 200 }, newToken);
    expect(new Set(tokens).size).toBe(200);
    for (const token of tokens) {
      expect(isWellFormedToken(token)).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as a SHA-256 that does not contain the token', () => {
    const token = newToken();
    const hash = hashToken(token);
    expect(hash).toHaveLength(43);
    expect(hash).not.toBe(token);
    expect(hashToken(token)).toBe(hash);
  });

  it('anything but 43 base64url characters is malformed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        fc.pre(!/^[A-Za-z0-9_-]{43}$/.test(s));
        expect(isWellFormedToken(s)).toBe(false);
      }),
    );
  });
});

describe('clientAddress', () => {
  it.each([
    ['the source address without a proxy', {}, '127.0.0.1'],
    ['the source address when it forwarded nothing', { 'x-forwarded-for': '127.0.0.1' }, '127.0.0.1'],
    [
      'the viewer CloudFront saw, just before the edge',
      { 'x-forwarded-for': '198.51.100.7, 127.0.0.1' },
      '198.51.100.7',
    ],
    [
      'that viewer, not what the client claimed before it',
      { 'x-forwarded-for': '10.9.9.9, 198.51.100.7, 127.0.0.1' },
      '198.51.100.7',
    ],
    [
      'the source address when the last hop is not it',
      { 'x-forwarded-for': '198.51.100.7, 192.0.2.1' },
      '127.0.0.1',
    ],
  ] as const)('uses %s', (_name, headers, expected) => {
    expect(clientAddress(httpEvent({ path: '/x', headers }))).toBe(expected);
  });
});
