// What a new password must satisfy, stated once: the server enforces it (sign-up, password change)
// and the sign-up form lists PASSWORD_RULES. The common-password list is the server's (too large for
// the page), so it is passed in. Messages never echo the password back.

export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase; bounds the work one request can ask of scrypt's input handling. */
export const MAX_PASSWORD_LENGTH = 256;

/** The rules in the words the forms show them. */
export const PASSWORD_RULES: readonly string[] = [
  `At least ${MIN_PASSWORD_LENGTH} characters, not counting spaces at the start or end`,
  'Not a commonly used password',
  'Not your email address',
  'Not one character repeated',
];

export const PASSWORD_PROBLEMS = {
  Blank: 'The password cannot be only spaces',
  TooShort: `Use at least ${MIN_PASSWORD_LENGTH} characters, not counting spaces at the start or end`,
  TooLong: `Use at most ${MAX_PASSWORD_LENGTH} characters`,
  Common: 'This password is too common; choose another',
  SameAsEmail: 'The password must not be your email address',
  OneCharacter: 'The password must not repeat a single character',
} as const;

export type PasswordProblem = keyof typeof PASSWORD_PROBLEMS;

const length = (text: string) => [...text].length;

/**
 * The first rule a candidate password breaks, or undefined when it is acceptable. Padding does not
 * make a weak password strong: length is counted without the spaces around it, and the other rules
 * also look at the password with all its whitespace taken out.
 */
export function passwordProblem(
  password: string,
  normalizedEmail: string,
  isCommon: (candidate: string) => boolean = () => false,
): PasswordProblem | undefined {
  if (length(password) > MAX_PASSWORD_LENGTH) return 'TooLong';
  const trimmed = password.trim();
  if (trimmed === '') return 'Blank';
  if (length(trimmed) < MIN_PASSWORD_LENGTH) return 'TooShort';
  const lower = trimmed.toLowerCase();
  const squeezed = lower.replace(/\s+/g, '');
  const localPart = normalizedEmail.split('@')[0];
  if ([lower, squeezed].some((p) => p === normalizedEmail || p === localPart)) return 'SameAsEmail';
  if (new Set(squeezed).size === 1) return 'OneCharacter';
  if ([password, trimmed, squeezed].some(isCommon)) return 'Common';
  return undefined;
}
