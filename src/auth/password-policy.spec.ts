import { adminPasswordProblem, isCommonPassword, passwordProblem, PUBLISHED_PASSWORDS } from './password-policy';

describe('password policy', () => {
  it('needs at least 12 characters', () => {
    expect(passwordProblem('kx7-tundra-')).toBe('must be at least 12 characters');
    expect(passwordProblem('kx7-tundra-q')).toBeNull();
  });

  it('refuses passwords of the common-password list (zxcvbn-ts, from breach corpora), in any case', () => {
    // entries of the list at or above 12 characters
    for (const p of ['123456789012', 'qwerty123456', 'passwordpassword', '1q2w3e4r5t6y']) expect(isCommonPassword(p)).toBe(true);
    expect(passwordProblem('QWERTY123456')).toBe('is on the list of commonly used passwords; choose another');
    expect(isCommonPassword('test-user-Quokka-42')).toBe(false);
  });

  it('admins may not use a password printed in the README', () => {
    for (const p of PUBLISHED_PASSWORDS) expect(adminPasswordProblem(p)).toBe('is a password published in the README; choose your own');
    expect(adminPasswordProblem('short')).toBe('must be at least 12 characters');
    expect(adminPasswordProblem('ops-Quokka-admin-9')).toBeNull();
  });
});
