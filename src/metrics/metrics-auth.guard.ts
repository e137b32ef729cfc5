import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { DomainError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * GET /metrics on the API port: the static METRICS_TOKEN as a bearer token
 * (for a scraper), else an admin's JWT. The route is @Public so the global
 * guard lets a non-JWT token through to here.
 */
@Injectable()
export class MetricsAuthGuard extends AuthGuard('jwt') {
  constructor(@Inject(SETTINGS) private readonly settings: AppSettings) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (token && this.settings.metricsToken && sameToken(token, this.settings.metricsToken)) return true;
    await super.canActivate(context);
    const user = context.switchToHttp().getRequest().user as AuthenticatedUser;
    if (user.role !== 'admin') throw new DomainError('forbidden', 'Requires role: admin (or the metrics token)');
    return true;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new DomainError('unauthorized', 'Missing or invalid bearer token (an admin JWT or the metrics token)');
    return user;
  }
}
