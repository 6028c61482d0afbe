// The password rules of core/password-rules.ts, with the server's common-password list.
import {
  passwordProblem as check,
  MAX_PASSWORD_LENGTH,
  PASSWORD_PROBLEMS,
  type PasswordProblem,
} from '../../../core/password-rules.ts';
import { isCommonPassword } from './common-passwords.ts';

export { MAX_PASSWORD_LENGTH, PASSWORD_PROBLEMS, type PasswordProblem };

export function passwordProblem(password: string, normalizedEmail: string): PasswordProblem | undefined {
  return check(password, normalizedEmail, isCommonPassword);
}
