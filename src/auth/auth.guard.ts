import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../common/errors';
import type { UserRole } from '../users/user.entity';
import type { AuthenticatedUser } from './authenticated-user';
import { IS_PUBLIC, ROLES } from './decorators';

/**
 * Global guard: a valid bearer token on every route unless it is `@Public()`,
 * and the declared `@Roles(...)` when there are any.
 */
@Injectable()
export class AppAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    await super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest().user as AuthenticatedUser;
    if (!roles.includes(user.role)) throw new DomainError('forbidden', `Requires role: ${roles.join(' or ')}`);
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new DomainError('unauthorized', 'Missing or invalid bearer token');
    return user;
  }
}
