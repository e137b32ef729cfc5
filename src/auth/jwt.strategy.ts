import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { asUserId } from '../common/branded';
import type { UserRole } from '../users/user.entity';
import type { AuthenticatedUser } from './authenticated-user';

export const JWT_SECRET = Symbol('JWT_SECRET');

interface TokenPayload {
  sub: string;
  email: string;
  role: UserRole;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(JWT_SECRET) secret: string) {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: secret, algorithms: ['HS256'] });
  }

  validate(payload: TokenPayload): AuthenticatedUser {
    return { id: asUserId(payload.sub), email: payload.email, role: payload.role };
  }
}
