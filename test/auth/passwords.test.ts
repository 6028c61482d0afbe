import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, PASSWORD_RULES } from '../../core/password-rules.ts';
import { COMMON_PASSWORD_COUNT, isCommonPassword } from '../../functions/lib/auth/common-passwords.ts';
import { PASSWORD_PROBLEMS, passwordProblem } from '../../functions/lib/auth/password-policy.ts';
import {
  hashPassword,
  type ScryptParams,
  verifyAgainstDummy,
  verifyPassword,
} from '../../functions/lib/auth/passwords.ts';

// Cheap parameters keep the suite fast; the default cost is exercised once below.
const FAST: ScryptParams = { log2N: 10, r: 8, p: 1 };

describe('hashPassword / verifyPassword', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts every hash, so equal passwords store differently', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password!', FAST),
      hashPassword('same password!', FAST),
    ]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('stores the cost parameters and never the password', async () => {
    const stored = await hashPassword('a visible secret', FAST);
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('visible');
  });

  it('uses the default cost when none is given', async () => {
    const stored = await hashPassword('default cost password');
    expect(stored.startsWith('scrypt$15$8$1$')).toBe(true);
    expect(await verifyPassword('default cost password', stored)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['other scheme', 'bcrypt$10$abc'],
    ['missing parts', 'scrypt$15$8$1$c2FsdA'],
    ['absurd cost', 'scrypt$99$8$1$c2FsdA$a2V5'],
    ['extra parts', 'scrypt$10$8$1$c2FsdA$a2V5$x'],
  ])('never matches a malformed stored hash (%s)', async (_name, stored) => {
    expect(await verifyPassword('anything at all', stored)).toBe(false);
  });

  it('treats canonically equivalent Unicode spellings as one password', async () => {
    const stored = await hashPassword('caf\u00e9 au lait!', FAST);
    expect(await verifyPassword('cafe\u0301 au lait!', stored)).toBe(true);
  });

  it('the dummy check for unknown emails always fails', async () => {
    expect(await verifyAgainstDummy('dummy password for timing only')).toBe(false);
    expect(await verifyAgainstDummy('')).toBe(false);
  });
});

describe('passwordProblem', () => {
  const email = 'ann.smith@example.com';
  it.each([
    ['too short', 'abc123xyz', 'TooShort'],
    ['too long', 'x1'.repeat(129), 'TooLong'],
    ['the email itself', 'Ann.Smith@Example.com', 'SameAsEmail'],
    ['the email local part', 'ann.smith', 'TooShort'],
    ['one repeated character', 'aaaaaaaaaaaa', 'OneCharacter'],
    ['a common password', 'qwertyuiop', 'Common'],
    ['a common password in other case', 'PassWord123', 'Common'],
    ['a common password with spaces around', '  1234567890  ', 'Common'],
    ['ten spaces', ' '.repeat(10), 'Blank'],
    ['only whitespace of all kinds', ' \t\n\u00a0\u2003 \t\n\u00a0\u2003', 'Blank'],
    ['a trivial word padded with spaces', '  password  ', 'TooShort'],
    ['a short word padded with tabs and no-break spaces', '\t\u00a0secret\u00a0\t\t', 'TooShort'],
    ['a common password spaced out', 'p a s s w o r d 1 2 3', 'Common'],
    ['one character spaced out', 'a a a a a a a a a a', 'OneCharacter'],
  ] as const)('refuses %s', (_name, password, problem) => {
    expect(passwordProblem(password, email)).toBe(problem);
  });

  it('refuses a local part of 10+ characters', () => {
    expect(passwordProblem('Alexandra.Jones', 'alexandra.jones@example.com')).toBe('SameAsEmail');
  });

  it.each([
    ['a passphrase', 'correct horse battery staple'],
    ['exactly ten characters', 'tr0ub4dor&'],
    ['ten code points of emoji and text', '🐢🐢🐢🐢🐢slow1'],
  ])('accepts %s', (_name, password) => {
    expect(passwordProblem(password, email)).toBeUndefined();
  });

  it('states every rule once, in words the sign-up form shows', () => {
    expect(PASSWORD_RULES.length).toBeGreaterThanOrEqual(4);
    expect(PASSWORD_RULES.join(' ')).toContain(String(MIN_PASSWORD_LENGTH));
  });

  it('messages never quote the password', () => {
    for (const message of Object.values(PASSWORD_PROBLEMS)) expect(message).not.toMatch(/qwerty|password1/i);
  });
});

describe('common-password list', () => {
  it('ships a list of the long common passwords', () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThan(1000);
    expect(isCommonPassword('password123')).toBe(true);
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
  });
});
