import type { JwtService } from '@nestjs/jwt';
import type { AppSettings } from '../config/settings';
import { UserEntity } from '../users/user.entity';
import type { UsersService } from '../users/users.service';
import type { AuthRateLimiter } from './auth-rate-limiter';
import { AuthService } from './auth.service';
import { PasswordHasher } from './password-hasher';

/** Registration of a new and of a taken email: the same work (one hash, one insert) and the same answer's shape. */
describe('AuthService.register', () => {
  const taken = 'taken@example.com';
  let hashed: string[] = [];
  let inserted: string[] = [];

  function service(): AuthService {
    const hasher = new PasswordHasher();
    const realHash = hasher.hash.bind(hasher);
    hasher.hash = (password: string) => {
      hashed.push(password);
      return realHash(password);
    };
    // the users table in a Map: insertIfNew's contract is "null when the email is taken"
    const users = {
      insertIfNew: async (input: { email: string; fullName: string; passwordHash: string }) => {
        inserted.push(input.email);
        if (input.email === taken) return null;
        return Object.assign(new UserEntity(), { id: '00000000-0000-4000-8000-000000000001', email: input.email, fullName: input.fullName, role: 'user', tokenVersion: 0, createdAt: new Date(), passwordHash: input.passwordHash });
      },
    } as unknown as UsersService;
    const limiter = { hitRegisterAddress: async () => undefined } as unknown as AuthRateLimiter;
    const s = new AuthService(users, {} as JwtService, hasher, limiter, { registrationOpen: true } as AppSettings);
    hashed = [];
    inserted = [];
    return s;
  }

  it('hashes the password and runs the insert for a new and for a taken email alike', async () => {
    const auth = service();
    const fresh = await auth.register({ email: 'new@example.com', password: 'new-Quokka-password', full_name: 'New' }, '203.0.113.1');
    const again = await auth.register({ email: taken, password: 'other-Quokka-password', full_name: 'Other' }, '203.0.113.1');
    expect(hashed).toEqual(['new-Quokka-password', 'other-Quokka-password']);
    expect(inserted).toEqual(['new@example.com', taken]);
    expect(Object.keys(again).sort()).toEqual(Object.keys(fresh).sort());
    expect(again).toMatchObject({ email: taken, full_name: 'Other', role: 'user' });
    expect(again.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
