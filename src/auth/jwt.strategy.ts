import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { asUserId, isUuid } from '../common/branded';
import type { UserRole } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { AuthenticatedUser } from './authenticated-user';

export const JWT_SECRET = Symbol('JWT_SECRET');

interface TokenPayload {
  sub: string;
  email: string;
  role: UserRole;
  tv?: unknown;
  exp?: unknown;
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

  /**
   * The role comes from the database, not the token, so a demotion takes effect
   * at once. A token must expire (jsonwebtoken accepts one without `exp`) and
   * carry the user's current token_version: a password or role change revokes it.
   */
  async validate(payload: TokenPayload): Promise<AuthenticatedUser | null> {
    if (typeof payload.exp !== 'number' || typeof payload.tv !== 'number' || !isUuid(payload.sub)) return null;
    const user = await this.users.findById(payload.sub);
    if (!user || user.tokenVersion !== payload.tv) return null;
    return { id: asUserId(user.id), email: user.email, role: user.role };
  }
}
