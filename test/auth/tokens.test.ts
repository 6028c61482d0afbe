import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashToken, isWellFormedToken, newToken } from '../../functions/lib/auth/tokens.ts';

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
