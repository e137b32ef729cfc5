import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { toUserView, UsersService, UserView } from '../users/users.service';
import { LoginDto, RegisterDto } from './auth.dto';
import { hashPassword, verifyPassword } from './password-hasher';

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: UserView;
}

// Compared against when the email is unknown, so both failures take the same time.
const DUMMY_HASH = hashPassword('not-a-real-password');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(SETTINGS) private readonly settings: AppSettings,
  ) {}

  async register(dto: RegisterDto): Promise<UserView> {
    if (!this.settings.registrationOpen) throw new DomainError('forbidden', 'Registration is closed');
    const user = await this.users.create({ email: dto.email, password: dto.password, fullName: dto.full_name });
    return toUserView(user);
  }

  async login(dto: LoginDto): Promise<TokenResponse> {
    const user = await this.users.findByEmail(dto.email);
    const ok = await verifyPassword(dto.password, user?.passwordHash ?? (await DUMMY_HASH));
    if (!user || !ok) throw new DomainError('unauthorized', 'Invalid email or password');
    const accessToken = await this.jwt.signAsync({ sub: user.id, email: user.email, role: user.role });
    return { access_token: accessToken, token_type: 'bearer', expires_in: this.settings.jwtExpiresInSeconds, user: toUserView(user) };
  }

  async me(userId: string): Promise<UserView> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError('unauthorized', 'User no longer exists');
    return toUserView(user);
  }
}
