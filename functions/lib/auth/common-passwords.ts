// Passwords people pick most often, lower-cased. Only entries of 10+ characters are kept: shorter ones
// are refused by the length rule anyway. Source: the frequency-ordered password list of
// @zxcvbn-ts/language-common 4.1.3 (MIT), copied at build time so nothing is fetched at run time.
import list from './common-passwords.json' with { type: 'json' };

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(list);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

export const COMMON_PASSWORD_COUNT = COMMON_PASSWORDS.size;
