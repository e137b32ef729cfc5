import { dictionary } from '@zxcvbn-ts/language-common';
import { ValidateBy, ValidationOptions } from 'class-validator';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** Passwords printed in README.md (demo accounts, CLI example): never acceptable for a real admin. */
export const PUBLISHED_PASSWORDS: readonly string[] = ['demo-password', 'admin-password', 'a-long-password'];

// zxcvbn-ts's list of ~49,000 passwords most common in public breach corpora (MIT);
// the package decompresses it at import (~75 ms, once); the Set is built on first use.
let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common']);
  return common;
}

export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  return list.has(password) || list.has(password.toLowerCase());
}

export function isPublishedPassword(password: string): boolean {
  return PUBLISHED_PASSWORDS.includes(password);
}

/** Why a password is not acceptable for an account, phrased to follow its name; null when it is. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (isCommonPassword(password)) return 'is on the list of commonly used passwords; choose another';
  return null;
}

/** Same rules for admins created by ADMIN_PASSWORD or the CLI, plus: not a password printed in the README. */
export function adminPasswordProblem(password: string): string | null {
  if (isPublishedPassword(password)) return 'is a password published in the README; choose your own';
  return passwordProblem(password);
}

/** class-validator rule for request DTOs: a string that passes passwordProblem(). */
export function IsAcceptablePassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAcceptablePassword',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && passwordProblem(value) === null,
        defaultMessage: (args) => {
          const value = args?.value;
          return `${args?.property} ${typeof value === 'string' ? passwordProblem(value) : 'must be a string'}`;
        },
      },
    },
    options,
  );
}
