import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { badRequest, DomainError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { toUserView, UsersService, UserView } from '../users/users.service';
import { AuthRateLimiter } from './auth-rate-limiter';
import { ChangePasswordDto, LoginDto, RegisterDto } from './auth.dto';
import { PasswordHasher } from './password-hasher';

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: UserView;
}

/** The claims of an access token; `tv` is the user's token_version when it was issued. */
export interface TokenClaims {
  sub: string;
  email: string;
  role: string;
  tv: number;
}

@Injectable()
export class AuthService {
  // Compared against when the email is unknown, so both failures take the same time.
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: AuthRateLimiter,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {
    this.dummyHash = hasher.hash('not-a-real-password');
  }

  /**
   * A taken email answers exactly like a new one (201, the same fields, an id
   * that belongs to nobody) and changes nothing: the response does not tell
   * whether an address has an account. Both paths hash the password and run
   * one INSERT, so they take the same time.
   */
  async register(dto: RegisterDto, address: string): Promise<UserView> {
    if (!this.settings.registrationOpen) throw new DomainError('forbidden', 'Registration is closed');
    await this.limiter.hitRegisterAddress(address);
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.users.insertIfNew({ email: dto.email, fullName: dto.full_name, passwordHash });
    if (user) return toUserView(user);
    return { id: randomUUID(), email: dto.email.toLowerCase(), full_name: dto.full_name, role: 'user', created_at: new Date().toISOString() };
  }

  async login(dto: LoginDto, address: string): Promise<TokenResponse> {
    await this.limiter.hitLoginAddress(address);
    const admission = await this.limiter.admitAccountAttempt(dto.email, address);
    const user = await this.users.findByEmail(dto.email);
    const ok = await this.hasher.verify(dto.password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok) {
      await this.limiter.recordFailure(dto.email, address);
      throw new DomainError('unauthorized', 'Invalid email or password');
    }
    await this.limiter.recordSuccess(dto.email, address, admission);
    const claims: TokenClaims = { sub: user.id, email: user.email, role: user.role, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims);
    return { access_token: accessToken, token_type: 'bearer', expires_in: this.settings.jwtExpiresInSeconds, user: toUserView(user) };
  }

  /**
   * Checks the current password (its failures count toward the account's login
   * backoff) and stores the new one; the database then revokes every token of
   * the account, this request's included.
   */
  async changePassword(userId: string, dto: ChangePasswordDto, address: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('unauthorized', 'User no longer exists');
    const admission = await this.limiter.admitAccountAttempt(user.email, address);
    if (!(await this.hasher.verify(dto.current_password, user.passwordHash))) {
      await this.limiter.recordFailure(user.email, address);
      throw badRequest('current_password is incorrect', { errors: [{ field: 'current_password', message: 'current_password is incorrect' }] });
    }
    await this.limiter.recordSuccess(user.email, address, admission);
    if (dto.new_password === dto.current_password) {
      throw badRequest('new_password must differ from current_password', { errors: [{ field: 'new_password', message: 'new_password must differ from current_password' }] });
    }
    await this.users.setPasswordHash(user.id, await this.hasher.hash(dto.new_password));
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('unauthorized', 'User no longer exists');
    return toUserView(user);
  }
}
