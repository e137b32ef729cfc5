import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { asUserId } from '../common/branded';
import type { UserRole } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { AuthenticatedUser } from './authenticated-user';

export const JWT_SECRET = Symbol('JWT_SECRET');

interface TokenPayload {
  sub: string;
  email: string;
  role: UserRole;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(JWT_SECRET) secret: string,
    private readonly users: UsersService,
  ) {
    // A KeyObject (accepted by jsonwebtoken, not by passport-jwt's types) skips re-parsing the secret on every request.
    const key = createSecretKey(Buffer.from(secret)) as unknown as Buffer;
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: key, algorithms: ['HS256'] });
  }

  /** The role comes from the database, not the token, so a demotion takes effect at once. */
  async validate(payload: TokenPayload): Promise<AuthenticatedUser | null> {
    const user = await this.users.findById(payload.sub);
    if (!user) return null;
    return { id: asUserId(user.id), email: user.email, role: user.role };
  }
}
