// What a new password must satisfy. Messages never echo the password back.
import { isCommonPassword } from './common-passwords.ts';

export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase; bounds the work one request can ask of scrypt's input handling. */
export const MAX_PASSWORD_LENGTH = 256;

export const PASSWORD_PROBLEMS = {
  TooShort: `Use at least ${MIN_PASSWORD_LENGTH} characters`,
  TooLong: `Use at most ${MAX_PASSWORD_LENGTH} characters`,
  Common: 'This password is too common; choose another',
  SameAsEmail: 'The password must not be your email address',
  OneCharacter: 'The password must not repeat a single character',
} as const;

export type PasswordProblem = keyof typeof PASSWORD_PROBLEMS;

/** The first rule a candidate password breaks, or undefined when it is acceptable. */
export function passwordProblem(password: string, normalizedEmail: string): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'TooShort';
  if (length > MAX_PASSWORD_LENGTH) return 'TooLong';
  const lower = password.trim().toLowerCase();
  if (lower === normalizedEmail || lower === normalizedEmail.split('@')[0]) return 'SameAsEmail';
  if (new Set(lower).size === 1) return 'OneCharacter';
  if (isCommonPassword(password) || isCommonPassword(password.trim())) return 'Common';
  return undefined;
}
